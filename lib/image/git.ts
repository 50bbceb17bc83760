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

function runGit(root: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  spawnCount++;
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: (result.stderr ?? String(result.error ?? '')).trim() };
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
  head?: { sha?: string; error?: string };
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

  /** `git rev-parse HEAD` of the repository at `root`; throws with git's message when there is no commit. */
  public headSha(root: string): string {
    const state = this.state(root);
    if (!state.head) {
      const result = runGit(root, ['rev-parse', '--verify', 'HEAD']);
      state.head = result.ok ? { sha: result.stdout.trim() } : { error: result.stderr || 'git rev-parse HEAD failed' };
    }
    if (state.head.error) throw new Error(state.head.error);
    return state.head.sha!;
  }

  /** Changed, untracked and ignored paths of the repository at `root`. */
  public status(root: string): GitStatus {
    const state = this.state(root);
    if (!state.status) {
      const result = runGit(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching']);
      if (!result.ok) throw new Error(result.stderr || 'git status failed');
      state.status = parsePorcelainZ(result.stdout);
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
      const result = runGit(root, ['ls-files', '-z']);
      if (!result.ok) throw new Error(result.stderr || 'git ls-files failed');
      state.tracked = result.stdout.split('\0').filter(f => f.length > 0);
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
      // --no-renames: a file renamed out of the context changed the context; an empty HEAD has no log.
      const result = runGit(root, ['log', '-1', '--format=%H', '--no-renames', '--', ...pathspecs]);
      state.lastCommits.set(key, result.ok && result.stdout.trim() ? result.stdout.trim() : undefined);
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
