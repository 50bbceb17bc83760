// The one Docker client against a stand-in client (CDK_DOCKER names a script this test writes): its one error type
// for a client that exits non-zero and one that cannot start, the one image inspection, and the one engine probe,
// asked once per process and client. The real-Docker suites prove the same calls against the real engine.
import * as fs from 'fs';
import * as path from 'path';
import { DockerCommandError, containerAddresses, dockerCommand, engineAvailability, inspectImage, inspectImageSync, probeEngine, runDocker, runDockerSync } from '../../lib/docker';
import { tempDir } from '../support/temp-dir';

/** Answers `image inspect` for `app:1`, `info` from info.json, exits with $EXIT otherwise; logs every call. */
const CLIENT = `#!/bin/sh
echo "$*" >> "$(dirname "$0")/calls.log"
case "$1 $2" in
  "image inspect")
    if [ "$5" = app:1 ]; then
      echo '{"Id":"sha256:abc","Architecture":"arm64","Size":2300,"RootFS":{"Layers":["sha256:L1","sha256:L2"]},"Config":{"Entrypoint":["/lambda-entrypoint.sh"],"Cmd":["app.handler"],"WorkingDir":"/var/task","Env":["A=1"]}}'
      exit 0
    fi
    echo "Error: No such image: $5" >&2; exit 1;;
  "info --format") cat "$(dirname "$0")/info.json"; exit 0;;
esac
echo "some output"; echo "it went wrong" >&2; exit \${EXIT:-3}
`;

describe('the one Docker client', () => {
  const saved = process.env.CDK_DOCKER;
  let dir: string;
  let client: string;
  beforeEach(() => {
    dir = tempDir('ccf-docker-client-');
    client = path.join(dir, 'docker');
    fs.writeFileSync(client, CLIENT, { mode: 0o755 });
    process.env.CDK_DOCKER = client;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved;
  });
  const calls = () => fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n');

  test('the command: CDK_DOCKER, else docker on the PATH (also for an empty CDK_DOCKER)', () => {
    expect(dockerCommand()).toBe(client);
    process.env.CDK_DOCKER = '';
    expect(dockerCommand()).toBe('docker');
    delete process.env.CDK_DOCKER;
    expect(dockerCommand()).toBe('docker');
  });

  test('a non-zero exit: DockerCommandError with the command and its output tail, or the result when allowed', async () => {
    const expected = { started: true, result: { code: 3, stdout: 'some output\n', stderr: 'it went wrong\n' }, message: `${client} ps exited with code 3:\nsome output\nit went wrong` };
    await expect(runDocker(['ps'])).rejects.toMatchObject(expected);
    expect(() => runDockerSync(['ps'])).toThrow(expect.objectContaining(expected));
    expect(await runDocker(['ps'], { allowFailure: true })).toEqual(expected.result);
    expect(runDockerSync(['ps'], { allowFailure: true })).toEqual(expected.result);
    const error = await runDocker(['ps']).catch(e => e as DockerCommandError);
    expect(error).toBeInstanceOf(DockerCommandError);
    expect((error as DockerCommandError).detail(1)).toBe('it went wrong');
  });

  test('a client that cannot start: the same error type, saying so and what to do, even when failure is allowed', async () => {
    process.env.CDK_DOCKER = path.join(dir, 'no-such-docker');
    const message = `could not run '${process.env.CDK_DOCKER}' (spawn ${process.env.CDK_DOCKER} ENOENT). Install Docker, or set CDK_DOCKER to a compatible client.`;
    await expect(runDocker(['ps'], { allowFailure: true })).rejects.toMatchObject({ started: false, message });
    expect(() => runDockerSync(['ps'], { allowFailure: true })).toThrow(`could not run '${process.env.CDK_DOCKER}' (spawnSync ${process.env.CDK_DOCKER} ENOENT)`);
    const error = await runDocker(['ps']).catch(e => e as DockerCommandError);
    expect(error).toBeInstanceOf(DockerCommandError);
    expect((error as DockerCommandError).detail(20)).toBe(message);
  });

  test('inspectImage: one format, one typed result, undefined for an image the engine lacks, the client\'s error when it must exist', async () => {
    const info = {
      id: 'sha256:abc',
      architecture: 'arm64',
      sizeBytes: 2300,
      layers: ['sha256:L1', 'sha256:L2'],
      entrypoint: ['/lambda-entrypoint.sh'],
      cmd: ['app.handler'],
      workingDir: '/var/task',
      env: ['A=1'],
    };
    expect(await inspectImage('app:1')).toEqual(info);
    expect(inspectImageSync('app:1')).toEqual(info);
    expect(await inspectImage('gone:1')).toBeUndefined();
    expect(inspectImageSync('gone:1')).toBeUndefined();
    await expect(inspectImage('gone:1', { mustExist: true })).rejects.toThrow(/image exited with code 1:\nError: No such image: gone:1/);
    expect(() => inspectImageSync('gone:1', { mustExist: true })).toThrow(/No such image: gone:1/);
    expect(new Set(calls())).toEqual(new Set(['image inspect --format {{json .}} app:1', 'image inspect --format {{json .}} gone:1']));
  });

  test('the engine probe: the daemon\'s absence from ServerErrors in one line; an engine that answers, asked once per process and client', () => {
    fs.writeFileSync(path.join(dir, 'info.json'), JSON.stringify({ ServerErrors: ['Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?'] }));
    expect(probeEngine(client)).toEqual({ ok: false, reason: `${client}: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?` });
    fs.writeFileSync(path.join(dir, 'info.json'), JSON.stringify({ ServerVersion: '20.10.24', Architecture: 'x86_64', CgroupVersion: '1', OSType: 'linux' }));
    const answer = { ok: true, reason: 'engine 20.10.24', engine: { version: '20.10.24', architecture: 'x86_64', cgroupVersion: '1', os: 'linux' } };
    expect(engineAvailability()).toEqual(answer);
    expect(engineAvailability()).toEqual(answer);
    expect(calls().filter(c => c.startsWith('info'))).toHaveLength(2); // the direct probe, then one for both asks
  });
});

describe('containerAddresses: what the engine says of a container', () => {
  const saved = process.env.CDK_DOCKER;
  afterEach(() => { if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved; });

  test('a running one: id, addresses and start time (RFC 3339 with nanoseconds); a created one: no address, no start (Go\'s zero time); none: undefined', async () => {
    const dir = tempDir('ccf-docker-inspect-');
    const client = path.join(dir, 'docker');
    // Answers the format the library asks for, as the engine renders it.
    fs.writeFileSync(client, `#!/bin/sh
case "$5" in
  running) echo "abc123 2026-12-03T07:28:29.734454819Z 172.17.0.5 10.0.0.7";;
  created) echo "def456 0001-01-01T00:00:00Z";;
  *) echo "Error: No such container: $5" >&2; exit 1;;
esac
`, { mode: 0o755 });
    process.env.CDK_DOCKER = client;
    expect(await containerAddresses('running')).toEqual({ id: 'abc123', addresses: ['172.17.0.5', '10.0.0.7'], startedAt: Date.parse('2026-12-03T07:28:29.734Z') });
    expect(await containerAddresses('created')).toEqual({ id: 'def456', addresses: [], startedAt: undefined });
    expect(await containerAddresses('gone')).toBeUndefined();
  });
});
