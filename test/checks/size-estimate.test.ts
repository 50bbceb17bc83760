import { Stack } from 'aws-cdk-lib';
import { tempDir } from './helpers';
import { ImageSizeBudgetRule, ImageSubject, SubjectKind } from '../../lib/checks';
import { readDockerignore, SizeEstimator } from '../../lib/checks/size-estimate';
import { ParsedDockerfile } from '../../lib/dockerfile/parsed-dockerfile';

const KB = 1024;
const context = () => tempDir({
  'app.py': 'x'.repeat(1 * KB),
  'requirements.txt': 'x'.repeat(2 * KB),
  'src/a.py': 'x'.repeat(4 * KB),
  'src/sub/b.py': 'x'.repeat(8 * KB),
  'data/model.bin': 16 * KB,
  'docs/readme.md': 'x'.repeat(32 * KB),
  '.dockerignore': 'docs\n*.md\n',
});

function estimate(dockerfile: string, ignore: string[] = [], dir = context()): number {
  const estimator = new SizeEstimator();
  return estimator.estimate(ParsedDockerfile.parse(dockerfile), estimator.list(dir, ignore));
}

describe('SizeEstimator', () => {
  test.each([
    ['whole context', 'FROM x\nCOPY . /app\n', 63 * KB + 10],
    ['one file', 'FROM x\nCOPY app.py /app/\n', 1 * KB],
    ['a directory, recursively', 'FROM x\nCOPY src/ /app/src/\n', 12 * KB],
    ['globs at the top level only', 'FROM x\nCOPY *.py *.txt /app/\n', 3 * KB],
    ['files copied twice count once', 'FROM x\nCOPY app.py /a/\nCOPY app.py ./src /b/\n', 13 * KB],
    ['JSON form', 'FROM x\nCOPY ["data", "/data"]\n', 16 * KB],
    ['ADD of a URL and COPY --from count nothing', 'FROM x\nADD https://example.com/a.tgz /\nCOPY --from=build /src /src\n', 0],
    ['earlier stages are not in the final image', 'FROM x AS build\nCOPY . /src\nFROM y\nCOPY app.py /\n', 1 * KB],
    ['a stage built FROM an earlier stage inherits its copies', 'FROM x AS base\nCOPY data /data\nFROM base\nCOPY app.py /\n', 17 * KB],
    ['unresolved variables are skipped (lower bound)', 'FROM x\nCOPY ${SRC} /app\n', 0],
    ['no FROM', 'COPY . /app\n', 0],
  ])('%s', (_name, dockerfile, bytes) => {
    expect(estimate(dockerfile)).toBe(bytes);
  });

  test('honours .dockerignore patterns for an unstaged context', () => {
    const dir = context();
    expect(estimate('FROM x\nCOPY . /app\n', readDockerignore(dir), dir)).toBe(31 * KB + 10);
  });

  test('honours exclude-style negations', () => {
    expect(estimate('FROM x\nCOPY . /app\n', ['src', '!src/a.py', 'docs', '.dockerignore'])).toBe(1 * KB + 2 * KB + 4 * KB + 16 * KB);
  });

  test('lists each context once', () => {
    const dir = context();
    const estimator = new SizeEstimator();
    expect(estimator.list(dir)).toBe(estimator.list(dir));
  });

  test('a missing directory estimates 0', () => {
    expect(estimate('FROM x\nCOPY . /\n', [], '/nonexistent/ccf')).toBe(0);
  });
});

test('a measured size is preferred and reported as measured', () => {
  const subject = new ImageSubject({
    kind: SubjectKind.FUNCTION,
    construct: new Stack(),
    maxImageSizeBytes: 100 * KB * KB,
    measuredSizeBytes: 150 * KB * KB,
    dockerfileText: 'FROM x\nCOPY . /\n',
    contextDirectory: context(),
  });
  expect(new ImageSizeBudgetRule().check(subject).map(f => f.message)).toEqual(['image measured 150 MiB is over its budget of 100 MiB']);
});
