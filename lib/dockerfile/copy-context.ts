import * as fs from 'fs';
import * as path from 'path';

// Internal: copies the files Docker would send from a fromSource directory into a staging directory.
//
// Symlinks are never followed. A staged context holds only what lies under the source directory's real path:
// - a link whose target is inside is copied as a link (relative, so it still resolves in the image), and its target must
//   itself be in the context, or the image would hold a dangling link;
// - a link to anything outside is refused: following it would put files from elsewhere (a credentials file, a home
//   directory) into the asset and the image, and edits there would change the image while the git-based tag stays clean;
// - loops and dangling links are refused with the file and the fix, instead of a raw ELOOP/ENOENT.
// Not following links also means no walk can loop.

export interface CopyContextOptions {
  /** The source directory (as given; its real path bounds what may be copied). */
  readonly source: string;
  /** The source directory as the user wrote it, for messages. */
  readonly displaySource: string;
  /** The staging directory to fill; without one, only checks that the context can be staged (the links). */
  readonly destination?: string;
  /** True for paths (relative, `/`-separated) that Docker would not send. */
  readonly isExcluded: (relativePath: string) => boolean;
  /** False when negated patterns may re-include files under an excluded directory. */
  readonly canPrune: boolean;
  /** Relative paths the generated files replace. */
  readonly replaced: string[];
}

/** Copies the context into `destination`, or (without one) throws what copying would throw, copying nothing. */
export function copyContext(options: CopyContextOptions): void {
  const { source, destination, isExcluded, canPrune, replaced } = options;
  const realRoot = fs.realpathSync(source);
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(source, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const from = path.join(source, relPath);
      const to = destination === undefined ? undefined : path.join(destination, relPath);
      const st = fs.lstatSync(from);
      const excluded = isExcluded(relPath);
      if (st.isSymbolicLink()) {
        if (excluded || replaced.includes(relPath)) continue;
        const target = linkTarget(options, realRoot, relPath);
        if (to === undefined) continue;
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.symlinkSync(path.relative(path.dirname(path.join(realRoot, relPath)), path.join(realRoot, target)) || '.', to);
      } else if (st.isDirectory()) {
        if (excluded && canPrune) continue;
        walk(relPath);
      } else if (st.isFile() && !excluded) {
        if (replaced.includes(relPath) || to === undefined) continue;
        // eslint-disable-next-line no-bitwise
        const exec = (st.mode & 0o111) !== 0;
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(from, to);
        fs.chmodSync(to, exec ? 0o755 : 0o644);
      }
      // Sockets, FIFOs and devices are not build context: Docker cannot send them either.
    }
  };
  walk('');
}

/** The link's target relative to the source's real path; throws with the file and the fix when it may not be staged. */
function linkTarget(options: CopyContextOptions, realRoot: string, relPath: string): string {
  const shown = `${options.displaySource.replace(/\/+$/, '')}/${relPath}`;
  const from = path.join(options.source, relPath);
  let real: string;
  try {
    real = fs.realpathSync(from);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const points = safeReadlink(from);
    if (code === 'ELOOP') {
      throw new Error(`${shown} is a symlink loop (-> ${points}). Remove the link, or add '${relPath}' to the exclude option.`);
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new Error(`${shown} is a dangling symlink: its target ${points} does not exist. Remove the link, create the target, or add '${relPath}' to the exclude option.`);
    }
    throw new Error(`${shown}: cannot resolve the symlink (${code ?? (e as Error).message}). Remove it, or add '${relPath}' to the exclude option.`);
  }
  const inside = path.relative(realRoot, real);
  if (inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) {
    throw new Error(`${shown} is a symlink to ${real}, outside the source directory: the image would hold files from elsewhere, `
      + 'and changes there would not show in the tag. Copy the file into the directory (or build from a directory that contains both), '
      + `or add '${relPath}' to the exclude option.`);
  }
  const targetRel = inside.split(path.sep).join('/');
  if (targetRel !== '' && options.isExcluded(targetRel)) {
    throw new Error(`${shown} is a symlink to ${targetRel}, which is excluded from the build context: the image would hold a dangling link. `
      + `Add '${relPath}' to the exclude option too, or stop excluding '${targetRel}'.`);
  }
  return inside;
}

function safeReadlink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '?';
  }
}
