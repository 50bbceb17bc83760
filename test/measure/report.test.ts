import fc from 'fast-check';
import { largestLayers, MeasuredLayer } from '../../lib/measure/measurement';
import { ImageReport, markdownTable, overBudget, reportEntry, textTable } from '../../lib/measure/report';
import { formatSize, parseSize } from '../../lib/size-format';

const MiB = 1024 * 1024;
const layer = (sizeBytes: number, instruction: string, line?: number, base = false): MeasuredLayer =>
  ({ sizeBytes, instruction, line, base, reclaimableBytes: 0 });

describe('sizes', () => {
  test.each([['500MB', 500 * MiB], ['1.5GB', 1.5 * 1024 * MiB], ['512MiB', 512 * MiB], ['1048576', MiB], ['10 kb', 10240]])('%s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test('an unreadable size names itself and the accepted forms', () => {
    expect(() => parseSize('lots')).toThrow("'lots' is not a size. Write it like 500MiB, 1.5GiB or 1048576 (bytes).");
  });

  test('parseSize reads back what formatSize writes, to within its rounding', () => {
    fc.assert(fc.property(fc.nat(2 ** 40), bytes => {
      const back = parseSize(formatSize(bytes).replace(' ', ''));
      expect(Math.abs(back - bytes)).toBeLessThanOrEqual(Math.max(1, bytes * 0.05)); // one decimal of a unit ≥ 1
    }));
  });
});

describe('the report', () => {
  const measured = reportEntry({
    functions: ['App/Fn'],
    assetHash: 'a'.repeat(64),
    tag: 'a'.repeat(64),
    dockerfile: 'Dockerfile',
    estimatedBytes: 10,
    budgetBytes: 100 * MiB,
    measurement: {
      version: 1,
      imageId: 'sha256:x',
      sizeBytes: 150 * MiB,
      baseImage: 'base',
      baseBytes: 100 * MiB,
      ownBytes: 50 * MiB,
      reclaimableBytes: 20 * MiB,
      layers: [layer(100 * MiB, '', undefined, true), layer(30 * MiB, 'RUN pip install | tee log', 3), layer(20 * MiB, 'COPY . .', 4), layer(0, 'CMD ["x"]', 5)],
      measuredAt: '2026-01-01T00:00:00Z',
    },
  });
  const estimated = reportEntry({ functions: [], assetHash: 'b'.repeat(64), estimatedBytes: 5 * MiB, budgetBytes: 100 * MiB });
  const report: ImageReport = { version: 1, images: [measured, estimated] };

  test('largest layers: by size, base included, metadata left out', () => {
    expect(largestLayers(measured as any, 5).map(l => l.sizeBytes)).toEqual([100 * MiB, 30 * MiB, 20 * MiB]);
  });

  test('over budget uses the measured size, else the estimate', () => {
    expect(overBudget(measured)).toBe(true);
    expect(overBudget(estimated)).toBe(false);
    expect(measured.status).toBe('measured');
    expect(estimated.status).toBe('estimated');
  });

  test('markdown: one row per function, pipes escaped, the biggest own layer with its line', () => {
    expect(markdownTable(report)).toBe([
      '## Container images',
      '',
      '| Function | Image | Size | Budget | % of budget | Own | Reclaimable | Biggest layer |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
      '| App/Fn | aaaaaaaaaaaa | 150 MiB | 100 MiB | 150% ❌ | 50 MiB | 20 MiB | 30 MiB RUN pip install \\| tee log (Dockerfile:3) |',
      '| (no function) | bbbbbbbbbbbb | ≥ 5 MiB (estimated) | 100 MiB | 5% | - | - | - |',
      '',
    ].join('\n'));
  });

  test('text table: aligned columns', () => {
    const lines = textTable(report).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].indexOf('Size')).toBe(lines[1].indexOf('150 MiB'));
  });
});
