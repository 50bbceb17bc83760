// `invoke --debug-port` for Java: JDWP through JAVA_TOOL_OPTIONS, the JVM suspended until a debugger attaches, driven
// by the JDK's own `jdb` over its command line: a breakpoint on a handler line, hit, a local variable printed, held
// past the function's timeout, continued, and the response arrives. The function runs on the Java stand-in (OpenJDK
// 17 JRE and a small Runtime API client) and is laid out as AWS's Java image guide shows (classes in /var/task).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { CliProcess, startCli, waitFor } from './support/cli-process';
import { build, describeWithDocker, docker } from './support/docker';
import { DEBIAN_BASE } from './support/provision';
import { freePort } from './support/registry';
import { ensureJavaStandIn } from './support/standins';
import { FUNCTIONS, removeAssetImages } from './support/workspace';
import { debugLanguageOf } from '../../lib/local/debug/debug-language';
import { OWNER_LABEL } from '../../lib/local/runtime/owner';
import { tempDir } from '../support/temp-dir';

jest.setTimeout(20 * 60_000);

const SOURCE = path.join(FUNCTIONS, 'debug-java');
const HANDLER_SOURCE = path.join('src', 'main', 'java', 'example', 'Greeter.java');
const JDK = 'a JDK 17 (apt-get install openjdk-17-jdk-headless)';

/** `jdb -attach`, driven line by line over stdin, its stdout read as it comes. */
class Jdb {
  /**
   * Attaches to the JVM behind `port`. The port is published as soon as the container starts, before the JVM listens:
   * an early attach ends in a failed handshake, so it is retried until the JVM answers (while `waiting()` holds).
   */
  static async attach(port: number, waiting: () => boolean, timeoutMs = 180_000): Promise<Jdb> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const jdb = new Jdb(port);
      const started = await Promise.race([
        jdb.until(/VM Started/, 30_000).then(() => true, () => false),
        jdb.exited.then(() => false),
      ]);
      if (started) return jdb;
      jdb.kill();
      if (Date.now() > until || !waiting()) throw new Error(`jdb could not attach to 127.0.0.1:${port}; its last attempt printed:\n${jdb.output}`);
      await new Promise(r => setTimeout(r, 500));
    }
  }

  output = '';
  ended = false;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(port: number) {
    this.child = spawn('jdb', ['-attach', `127.0.0.1:${port}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', d => { this.output += d; });
    this.child.stderr!.on('data', d => { this.output += d; });
    this.exited = new Promise(resolve => this.child.on('close', code => { this.ended = true; resolve(code); }));
  }

  /** Sends one command; returns the output's length before it, to match only what follows. */
  send(command: string): number {
    const mark = this.output.length;
    this.child.stdin!.write(`${command}\n`);
    return mark;
  }

  /** Waits until the output after `from` matches; fails at once when jdb has ended without it. */
  until(pattern: RegExp, timeoutMs = 180_000, from = 0): Promise<RegExpExecArray> {
    return waitFor(() => {
      const match = pattern.exec(this.output.slice(from));
      if (match) return match;
      if (this.ended) throw new Error(`jdb ended without printing ${pattern}; it printed:\n${this.output}`);
      return undefined;
    }, `jdb to print ${pattern}`, timeoutMs);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

describeWithDocker('invoke --debug-port: Java through JDWP, driven by the JDK\'s jdb', () => {
  let project: string;
  let functionDir: string;
  const layoutImage = `ccf-debug-java-layout:${process.pid}`;

  beforeAll(async () => {
    const javaTag = await ensureJavaStandIn();
    project = tempDir('ccf-debug-java-');
    functionDir = path.join(project, 'functions', 'greeter');
    fs.cpSync(SOURCE, functionDir, { recursive: true });
    // As `mvn package` would before `cdk deploy`: the classes, with local variable tables (-g) for the debugger.
    const javac = spawnSync('javac', ['--release', '17', '-g', '-d', path.join('target', 'classes'), HANDLER_SOURCE], { cwd: functionDir, encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`javac failed: ${javac.stderr}`);
    const app = new App({ outdir: path.join(project, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'DebugJava');
    new lambda.DockerImageFunction(stack, 'Greeter', {
      code: lambda.DockerImageCode.fromImageAsset(functionDir, { buildArgs: { BASE: javaTag } }),
      // Shorter than the time the test holds the breakpoint: the timeout must be suspended.
      timeout: Duration.seconds(1),
    });
    app.synth();
  });

  afterAll(async () => {
    await docker(['image', 'rm', `${layoutImage}-aws`, `${layoutImage}-java-home`], { allowFailure: true });
    if (project) await removeAssetImages(path.join(project, 'cdk.out'));
  });

  /** Stops jdb and the CLI, whichever way the test ended. */
  const endRun = async (cli: CliProcess, jdb: Jdb | undefined) => {
    jdb?.kill();
    if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
    await cli.done;
  };
  /** The containers the CLI's process left on the engine (names, one per line). */
  const containersLeftBy = async (cli: CliProcess) =>
    (await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${cli.child.pid}`, '--format', '{{.Names}}'])).stdout.trim();

  /**
   * With jdb attached to a JVM held at start (suspend=y): a breakpoint on the handler's `// BREAK` line, deferred (the
   * handler class is not loaded yet), then continued until it is hit. The line set, and the line hit.
   */
  const stopAtBreakLine = async (jdb: Jdb) => {
    await jdb.until(/VM Started: .*No frames on the current call stack/s, 30_000);
    const breakLine = fs.readFileSync(path.join(functionDir, HANDLER_SOURCE), 'utf8').split('\n').findIndex(l => l.includes('// BREAK')) + 1;
    let mark = jdb.send(`stop at example.Greeter:${breakLine}`);
    await jdb.until(/Deferring breakpoint example\.Greeter:\d+/, 30_000, mark);
    mark = jdb.send('cont');
    const hit = await jdb.until(/Breakpoint hit: "thread=main", example\.Greeter\.handleRequest\(\), line=(\d+)/, 180_000, mark);
    return { breakLine, hitLine: Number(hit[1]) };
  };

  test('breakpoint on a handler line, a local variable printed, held past the timeout, continued: the response arrives', async () => {
    const port = await freePort();
    const eventFile = path.join(project, 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ name: 'debugger' }));
    const cli = startCli(['invoke', 'DebugJava/Greeter', '--app', 'cdk.out', '--event', eventFile, '--debug-port', String(port)], project);
    let jdb: Jdb | undefined;
    try {
      // VS Code's Java attach entry; its sources are the build's src/main/java, not the classes in /var/task.
      const launchText = await waitFor(() => /launch\.json entry:\n(\{[\s\S]*?\n\})\n/.exec(cli.stderr())?.[1], 'the launch.json entry', 600_000);
      expect(cli.stderr()).toContain(`DebugJava/Greeter: java debugger on 127.0.0.1:${port}`);
      expect(JSON.parse(launchText)).toEqual({
        name: 'Attach to DebugJava/Greeter',
        type: 'java',
        request: 'attach',
        hostName: 'localhost',
        port,
        sourcePaths: [path.join(functionDir, 'src', 'main', 'java')],
      });
      // A function that ran without waiting for the debugger ends the invoke: then attaching stops at once.
      jdb = await Jdb.attach(port, () => cli.child.exitCode === null);
      const { breakLine, hitLine } = await stopAtBreakLine(jdb);
      expect(hitLine).toBe(breakLine);
      let mark = jdb.send('print greeting');
      await jdb.until(/greeting = "hello debugger"/, 30_000, mark);
      // The handler was called by the stand-in's runtime client, in the function's container.
      mark = jdb.send('where');
      await jdb.until(/\[1\] example\.Greeter\.handleRequest \(Greeter\.java:\d+\)[\s\S]*standin\.lambda\.LambdaRuntime\.main/, 30_000, mark);
      // Held for three times the function's 1 s timeout.
      await new Promise(r => setTimeout(r, 3000));
      jdb.send('cont');
      const r = await cli.done;
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
      expect(JSON.parse(r.stdout)).toEqual({ greeting: 'hello debugger', length: 14 });
      expect(r.stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\t.*\tTimeout: suspended \(debugger\)\n$/);
      expect(Number(/Duration: ([\d.]+) ms/.exec(r.stderr)![1])).toBeGreaterThan(1000);
      // The container went with the invoke: jdb sees its JVM end.
      await waitFor(() => (jdb!.ended ? true : undefined), 'jdb to end when the JVM went', 60_000);
    } finally {
      await endRun(cli, jdb);
    }
    expect(await containersLeftBy(cli)).toBe('');
  });

  test('serve --debug-port: jdb holds the Java function behind the Invoke API; continued, the caller gets its answer; the next call runs warm', async () => {
    const debugPort = await freePort();
    const apiPort = await freePort();
    const cli = startCli(['serve', '--app', 'cdk.out', '--port', String(apiPort), '--debug-port', String(debugPort)], project);
    let jdb: Jdb | undefined;
    try {
      await waitFor(() => (cli.stderr().includes('Lambda Invoke API at') ? true : cli.child.exitCode !== null ? false : undefined), 'serve', 600_000)
        .then(ok => { if (!ok) throw new Error(`serve exited:\n${cli.stderr()}`); });
      expect(cli.stderr()).toContain(`DebugJava/Greeter: java debugger on 127.0.0.1:${debugPort}`);
      const call = (name: string) => fetch(`http://127.0.0.1:${apiPort}/2015-03-31/functions/DebugJava%2FGreeter/invocations`, { method: 'POST', body: JSON.stringify({ name }) })
        .then(async r => ({ status: r.status, body: await r.json() as unknown }));
      // The call starts the environment, whose JVM waits for the debugger (suspend=y).
      const first = call('serve');
      jdb = await Jdb.attach(debugPort, () => cli.child.exitCode === null);
      const { breakLine, hitLine } = await stopAtBreakLine(jdb);
      expect(hitLine).toBe(breakLine);
      let mark = jdb.send('print greeting');
      await jdb.until(/greeting = "hello serve"/, 30_000, mark);
      // Held past the function's 1 s timeout: the caller still gets the answer.
      await new Promise(r => setTimeout(r, 2500));
      mark = jdb.send('clear');
      jdb.send(`clear example.Greeter:${breakLine}`);
      jdb.send('cont');
      expect(await first).toEqual({ status: 200, body: { greeting: 'hello serve', length: 11 } });
      // The same warm JVM answers the next call (the debugger still attached, no breakpoint left).
      expect(await call('again')).toEqual({ status: 200, body: { greeting: 'hello again', length: 11 } });
      expect(cli.stderr()).toMatch(/Timeout: suspended \(debugger\)/);
    } finally {
      await endRun(cli, jdb);
    }
    expect(await containersLeftBy(cli)).toBe('');
  });

  test('the language probe recognises AWS\'s Java image layout: the runtime client in /var/runtime/lib; a JVM under JAVA_HOME, and its version', async () => {
    // Only the layout (file names, PATH, JAVA_HOME), on the Debian base: an empty jar named as AWS's runtime
    // interface client, and stand-in executables. Besides java there is a python3, so only the client tells them apart.
    const context = tempDir('ccf-java-layout-');
    fs.writeFileSync(path.join(context, 'Dockerfile'), [
      `FROM ${DEBIAN_BASE} AS aws`,
      'RUN mkdir -p /var/runtime/lib /var/lang/bin \\',
      ' && touch /var/runtime/lib/aws-lambda-java-runtime-interface-client-2.4.1-linux-x86_64.jar \\',
      ' && printf \'#!/bin/sh\\n\' > /var/lang/bin/java && cp /var/lang/bin/java /var/lang/bin/python3 && chmod 0755 /var/lang/bin/*',
      'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin LAMBDA_RUNTIME_DIR=/var/runtime',
      'FROM aws AS java-home',
      'RUN rm -rf /var/runtime/lib /var/lang/bin/python3',
      // A Java 8 JVM's version line (on stderr, as java -version writes it).
      'RUN echo \'echo "openjdk version \\"1.8.0_392\\"" >&2\' >> /var/lang/bin/java',
      'ENV PATH=/usr/local/bin:/usr/bin:/bin JAVA_HOME=/var/lang',
      '',
    ].join('\n'));
    await build({ context, tag: `${layoutImage}-aws`, target: 'aws' });
    await build({ context, tag: `${layoutImage}-java-home`, target: 'java-home' });
    expect(await debugLanguageOf(`${layoutImage}-aws`)).toEqual({ language: 'java', found: 'AWS\'s Java runtime interface client' });
    // The JVM's version is read too: Java 8's JDWP takes `address=PORT`, not `*:PORT`.
    expect(await debugLanguageOf(`${layoutImage}-java-home`)).toEqual({ language: 'java', found: 'an image with java', javaMajor: 8 });
  });
}, { hostCommands: { jdb: JDK, javac: JDK } });
