// A port already in use is a usage error reported before the app is read or any image built: the app given here
// does not exist, so a command that looked at it first would fail about the app instead.
import { spawnSync } from 'child_process';
import * as net from 'net';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), CDK_DOCKER: '/bin/false' },
  });
}

describe('a port already in use', () => {
  let taken: net.Server;
  let port: number;

  beforeAll(async () => {
    taken = net.createServer();
    await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as net.AddressInfo).port;
  });

  afterAll(() => new Promise<void>(resolve => taken.close(() => resolve())));

  test.each(['serve', 'api'])('%s exits 2 naming the port, before reading the app', command => {
    const r = cli([command, '--port', String(port), '--app', path.join(ROOT, 'no-such-assembly.out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).not.toContain('no-such-assembly');
  });
});
