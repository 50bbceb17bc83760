// Measurements cached by asset hash, outside cdk.out so that cleaning the assembly keeps them. The asset hash covers
// the build context, the Dockerfile and every build option (args, target, platform, …), so an unchanged image is
// never rebuilt and a changed one always is.
//
// Where: $CDK_CONTAINER_FUNCTION_CACHE_DIR, else $XDG_CACHE_HOME/cdk-container-function/measure, else
// ~/.cache/cdk-container-function/measure; one <asset hash>.json per image.
// Clear it: `rm -rf ~/.cache/cdk-container-function/measure` (or the directory above), or `measure --no-cache`.
//
// A cached record decides whether `measure --budget` passes without running Docker, so nothing in it is trusted:
// the directory must be the user's own and writable by nobody else (created 0700), every record is validated in full (a bad one is a miss,
// with one warning), files are opened without following links or blocking on FIFOs, and a record is written to a
// fresh file in the private directory and renamed into place, so a planted link is replaced, never followed.
/* eslint-disable no-bitwise */ // open(2) flags and file modes are bit sets
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageMeasurement } from './measurement';
import { measurementProblem } from './measurement-record';

/** The cache directory (see the header for the order). */
export function measurementCacheDirectory(): string {
  if (process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR) return path.resolve(process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cdk-container-function', 'measure');
}

/** A record is a few KB; anything much larger is not one of ours (and is not read into memory). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export class MeasurementCache {
  /** Why the directory cannot be used (checked once), or undefined once it is known to be private. */
  private directoryProblem?: string | null;
  private readonly warned = new Set<string>();

  constructor(public readonly directory: string = measurementCacheDirectory(),
    private readonly warn: (message: string) => void = message => process.stderr.write(`cdk-container-function: ${message}\n`)) {}

  /** The cached measurement of an asset; undefined when there is none or it cannot be trusted (then warns once). */
  public get(assetHash: string): ImageMeasurement | undefined {
    const file = this.file(assetHash);
    if (!this.usable()) return undefined;
    let text: string;
    try {
      text = readOwnRegularFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      const why = code === 'ELOOP' ? 'it is a symbolic link' : (error as Error).message;
      this.warnOnce(file, `cached measurement ${file} ignored: ${why}. The image is measured again; remove the path if this repeats.`);
      return undefined;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      this.warnOnce(file, `cached measurement ${file} ignored: it is not JSON. The image is measured again and the record replaced.`);
      return undefined;
    }
    const problem = measurementProblem(record);
    if (problem) {
      this.warnOnce(file, `cached measurement ${file} ignored: ${problem}. The image is measured again and the record replaced.`);
      return undefined;
    }
    return record as ImageMeasurement;
  }

  /**
   * Stores a measurement: written to a new file (exclusive create, never through a link) in the private directory,
   * then renamed over the record, so a concurrent reader never sees half of it and a planted link is replaced.
   * A record that cannot be written is a warning: the measurement itself stands.
   */
  public put(assetHash: string, measurement: ImageMeasurement): void {
    const file = this.file(assetHash);
    if (!this.usable()) return;
    const temporary = path.join(this.directory, `.${assetHash}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    try {
      const fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
      try {
        fs.writeFileSync(fd, JSON.stringify(measurement));
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temporary, file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      this.warnOnce(file, `measurement not cached: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Remove whatever is at that path.`);
    }
  }

  private file(assetHash: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(assetHash)) throw new Error(`'${assetHash}' is not an asset hash: cannot name a cache file after it`);
    return path.join(this.directory, `${assetHash}.json`);
  }

  /** Creates the directory 0700, or checks an existing one: a real directory, the user's own, private. Warns once if not. */
  private usable(): boolean {
    if (this.directoryProblem === undefined) {
      this.directoryProblem = privateDirectoryProblem(this.directory) ?? null;
      if (this.directoryProblem) {
        this.warn(`the measurement cache is not used: ${this.directoryProblem}. Images are measured without it. `
          + `Fix: 'chmod 700 ${this.directory}' if it is yours, else remove it, or set CDK_CONTAINER_FUNCTION_CACHE_DIR to a directory of your own.`);
      }
    }
    return this.directoryProblem === null;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }
}

/** Why `directory` is not a private directory of this user (created 0700 when missing), or undefined when it is. */
export function privateDirectoryProblem(directory: string): string | undefined {
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  try {
    fs.mkdirSync(directory, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create ${directory} (${(error as NodeJS.ErrnoException).code})`;
  }
  const stat = fs.lstatSync(directory);
  if (stat.isSymbolicLink()) return `${directory} is a symbolic link, not a directory`;
  if (!stat.isDirectory()) return `${directory} is not a directory`;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `${directory} belongs to uid ${stat.uid}, not to you (uid ${uid})`;
  // Others may not plant records. (An existing directory is never chmod-ed: it may be one the user made for more.)
  if ((stat.mode & 0o022) !== 0) return `${directory} is writable by others (mode ${(stat.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Reads a regular file of this user without following a link or blocking on a FIFO; throws saying what is there instead. */
function readOwnRegularFile(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error(stat.isDirectory() ? 'it is a directory, not a file' : 'it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) throw new Error(`it belongs to uid ${stat.uid}, not to you`);
    if (stat.size > MAX_RECORD_BYTES) throw new Error(`it is ${stat.size} bytes, too large for a record`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
