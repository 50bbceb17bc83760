import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { languageFromProbe } from '../../../lib/local/debug/debug-language';
import { PYTHON_WRAPPER, debugPlan } from '../../../lib/local/debug/debug-plan';
import { javaSourceRoot } from '../../../lib/local/debug/java-source-root';
import { launchConfiguration } from '../../../lib/local/debug/launch-config';
import { localTaskRoot, taskRootSourceIn } from '../../../lib/local/debug/task-root-source';
import { reportLine } from '../../../lib/local/runtime/report';

describe('the task root\'s local source, from the Dockerfile\'s last stage', () => {
  test.each([
    ['COPY app.py ${LAMBDA_TASK_ROOT}/', 'app.py'],
    ['COPY src/ /var/task/', 'src'],
    ['COPY src/lib /var/task/lib', 'src'],
    ['WORKDIR /var/task\nCOPY handlers/ ./', 'handlers'],
    ['COPY --chown=1000 app/ $LAMBDA_TASK_ROOT', 'app'],
    ['COPY *.js /var/task/', '.'],
  ])('%s → %s', (lines, source) => {
    expect(taskRootSourceIn(`FROM base\n${lines}\nCMD ["app.handler"]\n`)).toBe(source);
  });

  test('earlier stages and COPY --from are not the sources', () => {
    expect(taskRootSourceIn('FROM b AS build\nCOPY build-src/ /var/task/\nFROM base\nCOPY --from=build /out /var/task/\nCOPY real/ /var/task/\n')).toBe('real');
    expect(taskRootSourceIn('FROM base\nCOPY x /opt/x\n')).toBeUndefined();
  });

  test('the staged copy in cdk.out is traced back to the user\'s directory with the same Dockerfile', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-taskroot-'));
    try {
      const dockerfile = 'FROM base\nCOPY index.js ${LAMBDA_TASK_ROOT}/\n';
      for (const dir of ['functions/api', 'cdk.out/asset.abc', 'node_modules/pkg']) {
        fs.mkdirSync(path.join(root, dir), { recursive: true });
        fs.writeFileSync(path.join(root, dir, 'Dockerfile'), dockerfile);
        fs.writeFileSync(path.join(root, dir, 'index.js'), '');
      }
      expect(localTaskRoot(path.join(root, 'cdk.out/asset.abc'), 'Dockerfile', root)).toEqual({ directory: path.join(root, 'functions/api'), context: path.join(root, 'functions/api'), staged: false });
      fs.writeFileSync(path.join(root, 'functions/api/Dockerfile'), `${dockerfile}# edited since the synth\n`);
      expect(localTaskRoot(path.join(root, 'cdk.out/asset.abc'), 'Dockerfile', root)).toEqual({ directory: path.join(root, 'cdk.out/asset.abc'), context: path.join(root, 'cdk.out/asset.abc'), staged: true });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the language, from the image probe', () => {
  test.each([
    ['bootstrap node\nhas node\nhas python3\n', 'node'],
    ['has python3\n', 'python'],
    ['bootstrap java\nhas java\n', 'java'],
    // AWS's Java images: the runtime client's jars, whatever else the image has and whether a bootstrap names java.
    ['runtime java\nhas python3\nhas java\n', 'java'],
    ['runtime java\nhas java\n', 'java'],
    ['has java\n', 'java'],
  ])('%j → %s', (out, language) => expect(languageFromProbe(out).language).toBe(language));

  test('several interpreters and no bootstrap naming one, or none: no language, and what was found', () => {
    expect(languageFromProbe('has node\nhas python3\n')).toEqual({ found: 'an image with node, python3 and no bootstrap naming one' });
    expect(languageFromProbe('has python3\nhas java\n')).toEqual({ found: 'an image with python3, java and no bootstrap naming one' });
    expect(languageFromProbe('')).toEqual({ found: 'an image with none of node, python3 or java' });
  });
});

describe('what the debugger adds at run time', () => {
  const base = { port: 9229, path: 'S/Fn', found: 'x' };
  test('Node.js: --inspect-brk on all interfaces of the container, published on loopback only', () => {
    expect(debugPlan({ ...base, language: 'node' }, '')).toEqual({ language: 'node', port: 9229, env: { NODE_OPTIONS: '--inspect-brk=0.0.0.0:9229' }, runArgs: ['-p', '127.0.0.1:9229:9229'] });
  });
  test('Java: JDWP through JAVA_TOOL_OPTIONS, suspended until attached', () => {
    expect(debugPlan({ ...base, language: 'java' }, '').env).toEqual({ JAVA_TOOL_OPTIONS: '-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=*:9229' });
    expect(debugPlan({ ...base, language: 'java', javaMajor: 17 }, '').env.JAVA_TOOL_OPTIONS).toMatch(/,address=\*:9229$/);
    // Java 8 does not know `*`; a bare port listens on every interface there.
    expect(debugPlan({ ...base, language: 'java', javaMajor: 8 }, '').env.JAVA_TOOL_OPTIONS).toMatch(/,address=9229$/);
  });
  test('the JVM version from the probe\'s first `java -version` line', () => {
    expect(languageFromProbe('runtime java\nhas java\njava-version openjdk version "1.8.0_392"\n')).toEqual({ language: 'java', found: 'AWS\'s Java runtime interface client', javaMajor: 8 });
    expect(languageFromProbe('has java\njava-version openjdk version "17.0.15" 2025-04-15\n').javaMajor).toBe(17);
    expect(languageFromProbe('has java\njava-version openjdk version "21" 2023-09-19\n').javaMajor).toBe(21);
    expect(languageFromProbe('has java\njava-version Error: could not find libjava.so\n').javaMajor).toBeUndefined();
  });
  test('Python: the exec wrapper, and the user\'s debugpy directory mounted read-only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-debugpy-'));
    try {
      fs.mkdirSync(path.join(dir, 'debugpy'));
      const plan = debugPlan({ ...base, language: 'python', debuggerPath: dir }, '/tmp/wrapper');
      expect(plan.env).toEqual({ AWS_LAMBDA_EXEC_WRAPPER: PYTHON_WRAPPER, CCF_DEBUG_PORT: '9229', CCF_DEBUGGER_PATH: '/opt/ccf-debugger' });
      expect(plan.runArgs).toEqual(['-p', '127.0.0.1:9229:9229', '-v', '/tmp/wrapper:/opt/ccf-debugger-wrapper:ro', '-v', `${dir}:/opt/ccf-debugger:ro`]);
      expect(() => debugPlan({ ...base, language: 'python', debuggerPath: os.tmpdir() }, '/tmp/wrapper')).toThrow(/no debugpy package in it\. Install one there: pip install --target/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('another runtime: not supported, saying what was found and what would be needed', () => {
    expect(() => debugPlan({ ...base, language: undefined, found: 'an image with none of node, python3 or java' }, ''))
      .toThrow('S/Fn: --debug-port supports Node.js, Python and Java functions; this image looks like an image with none of node, python3 or java. To debug it, start its runtime under your debugger by hand');
  });
  test('a port out of range is refused', () => {
    expect(() => debugPlan({ ...base, port: 70000, language: 'node' }, '')).toThrow('--debug-port 70000: give a TCP port from 1 to 65535.');
  });
});

test('launch.json entries map /var/task to the local root', () => {
  expect(launchConfiguration({ language: 'python', port: 5678, name: 'S/Fn', localRoot: '/src/fn' })).toEqual({
    name: 'Attach to S/Fn', type: 'debugpy', request: 'attach', connect: { host: 'localhost', port: 5678 }, pathMappings: [{ localRoot: '/src/fn', remoteRoot: '/var/task' }],
  });
  expect(launchConfiguration({ language: 'java', port: 5005, name: 'S/Fn', localRoot: '/src/fn' })).toMatchObject({ type: 'java', request: 'attach', hostName: 'localhost', port: 5005 });
});

test('a Java function\'s sources: src/main/java of the build context (Maven, Gradle), else the task root\'s directory', () => {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-java-src-'));
  try {
    expect(taskRootSourceIn('FROM base\nCOPY target/classes ${LAMBDA_TASK_ROOT}\nCOPY target/dependency/* ${LAMBDA_TASK_ROOT}/lib/\n')).toBe('target/classes');
    expect(javaSourceRoot(context, path.join(context, 'target/classes'))).toBe(path.join(context, 'target/classes'));
    fs.mkdirSync(path.join(context, 'src/main/java'), { recursive: true });
    expect(javaSourceRoot(context, path.join(context, 'target/classes'))).toBe(path.join(context, 'src/main/java'));
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
});

test('REPORT says when the timeout was suspended for a debugger', () => {
  expect(reportLine({ requestId: 'r', durationMs: 4000, memoryMb: 128, maxMemoryBytes: 1024 * 1024, timeoutSuspended: true }))
    .toBe('REPORT RequestId: r\tDuration: 4000.00 ms\tBilled Duration: 4000 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\tTimeout: suspended (debugger)');
});
