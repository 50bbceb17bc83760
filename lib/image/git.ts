import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';

/** What one `git status` of a repository said, relative to its root. */
export interface GitStatus {
  /** Modified, added, deleted, renamed or untracked paths. */
  readonly changed: string[];
  /** Ignored paths (directories end with `/`): content that the commit does not determine. */
  readonly ignored: string[];
}

/** Counts git processes, so benchmarks and tests can prove git runs a bounded number of times. */
let spawnCount = 0;
export function gitSpawnCount(): number {
  return spawnCount;
}

/**
 * Git could not read a repository: not installed, the repository owned by another user (git's "dubious ownership"),
 * a corrupt index, or another failure. Carries what happened and the fix, so callers can name their construct.
 */
export class GitUnreadableError extends Error {
  constructor(public readonly root: string, public readonly reason: string, public readonly fix: string) {
    super(`${reason}. ${fix}`);
    this.name = 'GitUnreadableError';
  }
}

/**
 * Runs git in `root` and returns its output; undefined when it fails in the way `expected` recognizes (from its exit
 * code and message); throws GitUnreadableError for any other failure.
 */
function runGit(root: string, args: string[], expected?: (status: number, stderr: string) => boolean): string | undefined {
  spawnCount++;
  // The program's environment as it stands (PATH included), not the one Node started with.
  const result = spawnSync('git', args, { cwd: root, env: process.env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  const stderr = (result.stderr ?? '').trim();
  if (!result.error && result.status === 0) return result.stdout ?? '';
  if (!result.error && result.status !== null && expected?.(result.status, stderr)) return undefined;
  throw gitFailure(root, args, result.error as NodeJS.ErrnoException | undefined, stderr);
}

/** git's message for a repository whose branch has no commit yet. */
const NO_COMMITS = /does not have any commits yet|bad default revision 'HEAD'|unknown revision or path not in the working tree/;

/** What went wrong, in the user's terms, with the fix git itself would suggest. */
export function gitFailure(root: string, args: string[], error: NodeJS.ErrnoException | undefined, stderr: string): GitUnreadableError {
  if (error?.code === 'ENOENT') {
    return new GitUnreadableError(root, `git is not installed or not on the PATH (spawn git ENOENT), so ${root} cannot be read`,
      'Install git, or pass the commit another way');
  }
  if (error) return new GitUnreadableError(root, `git could not run in ${root} (${error.message})`, 'Check that git runs there');
  if (/dubious ownership/i.test(stderr)) {
    return new GitUnreadableError(root, `git refuses to read ${root}: it belongs to another user ("detected dubious ownership")`,
      `If you trust it, run 'git config --global --add safe.directory ${root}'`);
  }
  if (/index file (corrupt|smaller than expected)|bad index file|index uses .* extension, which we do not understand|bad signature/i.test(stderr)) {
    return new GitUnreadableError(root, `the git index of ${root} is corrupt (${stderr.split('\n')[0]})`,
      `Rebuild it, keeping your files: 'rm "$(git -C ${root} rev-parse --git-path index)" && git -C ${root} reset'`);
  }
  return new GitUnreadableError(root, `git ${args[0]} failed in ${root} (${stderr.split('\n')[0] || 'no message'})`, 'Check that git can read the repository');
}

/** Finds the top of the git work tree holding `directory` without spawning git (`.git` is a dir or, in worktrees, a file). */
export function findGitRoot(directory: string): string | undefined {
  let current = path.resolve(directory);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Parses `git status --porcelain=v1 -z`: entries are `XY path\0`, renames and copies add `\0origPath`. */
export function parsePorcelainZ(output: string): GitStatus {
  const changed: string[] = [];
  const ignored: string[] = [];
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code === '!!') {
      ignored.push(file);
    } else {
      changed.push(file);
      if (code[0] === 'R' || code[0] === 'C') {
        changed.push(fields[++i]);
      }
    }
  }
  return { changed, ignored };
}

interface RepositoryState {
  head?: { sha?: string; error?: GitUnreadableError };
  status?: GitStatus;
  tracked?: string[];
  shallow?: boolean;
  lastCommits: Map<string, string | undefined>;
}

/**
 * Reads git once per repository per CDK app: many functions in one app cost two git runs,
 * and a new App (a new synth) reads the repository afresh.
 */
export class GitReader {
  public static of(scope: IConstruct): GitReader {
    const root = scope.node.root;
    let reader = READERS.get(root);
    if (!reader) {
      reader = new GitReader();
      READERS.set(root, reader);
    }
    return reader;
  }

  private readonly repositories = new Map<string, RepositoryState>();

  private state(root: string): RepositoryState {
    let state = this.repositories.get(root);
    if (!state) {
      state = { lastCommits: new Map() };
      this.repositories.set(root, state);
    }
    return state;
  }

  /**
   * `git rev-parse HEAD` of the repository at `root`: a full hex SHA, or undefined when the repository has no commit
   * yet. Throws GitUnreadableError when git cannot read the repository.
   */
  public headSha(root: string): string | undefined {
    const state = this.state(root);
    if (!state.head) {
      try {
        // --verify -q exits 1 without a message when HEAD names no commit (a repository without commits).
        const sha = runGit(root, ['rev-parse', '--verify', '-q', 'HEAD'], (status, stderr) => status === 1 && stderr === '')?.trim();
        if (sha !== undefined && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
          throw new GitUnreadableError(root, `git rev-parse HEAD in ${root} printed '${sha}', not a commit SHA`, 'Check that git can read the repository');
        }
        state.head = { sha };
      } catch (error) {
        if (!(error instanceof GitUnreadableError)) throw error;
        state.head = { error };
      }
    }
    if (state.head.error) throw state.head.error;
    return state.head.sha;
  }

  /** Changed, untracked and ignored paths of the repository at `root`. */
  public status(root: string): GitStatus {
    const state = this.state(root);
    if (!state.status) {
      state.status = parsePorcelainZ(runGit(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching'])!);
    }
    return state.status;
  }

  /** Whether the checkout at `root` is shallow (read once per repository and app). */
  public isShallow(root: string): boolean {
    const state = this.state(root);
    state.shallow ??= isShallowCheckout(root);
    return state.shallow;
  }

  /** Every path git tracks in the repository at `root` (one `git ls-files` per repository and app). */
  public trackedFiles(root: string): string[] {
    const state = this.state(root);
    if (!state.tracked) {
      state.tracked = runGit(root, ['ls-files', '-z'])!.split('\0').filter(f => f.length > 0);
    }
    return state.tracked;
  }

  /**
   * The newest commit reachable from HEAD that changed any path the pathspecs select
   * (`git log -1 -- <pathspecs>`), or undefined when none did. One git run per distinct pathspec list.
   */
  public lastCommit(root: string, pathspecs: string[]): string | undefined {
    const state = this.state(root);
    const key = pathspecs.join('\0');
    if (!state.lastCommits.has(key)) {
      // --no-renames: a file renamed out of the context changed the context. A repository without commits has no log.
      const sha = runGit(root, ['log', '-1', '--format=%H', '--no-renames', '--', ...pathspecs], (_, stderr) => NO_COMMITS.test(stderr))?.trim();
      state.lastCommits.set(key, sha || undefined);
    }
    return state.lastCommits.get(key);
  }
}

/** True when the checkout at `root` is shallow: its history is cut, so "last commit that changed X" is unknowable. */
export function isShallowCheckout(root: string): boolean {
  const dotGit = path.join(root, '.git');
  try {
    if (fs.statSync(dotGit).isDirectory()) return fs.existsSync(path.join(dotGit, 'shallow'));
    // Worktrees and submodules: `.git` is a file naming the git directory.
    const gitDir = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf-8'))?.[1]?.trim();
    if (!gitDir) return false;
    const resolved = path.resolve(root, gitDir);
    return fs.existsSync(path.join(resolved, 'shallow')) || fs.existsSync(path.join(resolved, '..', '..', 'shallow'));
  } catch {
    return false;
  }
}

const READERS = new WeakMap<IConstruct, GitReader>();
