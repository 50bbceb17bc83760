// One Docker client: no module under lib/ outside lib/docker/ starts the Docker CLI. Read from the sources, so a
// new module that spawns `docker` (or CDK_DOCKER) itself fails here, whoever writes it. A module outside lib/docker/
// may start other processes only when it is listed below with what it starts, and then never the Docker CLI.
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/temp-dir';

const LIB = path.resolve(__dirname, '..', '..', 'lib');

/** Modules outside lib/docker/ that start processes, and what they start (paths relative to lib/). */
const OTHER_PROCESSES: { [file: string]: string } = {
  'image/git.ts': 'git',
  'assembly/resolve-app.ts': "the app's own command (--app), through a shell",
  'assembly/build-image.ts': "an image asset's own build command (`executable`), through lib/docker/process.ts",
};

const RUNNERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
const PROCESS_RUNNERS = ['runProcess', 'runProcessSync', 'spawnProcess'];

/** The TypeScript sources under `root` (no declaration files), relative to it. */
function sources(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(root, full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(root, full)] : [];
  });
}

/** Whether a module can start a process: a child_process runner, or lib/docker's own process runner. */
function startsProcesses(code: string): boolean {
  for (const m of code.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s+['"](?:node:)?child_process['"]/g)) {
    if (m[1]) continue; // types only
    const named = /^\{([^}]*)\}$/.exec(m[2].trim());
    if (!named) return true; // a namespace or default import reaches every runner
    if (named[1].split(',').map(n => n.trim().split(/\s+as\s+/)[0]).some(n => RUNNERS.includes(n))) return true;
  }
  if (/require\(\s*['"](?:node:)?child_process['"]\s*\)/.test(code)) return true;
  return [...code.matchAll(/import\s+\{([^}]*)\}\s+from\s+['"][./]*(?:lib\/)?docker\/process['"]/g)]
    .some(m => m[1].split(',').map(n => n.trim().split(/\s+as\s+/)[0]).some(n => PROCESS_RUNNERS.includes(n)));
}

/** Whether a module's code (comments aside) names the Docker CLI: `'docker'`, CDK_DOCKER or dockerCommand. */
function namesDockerCli(code: string): boolean {
  return /\bCDK_DOCKER\b|\bdockerCommand\b|(['"`])docker\1/.test(code);
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every module under `root` outside docker/ that starts processes unlisted, or starts the Docker CLI itself. */
function dockerClientViolations(root: string, allowed: { [file: string]: string } = OTHER_PROCESSES): string[] {
  return sources(root).filter(file => !file.startsWith(`docker${path.sep}`)).flatMap(file => {
    const code = withoutComments(fs.readFileSync(path.join(root, file), 'utf8'));
    if (!startsProcesses(code)) return [];
    if (!(file in allowed)) return [`${file} starts processes: only lib/docker/ may (or list it, with what it starts)`];
    return namesDockerCli(code) ? [`${file} starts the Docker CLI itself: go through lib/docker`] : [];
  });
}

describe('one Docker client', () => {
  test('no module under lib/ outside lib/docker/ starts the Docker CLI, and only the listed ones start other processes', () => {
    expect(dockerClientViolations(LIB)).toEqual([]);
  });

  test('every listed module still exists and still starts what it is listed for (the list does not go stale)', () => {
    for (const file of Object.keys(OTHER_PROCESSES)) {
      expect([file, startsProcesses(withoutComments(fs.readFileSync(path.join(LIB, file), 'utf8')))]).toEqual([file, true]);
    }
  });

  test('the check catches a module that spawns the client, however it reaches child_process or names the client', () => {
    const root = tempDir('ccf-one-client-');
    const plant = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    // Caught: unlisted modules that can start processes.
    plant('local/named.ts', "import { spawn } from 'child_process';\nspawn('docker', ['ps']);\n");
    plant('local/renamed.ts', "import { execFile as run } from 'node:child_process';\nrun(process.env.CDK_DOCKER ?? 'docker', ['ps']);\n");
    plant('measure/namespace.ts', "import * as cp from 'child_process';\ncp.spawnSync('docker', ['save']);\n");
    plant('measure/required.ts', "const cp = require('child_process');\ncp.execSync('docker info');\n");
    plant('local/generic.ts', "import { runProcess } from '../docker/process';\nrunProcess('docker', ['ps']);\n");
    // Caught: a listed module that starts the client itself.
    plant('image/git.ts', "import { spawnSync } from 'child_process';\nspawnSync(process.env.CDK_DOCKER || 'git', ['ps']);\n");
    plant('assembly/build-image.ts', "import { runProcessSync } from '../docker/process';\nimport { dockerCommand } from '../docker';\nrunProcessSync(dockerCommand(), ['build', '.']);\n");
    plant('assembly/resolve-app.ts', "import { spawn } from 'child_process';\nspawn(`docker`, ['ps'], { shell: true });\n");
    // Not caught: the client itself, a type-only use, a listed module that only mentions docker in a comment.
    plant('docker/client.ts', "import { spawn } from 'child_process';\nspawn('docker', ['ps']);\n");
    plant('local/runtime/sandbox.ts', "import { ChildProcess } from 'child_process';\nexport let child: ChildProcess | undefined;\n");
    plant('local/types-only.ts', "import type { SpawnOptions } from 'child_process';\nexport const o: SpawnOptions = {};\n");
    plant('local/uses-client.ts', "import { runDocker } from '../docker';\nvoid runDocker(['ps']);\n");
    plant('image/context.ts', "// 'docker' builds this context\nexport const docker = 'docker';\n");

    expect(dockerClientViolations(root).sort()).toEqual([
      'assembly/build-image.ts starts the Docker CLI itself: go through lib/docker',
      'assembly/resolve-app.ts starts the Docker CLI itself: go through lib/docker',
      'image/git.ts starts the Docker CLI itself: go through lib/docker',
      'local/generic.ts starts processes: only lib/docker/ may (or list it, with what it starts)',
      'local/named.ts starts processes: only lib/docker/ may (or list it, with what it starts)',
      'local/renamed.ts starts processes: only lib/docker/ may (or list it, with what it starts)',
      'measure/namespace.ts starts processes: only lib/docker/ may (or list it, with what it starts)',
      'measure/required.ts starts processes: only lib/docker/ may (or list it, with what it starts)',
    ]);
  });
});
