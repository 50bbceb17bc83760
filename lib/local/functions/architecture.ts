// An arm64 function on an x86_64 engine (or the reverse) needs QEMU emulation registered with the
// kernel; without it the container dies with "exec format error". Say so before starting anything.
import * as fs from 'fs';
import { AppFunction } from '../../assembly/app-function';
import { EngineInfo, ImageRunConfig } from '../../docker';
import { lambdaArchitecture } from '../../lambda-facts';

/** `x86_64`/`amd64` → `amd64`, `aarch64`/`arm64` → `arm64`: the OCI names images carry (from lib/lambda-facts.ts). */
export function ociArch(name: string): string {
  return lambdaArchitecture(name)?.imageArch ?? name.toLowerCase();
}

/** The binfmt_misc entry that runs binaries of `arch` on this kernel, if one is registered and enabled. */
export function emulationRegistered(arch: string, binfmtDir = '/proc/sys/fs/binfmt_misc'): boolean | undefined {
  if (!fs.existsSync(binfmtDir)) return undefined; // not a Linux host: cannot tell
  const name = arch === 'arm64' ? 'qemu-aarch64' : arch === 'amd64' ? 'qemu-x86_64' : `qemu-${arch}`;
  try {
    return fs.readFileSync(`${binfmtDir}/${name}`, 'utf8').startsWith('enabled');
  } catch {
    return false;
  }
}

export function emulationHint(arch: string): string {
  return `Register QEMU emulation for ${arch} (Debian: apt-get install qemu-user-static binfmt-support; Docker Desktop has it built in), or invoke on an ${arch} machine.`;
}

/** Whether the engine runs on this machine (not a remote DOCKER_HOST, and this kernel has binfmt_misc): its emulation is ours to check. */
export function engineRunsHere(): boolean {
  return !process.env.DOCKER_HOST && fs.existsSync('/proc/sys/fs/binfmt_misc');
}

/**
 * A message when the engine cannot run `fn`'s architecture (a foreign one without emulation registered), else
 * undefined. Asked before any image is built: a build for the wrong machine fails with errors that never say why.
 */
export function emulationProblem(fn: AppFunction, engine: EngineInfo, engineIsLocal: boolean, binfmtDir?: string): string | undefined {
  const want = ociArch(fn.architecture);
  const host = ociArch(engine.architecture);
  if (want === host || !engineIsLocal) return undefined;
  if (emulationRegistered(want, binfmtDir) === false) {
    return `${fn.path} is an ${fn.architecture} function and this Docker engine runs ${engine.architecture} without ${want} emulation, so the container would fail with "exec format error". ${emulationHint(want)}`;
  }
  return undefined;
}

/**
 * A message when `fn` cannot run here, else undefined. Checks that the image was built for the
 * function's architecture, and that a foreign architecture has emulation (when this host is the engine's).
 */
export function architectureProblem(fn: AppFunction, image: ImageRunConfig, engine: EngineInfo, engineIsLocal: boolean,
  binfmtDir?: string): string | undefined {
  const want = ociArch(fn.architecture);
  const have = ociArch(image.architecture);
  if (have && have !== want) {
    return `${fn.path} is an ${fn.architecture} function but its image was built for ${have}. Rebuild for linux/${want} (ContainerFunction does this when the asset is built by CDK).`;
  }
  return emulationProblem(fn, engine, engineIsLocal, binfmtDir);
}
