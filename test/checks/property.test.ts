import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { dockerfileRules } from './helpers';
import { ImageSubject, SubjectKind } from '../../lib/checks';

const FIXTURES = path.join(__dirname, 'fixtures');
const corpus = fs.readdirSync(FIXTURES)
  .filter(d => fs.existsSync(path.join(FIXTURES, d, 'Dockerfile')))
  .map(d => fs.readFileSync(path.join(FIXTURES, d, 'Dockerfile'), 'utf8'));

const keyword = fc.constantFrom('FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'ARG', 'ENV', 'WORKDIR', 'USER', 'LABEL',
  'EXPOSE', 'ONBUILD', 'SHELL', 'HEALTHCHECK', 'from', 'run', 'Copy', 'BOGUS', '#', '# ccf-ignore=CCF101', '');
const word = fc.oneof(
  fc.constantFrom('.', './', '*', 'public.ecr.aws/lambda/python:3.9', 'python', 'scratch', 'AS', 'build', '--from=build',
    '--platform=linux/arm64', '--platform=$BUILDPLATFORM', '--mount=type=cache,target=/root/.cache', '--checksum=sha256:00',
    'pip', 'install', '-r', 'requirements.txt', 'apt-get', 'dnf', 'apk', 'add', '&&', '\\', '\\\n', '["app.handler"]', '[', ']',
    '"', "'", '$', '${A}', '${', 'https://u:p@h/x', 'https://', 'git@github.com:a/b', 'TOKEN=x', 'A=', '=', '<<EOF', 'EOF',
    '@sha256:', ':latest', ':', '@', '/', '\t', '`', 'npm', 'ci'),
  fc.string({ maxLength: 8 }),
);
const line = fc.tuple(keyword, fc.array(word, { maxLength: 5 })).map(([k, words]) => [k, ...words].join(' '));
const randomDockerfile = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

/** A corpus Dockerfile with a few edits: deletions, insertions, duplicated or swapped lines, truncation. */
const mutatedDockerfile = fc.tuple(
  fc.constantFrom(...corpus),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('delete', 'insert', 'duplicate', 'swap', 'truncate'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }),
).map(([text, edits]) => {
  let s = text;
  for (const [at, n, op, insert] of edits) {
    const i = s.length === 0 ? 0 : at % s.length;
    const lines = s.split('\n');
    const l = lines.length === 0 ? 0 : at % lines.length;
    switch (op) {
      case 'delete': s = s.slice(0, i) + s.slice(i + n); break;
      case 'insert': s = s.slice(0, i) + insert + s.slice(i); break;
      case 'duplicate': lines.splice(l, 0, lines[l] ?? ''); s = lines.join('\n'); break;
      case 'swap': [lines[l], lines[0]] = [lines[0], lines[l]]; s = lines.join('\n'); break;
      default: s = s.slice(0, i);
    }
  }
  return s;
});

const buildArgs = fc.option(fc.dictionary(fc.constantFrom('PIP_INDEX_URL', 'TOKEN', 'A', 'x'), fc.oneof(fc.string(), fc.constant('https://u:p@h'))), { nil: undefined });

test('random and mutated Dockerfiles: no rule throws, every finding has a valid line', () => {
  const rules = dockerfileRules();
  const construct = new Stack();
  const problems: string[] = [];
  let checked = 0;
  fc.assert(fc.property(fc.oneof(randomDockerfile, mutatedDockerfile), buildArgs, (text, args) => {
    // Plain checks, not expect(): 10,000 runs must take seconds. A rule that throws fails the property.
    const subject = new ImageSubject({ kind: SubjectKind.IMAGE_ASSET, construct, dockerfileText: text, dockerfilePath: 'Dockerfile', buildArgs: args });
    const lineCount = text.split(/\r\n|\r|\n/).length;
    const validLine = (l: number) => Number.isInteger(l) && l >= 1 && l <= lineCount;
    for (const rule of rules) {
      for (const finding of rule.check(subject)) {
        if (finding.line !== undefined && !validLine(finding.line)) problems.push(`${rule.id} line ${finding.line} of ${lineCount}: ${JSON.stringify(text)}`);
        if (typeof finding.message !== 'string' || /[\r\n]/.test(finding.message)) problems.push(`${rule.id} message ${JSON.stringify(finding.message)}`);
      }
    }
    for (const pragma of subject._dockerfile()!.pragmas) {
      if (!validLine(pragma.line)) problems.push(`pragma line ${pragma.line}: ${JSON.stringify(text)}`);
    }
    checked++;
    return problems.length === 0;
  }), { numRuns: 10_000, seed: 20261127 });
  expect(problems).toEqual([]);
  expect(checked).toBe(10_000);
});
