import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweepDirectoriesOfEndedProcesses } from '../process-running';

// Internal: where fromSource contexts are staged, and their removal.
//
// Each staging gets a fresh directory from mkdtemp: an unpredictable name, created by this process, mode 0700. A directory
// someone else planted (or an earlier synth left) is never reused: on a shared machine a predictable, reused name lets
// another user swap the Dockerfile that ends up in the image.
//
// The copy is only needed until DockerImageAsset has copied it into the cloud assembly (which it does when the asset is
// constructed) and the checks have read it; it is removed when the process exits, so a synth leaves nothing in the
// temporary directory. A process that never runs its exit hook (killed; a jest worker, whose sandbox never sees 'exit')
// leaves its directories to the next staging on the machine, which removes those whose process has ended. One exception: when the CDK CLI runs the app with asset staging disabled (`cdk synth --no-staging`,
// SAM), the assembly points at the staged directory itself and the build happens after the app has exited. Then the
// directory is made inside the cloud assembly (CDK_OUTDIR), where it belongs to that assembly, and it is kept.

const created = new Set<string>();
let exitHookInstalled = false;
let swept = false;

/** Staging directories are named `ccf-source-<pid>-<random>`: the pid says whose they are once that process is gone. */
const PREFIX = 'ccf-source-';

/** A fresh, private (0700) directory for one staged context. */
export function makeStagingDirectory(): string {
  const outdir = process.env.CDK_OUTDIR;
  if (outdir && assetStagingDisabled()) {
    fs.mkdirSync(outdir, { recursive: true });
    return fs.mkdtempSync(path.join(outdir, PREFIX));
  }
  if (!swept) {
    swept = true;
    sweepStaleStagingDirectories(os.tmpdir());
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o700); // mkdtemp already uses 0700; say so explicitly, whatever the umask
  created.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeStagingDirectories);
  }
  return dir;
}

/**
 * Removes staging directories that processes which have ended left behind (killed before their exit hook ran, or test
 * runners whose workers never emit 'exit' to the code under test). Only this user's own directories are touched, and
 * only when no process with the recorded pid is running.
 */
export function sweepStaleStagingDirectories(tmpdir: string): void {
  sweepDirectoriesOfEndedProcesses(tmpdir, PREFIX);
}

/** Removes one staging directory now (e.g. after a failed staging). */
export function removeStagingDirectory(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  created.delete(dir);
}

/** Removes every temporary staging directory this process made. Runs at exit; safe to call earlier once synth is done. */
export function removeStagingDirectories(): void {
  for (const dir of [...created]) removeStagingDirectory(dir);
}

/** True when the CDK CLI runs this app with asset staging disabled (the context it passes in CDK_CONTEXT_JSON). */
function assetStagingDisabled(): boolean {
  try {
    const context = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}');
    const value = context['aws:cdk:disable-asset-staging'];
    return value === true || value === 'true';
  } catch {
    return false;
  }
}
