import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CI_SHA_VARIABLES } from '../../lib/image/image-tag';

/** A real temporary git repository for tests. */
export class TempGitRepo {
  public static create(files: Record<string, string> = {}): TempGitRepo {
    const repo = new TempGitRepo(fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-git-')));
    repo.git('init', '-q', '-b', 'main');
    repo.write(files);
    if (Object.keys(files).length > 0) repo.commit('initial');
    return repo;
  }

  private constructor(public readonly root: string) {}

  public git(...args: string[]): string {
    // Fixed identity and dates: the same content always makes the same commit SHA.
    const env = { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
    return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args],
      { cwd: this.root, encoding: 'utf-8', env }).trim();
  }

  public write(files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(this.root, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }

  public commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.head();
  }

  public head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  public path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  public remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A minimal Lambda function directory with a Dockerfile. */
export function functionFiles(dir = 'fn', body = 'def handler(event, context):\n    return 1\n'): Record<string, string> {
  return {
    [`${dir}/Dockerfile`]: 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}\nCMD ["app.handler"]\n',
    [`${dir}/app.py`]: body,
  };
}

/** Runs a test body without CI SHA variables, so the machine's CI cannot leak into expectations. */
export function withoutCiShaVariables(): void {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of CI_SHA_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of CI_SHA_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
}
