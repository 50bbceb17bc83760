import { appFunction } from './app-function.fixture';
import { AppFunction } from '../../../lib/assembly/app-function';
import { ContainerSettings, containerRunArgs } from '../../../lib/local/runtime/container-args';

const fn = appFunction;
const settings = (s: Partial<AppFunction> = {}, o: Partial<ContainerSettings> = {}): ContainerSettings => ({
  fn: fn(s),
  image: 'img:1',
  imageInfo: { id: 'sha256:1', architecture: 'amd64', entrypoint: ['/lambda-entrypoint.sh'], cmd: ['app.handler'], workingDir: '/var/task', env: [] },
  environment: {},
  region: 'eu-west-1',
  host: { bind: '127.0.0.1', advertise: '127.0.0.1', runArgs: [], peers: 'loopback' },
  owner: { pid: 1, startTicks: '1', bootId: 'b', pidNamespace: 'p', hostname: 'h' },
  ...o,
});
const tail = (args: string[]) => args.slice(args.indexOf('--platform') + 2).filter((a, i, all) => a !== '-e' && all[i - 1] !== '-e' && !a.startsWith('--memory') && !/^\d+m$/.test(a));

describe('containerRunArgs: how an environment\'s container starts', () => {
  test('the image\'s own ENTRYPOINT and CMD, or the function\'s overrides (Lambda overrides each alone)', () => {
    expect(tail(containerRunArgs(settings(), 'c', { A: '1' }))).toEqual(['img:1']);
    expect(tail(containerRunArgs(settings({ command: ['other.handler'] }), 'c', {}))).toEqual(['img:1', 'other.handler']);
    expect(tail(containerRunArgs(settings({ entryPoint: ['/bin/run', '-x'] }), 'c', {}))).toEqual(['--entrypoint', '/bin/run', 'img:1', '-x', 'app.handler']);
  });

  test('held: stdin kept open, and a shell that waits for one line (or exits at its end) before becoming the same command', () => {
    const args = containerRunArgs(settings({}, { held: true }), 'c', {});
    expect(args.slice(0, 4)).toEqual(['run', '--rm', '-i', '--name']);
    expect(tail(args)).toEqual(['--entrypoint', '/bin/sh', 'img:1', '-c', 'read -r _ || exit 0; exec "$@" </dev/null', 'ccf-held', '/lambda-entrypoint.sh', 'app.handler']);
    const overridden = containerRunArgs(settings({ entryPoint: ['/bin/run'], command: ['x.y'] }, { held: true }), 'c', {});
    expect(tail(overridden).slice(-3)).toEqual(['ccf-held', '/bin/run', 'x.y']);
  });

  test('values never appear on the command line: -e NAME only', () => {
    const args = containerRunArgs(settings(), 'c', { AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(args).toContain('AWS_SECRET_ACCESS_KEY');
    expect(args.join(' ')).not.toContain('secret ');
    expect(args).not.toContain('secret');
  });
});
