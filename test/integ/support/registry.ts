/**
 * A real local image registry (Debian's docker-registry, the CNCF distribution registry) for tests that push
 * and inspect images, and the switch that runs such tests only where it and skopeo are installed
 * (.ci/setup-registry.sh installs both).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { describeWithDocker } from './docker';

const TOOLS = ['skopeo', 'docker-registry'];
const missingTools = TOOLS.filter(tool => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startRegistry(dir: string): Promise<{ host: string; process: ChildProcess }> {
  const port = await freePort();
  const config = path.join(dir, `registry-${port}.yml`);
  fs.writeFileSync(config, [
    'version: 0.1',
    'log: { level: error }',
    `storage: { filesystem: { rootdirectory: ${path.join(dir, `storage-${port}`)} } }`,
    `http: { addr: 127.0.0.1:${port} }`,
    '',
  ].join('\n'));
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (up) return { host, process: child };
    await new Promise(r => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`docker-registry did not listen on ${host}`);
}

export function describeWithRegistryTools(title: string, fn: () => void): void {
  if (missingTools.length === 0) {
    describeWithDocker(title, fn);
  } else if (process.env.CCF_REQUIRE_DOCKER === '1') {
    describe(title, () => test('skopeo and docker-registry are installed (CCF_REQUIRE_DOCKER=1)', () => {
      throw new Error(`missing ${missingTools.join(', ')}: run .ci/setup-registry.sh as root`);
    }));
  } else {
    process.stderr.write(`\nSKIPPED real-registry tests "${title}": ${missingTools.join(' and ')} not installed. `
      + 'Run .ci/setup-registry.sh (Debian, as root) to enable them.\n');
    describe.skip(title, fn);
  }
}
