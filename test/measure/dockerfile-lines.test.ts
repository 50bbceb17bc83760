import fc from 'fast-check';
import { attributeHistory, buildPlanOf, historyKeyword, instructionText } from '../../lib/measure/dockerfile-lines';

describe('historyKeyword: the instruction a docker history entry was made by', () => {
  test.each([
    ['RUN |1 X= /bin/sh -c rm /tmp/r.bin # buildkit', 'RUN'],
    ['COPY /big.bin /copied.bin # buildkit', 'COPY'],
    ['ENV FOO=bar', 'ENV'],
    ['WORKDIR /app', 'WORKDIR'],
    ['CMD ["x"]', 'CMD'],
    ['/bin/sh -c #(nop)  CMD ["app.handler"]', 'CMD'],
    ['/bin/sh -c #(nop) COPY file:abc in /var/task/', 'COPY'],
    ['/bin/sh -c apt-get update', 'RUN'],
    ['|2 A=1 B=2 /bin/sh -c make', 'RUN'],
    ['', undefined],
    ['something unknown', undefined],
  ])('%s → %s', (createdBy, keyword) => {
    expect(historyKeyword(createdBy)).toBe(keyword);
  });

  test('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), text => { historyKeyword(text); instructionText(text); }));
  });
});

describe('instructionText: the entry as the user wrote it', () => {
  test.each([
    ['RUN |1 X= /bin/sh -c head -c 1 /dev/zero > /a # buildkit', 'RUN head -c 1 /dev/zero > /a'],
    ['RUN /bin/sh -c pip install x # buildkit', 'RUN pip install x'],
    ['COPY a.txt ./ # buildkit', 'COPY a.txt ./'],
    ['/bin/sh -c #(nop)  ENV A=b', 'ENV A=b'],
    ['/bin/sh -c npm ci', 'RUN npm ci'],
  ])('%s → %s', (createdBy, text) => {
    expect(instructionText(createdBy)).toBe(text);
  });
});

const MULTI = [
  'ARG BASE=local/debian:bookworm', //  1
  'FROM ${BASE} AS build', //           2
  'RUN make', //                        3
  'FROM build AS deps', //              4
  'ENV A=b', //                         5
  'RUN npm ci', //                      6
  'FROM other/image:1 AS final', //     7
  'COPY --from=build /a /a', //         8
  'CMD ["x"]', //                       9
].join('\n');

describe('buildPlanOf: the chain of stages an image is made of', () => {
  test('the last stage by default; its own FROM is the base', () => {
    const plan = buildPlanOf(MULTI);
    expect(plan.baseImage).toBe('other/image:1');
    // Flags are left out of the text, as BuildKit records `COPY /a /a` for `COPY --from=build /a /a`.
    expect(plan.instructions).toEqual([{ keyword: 'COPY', line: 8, stage: 'final', text: '/a /a' }, { keyword: 'CMD', line: 9, stage: 'final', text: '["x"]' }]);
  });

  test('a target follows FROM <stage> back to the first stage, and expands ARGs in its FROM', () => {
    const plan = buildPlanOf(MULTI, { target: 'deps' });
    expect(plan.baseImage).toBe('local/debian:bookworm');
    expect(plan.instructions.map(i => [i.line, i.stage])).toEqual([[3, 'build'], [5, 'deps'], [6, 'deps']]);
    expect(buildPlanOf(MULTI, { target: 'deps', buildArgs: { BASE: 'x/y:2' } }).baseImage).toBe('x/y:2');
  });

  test('never throws on random text', () => {
    fc.assert(fc.property(fc.string(), fc.option(fc.string()), (text, target) => { buildPlanOf(text, { target: target ?? undefined }); }));
  });
});

describe('attributeHistory: entries to Dockerfile lines, from the newest', () => {
  const plan = buildPlanOf(MULTI, { target: 'deps' });

  test('one entry per instruction', () => {
    const attributed = attributeHistory(['RUN |0 /bin/sh -c make # buildkit', 'ENV A=b', 'RUN /bin/sh -c npm ci # buildkit'], plan.instructions);
    expect(attributed.map(a => a?.line)).toEqual([3, 5, 6]);
  });

  test('base entries older than the chain stay unattributed', () => {
    const attributed = attributeHistory(['', '/bin/sh -c #(nop)  CMD ["bash"]', 'RUN make # buildkit', 'ENV A=b', 'RUN npm ci # buildkit'], plan.instructions);
    expect(attributed.map(a => a?.line)).toEqual([undefined, undefined, 3, 5, 6]);
  });

  test('an extra entry (an ONBUILD trigger) does not shift the lines', () => {
    const attributed = attributeHistory(['RUN make # buildkit', 'RUN echo onbuild # buildkit', 'ENV A=b', 'RUN npm ci # buildkit'], plan.instructions);
    expect(attributed.map(a => a?.line)).toEqual([3, undefined, 5, 6]);
  });

  test('any history and any plan: one result per entry, each instruction used at most once, lines in order', () => {
    const keyword = fc.constantFrom('RUN', 'COPY', 'ENV', 'CMD', 'WORKDIR', 'ARG');
    fc.assert(fc.property(fc.array(keyword, { maxLength: 12 }), fc.array(keyword, { maxLength: 12 }), (entries, keywords) => {
      const instructions = keywords.map((k, i) => ({ keyword: k, line: i + 1 }));
      const attributed = attributeHistory(entries.map(e => `${e} x`), instructions);
      expect(attributed).toHaveLength(entries.length);
      const lines = attributed.filter(a => a !== undefined).map(a => a!.line);
      expect(new Set(lines).size).toBe(lines.length);
      expect([...lines].sort((a, b) => a - b)).toEqual(lines);
      attributed.forEach((a, i) => { if (a) expect(a.keyword).toBe(entries[i]); });
    }));
  });
});
