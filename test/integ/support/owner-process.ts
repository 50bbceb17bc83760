// A second local-runtime process for the cleanup tests, run as `node -r ts-node/register/transpile-only`:
//   sweep            runs the stale-container sweep here (e.g. inside another PID namespace), prints what it removed
//   identity         prints this process's owner identity, then lives until its stdin closes
//   exits <image>    starts an environment of <image> whose entry point just sleeps 3 s and exits, prints
//                    `started <container>`, and waits to be killed
//   hang <image>     starts an environment of <image> with a handler that never answers, invokes it, prints
//                    `invoking <container>`, and waits to be killed (SIGKILL: no cleanup at all)
import { runDocker } from '../../../lib/docker';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { currentOwner } from '../../../lib/local/runtime/owner';
import { removeStaleContainers } from '../../../lib/local/runtime/stale-containers';

async function main(): Promise<void> {
  const [mode, image] = process.argv.slice(2);
  if (mode === 'sweep') {
    process.stdout.write(JSON.stringify(await removeStaleContainers()) + '\n');
  } else if (mode === 'identity') {
    process.stdout.write(JSON.stringify(currentOwner()) + '\n');
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  } else if (mode === 'hang' || mode === 'exits') {
    const fn = await LocalFunction.prepare({
      fn: {
        stackName: 'Local',
        stackId: 'Local',
        logicalId: 'Hang',
        path: 'Local/Hang',
        functionName: 'Local-Hang',
        memoryMb: 128,
        timeoutSeconds: 600,
        architecture: 'x86_64',
        environment: {},
        unresolvedEnvironment: [],
        image: { kind: 'uri', uri: image },
        command: ['index.sleep'],
        ...mode === 'exits' ? { entryPoint: ['/bin/sh', '-c', 'sleep 3'] } : {},
      },
      image,
      environment: { AWS_ACCESS_KEY_ID: 'AKIDLEAKCHECK', AWS_SECRET_ACCESS_KEY: 'secret-leak-check' },
      region: 'us-east-1',
    });
    const sandbox = await fn.startSandbox();
    if (mode === 'hang') {
      await sandbox.warm();
      void sandbox.invoke(Buffer.from('{}'));
      process.stdout.write(`invoking ${sandbox.name}\n`);
    } else {
      while ((await runDocker(['ps', '--filter', `name=^${sandbox.name}$`, '--format', '{{.Names}}'])).stdout.trim() !== sandbox.name) {
        await new Promise(r => setTimeout(r, 100));
      }
      process.stdout.write(`started ${sandbox.name}\n`);
    }
    setInterval(() => undefined, 1_000_000_000);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch(e => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
