import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyTargets } from '../../../lib/local/watch/copy-targets';

const LAMBDA_ENV = ['PATH=/usr/bin', 'LAMBDA_TASK_ROOT=/var/task', 'LAMBDA_RUNTIME_DIR=/var/runtime'];
let context: string;

beforeAll(() => {
  context = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-copy-targets-'));
  for (const f of ['a.py', 'b.py', 'index.js', 'app.py', 'requirements.txt', 'sub/x.py', 'src/a/b.js', 'lib/util.py']) {
    fs.mkdirSync(path.dirname(path.join(context, f)), { recursive: true });
    fs.writeFileSync(path.join(context, f), f);
  }
});
afterAll(() => fs.rmSync(context, { recursive: true, force: true }));

function targets(dockerfile: string, files: string[], more: { buildArgs?: { [k: string]: string }; env?: string[]; workdir?: string } = {}) {
  return copyTargets({
    dockerfile,
    dockerfilePath: 'Dockerfile',
    buildArgs: more.buildArgs ?? {},
    imageEnv: more.env ?? LAMBDA_ENV,
    imageWorkingDir: more.workdir ?? '/var/task',
    context,
    files,
  });
}
const at = (...pairs: [string, string][]) => ({ targets: pairs.map(([file, destination]) => ({ file, destination })) });
const why = (pattern: RegExp) => ({ reason: expect.stringMatching(pattern) });

describe('copyTargets: where an edited file lands in the image, or why it is built instead', () => {
  const CSV = [
    'FROM public.ecr.aws/lambda/python:3.12',
    'COPY requirements.txt ${LAMBDA_TASK_ROOT}/',
    'RUN pip install --no-cache-dir -r ${LAMBDA_TASK_ROOT}/requirements.txt',
    'COPY processor.py ${LAMBDA_TASK_ROOT}/',
    'CMD ["processor.lambda_handler"]',
  ].join('\n');

  test('the csv-processor example: its handler is copied last; its requirements feed a RUN', () => {
    expect(targets(CSV, ['processor.py'])).toEqual(at(['processor.py', '/var/task/processor.py']));
    expect(targets(CSV, ['requirements.txt'])).toEqual(why(/a RUN follows the COPY of \/var\/task\/requirements.txt/));
    expect(targets(CSV, ['processor.py', 'requirements.txt'])).toEqual(why(/RUN follows/));
  });

  test('AWS\'s Node.js form: COPY into ${LAMBDA_TASK_ROOT} without a slash lands in that directory', () => {
    const df = 'FROM base\nCOPY index.js ${LAMBDA_TASK_ROOT}\nCMD ["index.handler"]\n';
    expect(targets(df, ['index.js'])).toEqual(at(['index.js', '/var/task/index.js']));
  });

  test('the context or a directory copied last: the file keeps its path below the destination', () => {
    expect(targets('FROM base\nCOPY . ${LAMBDA_TASK_ROOT}/\n', ['app.py', 'sub/x.py'])).toEqual(at(['app.py', '/var/task/app.py'], ['sub/x.py', '/var/task/sub/x.py']));
    expect(targets('FROM base\nCOPY ./src/ /var/task/\n', ['src/a/b.js'])).toEqual(at(['src/a/b.js', '/var/task/a/b.js']));
    expect(targets('FROM base\nWORKDIR /srv\nCOPY . .\n', ['sub/x.py'], { workdir: '/srv' })).toEqual(at(['sub/x.py', '/srv/sub/x.py']));
  });

  test('a file copied by two instructions (dependencies, then everything) is built', () => {
    const df = 'FROM base\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . ./\n';
    expect(targets(df, ['requirements.txt'])).toEqual(why(/copied by 2 instructions/));
    expect(targets(df, ['app.py'])).toEqual(at(['app.py', '/var/task/app.py']));
  });

  test('a build stage that compiles the file, copied over with --from, is built', () => {
    const df = 'FROM node AS build\nCOPY src/ /build/src/\nRUN tsc\nFROM base\nCOPY --from=build /build/dist/ /var/task/\n';
    expect(targets(df, ['src/a/b.js'])).toEqual(why(/copied in an earlier build stage/));
    const after = 'FROM base\nCOPY index.js /var/task/\nCOPY --from=tools /bin/x /usr/bin/x\n';
    expect(targets(after, ['index.js'])).toEqual(why(/COPY --from follows/));
  });

  test('what cannot be known here is built: wildcards, --chown, --chmod, ADD, unknown variables, an ambiguous destination, a heredoc', () => {
    expect(targets('FROM base\nCOPY *.py /var/task/\n', ['a.py'])).toEqual(why(/wildcard \*\.py/));
    expect(targets('FROM base\nCOPY --chown=1000 a.py /var/task/\n', ['a.py'])).toEqual(why(/has --chown/));
    expect(targets('FROM base\nCOPY --chmod=700 a.py /var/task/\n', ['a.py'])).toEqual(why(/has --chmod/));
    expect(targets('FROM base\nADD a.py /var/task/\n', ['a.py'])).toEqual(why(/by ADD/));
    expect(targets('FROM base\nCOPY a.py ${NOPE}/\n', ['a.py'])).toEqual(why(/variable that is not known/));
    expect(targets('FROM base\nCOPY a.py ${DIR:-/x}/\n', ['a.py'])).toEqual(why(/variable that is not known/));
    expect(targets('FROM base\nCOPY a.py /opt/app\n', ['a.py'])).toEqual(why(/whether \/opt\/app is a directory/));
    expect(targets('FROM base\nCOPY <<EOF /var/task/a.py\nprint(1)\nEOF\n', ['a.py'])).toEqual(why(/no COPY puts a\.py/));
    expect(targets('FROM base\nCOPY a.py /var/task/\n', ['Dockerfile'])).toEqual(why(/the Dockerfile changed/));
    expect(targets('FROM base\nCOPY a.py /var/task/\n', ['b.py'])).toEqual(why(/no COPY puts b\.py/));
  });

  test('later COPYs of other single files are fine; one onto the same path, or of a directory, is not', () => {
    expect(targets('FROM base\nCOPY a.py /var/task/\nCOPY b.py /var/task/\nCMD ["a.h"]\n', ['a.py'])).toEqual(at(['a.py', '/var/task/a.py']));
    expect(targets('FROM base\nCOPY a.py /var/task/\nCOPY b.py /var/task/a.py\n', ['a.py'])).toEqual(why(/later COPY of b\.py may cover/));
    expect(targets('FROM base\nCOPY a.py /var/task/\nCOPY lib/ /var/task/\n', ['a.py'])).toEqual(why(/later COPY of lib\/ may cover/));
  });

  test('variables: ENV and ARG of the last stage (build arguments first), and the image\'s own environment', () => {
    expect(targets('FROM base\nENV APP=/srv/app\nCOPY a.py $APP/\n', ['a.py'])).toEqual(at(['a.py', '/srv/app/a.py']));
    expect(targets('FROM base\nARG DIR=/x\nCOPY a.py ${DIR}/\n', ['a.py'], { buildArgs: { DIR: '/y' } })).toEqual(at(['a.py', '/y/a.py']));
    expect(targets('FROM base\nARG DIR=/x\nCOPY a.py ${DIR}/\n', ['a.py'])).toEqual(at(['a.py', '/x/a.py']));
    // Set again after the COPY: the image's final value is not the one the COPY saw.
    expect(targets('FROM base\nCOPY a.py ${LAMBDA_TASK_ROOT}/\nENV LAMBDA_TASK_ROOT=/elsewhere\n', ['a.py'], { env: ['LAMBDA_TASK_ROOT=/elsewhere'] }))
      .toEqual(why(/variable that is not known/));
  });

  test('a relative destination needs the working directory at that point', () => {
    expect(targets('FROM base\nCOPY a.py ./\n', ['a.py'])).toEqual(at(['a.py', '/var/task/a.py']));
    expect(targets('FROM base\nWORKDIR /app\nCOPY a.py ./\n', ['a.py'], { workdir: '/app' })).toEqual(at(['a.py', '/app/a.py']));
    expect(targets('FROM base\nCOPY a.py ./\nWORKDIR /other\n', ['a.py'], { workdir: '/other' })).toEqual(why(/working directory not known/));
    expect(targets('FROM base\nWORKDIR app\nCOPY a.py ./\n', ['a.py'], { workdir: '/x/app' })).toEqual(why(/working directory not known/));
  });
});
