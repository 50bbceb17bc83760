import * as fs from 'fs';
import * as path from 'path';

// Internal: symlinks in a build context that point outside it. DockerImageAsset follows them when it stages the context
// (CDK's default, SymlinkFollowMode.EXTERNAL), so the target's content is in the image while git, asked about the
// context, sees only the link: the dirty state must ask about the target too.

export interface ExternalLink {
  /** The link, absolute. */
  readonly link: string;
  /** Its target's real path (a file or a directory outside the context). */
  readonly target: string;
}

/** Links under `context` (not under ignored paths, never followed) whose real target lies outside the context. */
export function externalLinks(context: string, ignored: (absolute: string) => boolean): ExternalLink[] {
  const realContext = fs.realpathSync(context);
  const found: ExternalLink[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (ignored(absolute)) continue;
      if (entry.isDirectory()) {
        walk(absolute);
      } else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(absolute);
        } catch {
          continue; // dangling or a loop: staging the asset fails on it anyway, with CDK's own message
        }
        const inside = path.relative(realContext, target);
        if (inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) found.push({ link: absolute, target });
      }
    }
  };
  walk(context);
  return found;
}

/**
 * True when git cannot vouch for a link's target: it lies outside the repository, or it (or a path below it, for a
 * directory) is modified, untracked or ignored.
 */
export function linkTargetIsDirty(gitRoot: string, target: string, changedOrIgnored: string[]): boolean {
  const realRoot = fs.realpathSync(gitRoot);
  const relative = path.relative(realRoot, target);
  if (relative.split(path.sep)[0] === '..' || path.isAbsolute(relative)) return true;
  return changedOrIgnored.some(p => {
    const changed = path.resolve(realRoot, p).replace(/\/$/, '');
    return changed === target || changed.startsWith(target + path.sep) || target.startsWith(changed + path.sep);
  });
}
