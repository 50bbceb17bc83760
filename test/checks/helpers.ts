import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ContainerImageChecks, IImageRule, ImageSubject, ImageSubjectProps, RuleFinding, SubjectKind } from '../../lib/checks';
import { CheckEngine, Finding } from '../../lib/checks/engine';

/** The built-in rules that read only the Dockerfile (ids CCF1xx). */
export function dockerfileRules(): IImageRule[] {
  return ContainerImageChecks.defaultRules().filter(r => r.id.startsWith('CCF1'));
}

/** A subject for a Dockerfile alone (an image asset). */
export function dockerfileSubject(text: string, props: Partial<ImageSubjectProps> = {}): ImageSubject {
  return new ImageSubject({ kind: SubjectKind.IMAGE_ASSET, construct: new Stack(), dockerfileText: text, dockerfilePath: 'Dockerfile', ...props });
}

/** Findings of one rule on a Dockerfile, before suppression. */
export function check(rule: IImageRule, text: string, props: Partial<ImageSubjectProps> = {}): RuleFinding[] {
  return rule.check(dockerfileSubject(text, props));
}

/** Findings of the engine (suppressions applied) for a Dockerfile with the given rules. */
export function engineFindings(text: string, rules: IImageRule[] = dockerfileRules(), props: Partial<ImageSubjectProps> = {}): Finding[] {
  return new CheckEngine(rules, { strict: false }).run(dockerfileSubject(text, props));
}

/** Rule ids reported (not suppressed) for a Dockerfile, sorted and unique. */
export function reportedIds(text: string, props: Partial<ImageSubjectProps> = {}): string[] {
  return [...new Set(engineFindings(text, dockerfileRules(), props).filter(f => !f.suppressedBy).map(f => f.ruleId))].sort();
}

// Temporary contexts and cloud assemblies are removed after each test file (staged copies add up).
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function makeTemp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A temporary directory with files (content string, or a byte count for a sparse file). */
export function tempDir(files: Record<string, string | number>): string {
  const root = makeTemp('ccf-checks-');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'number') {
      fs.writeFileSync(file, '');
      fs.truncateSync(file, content); // sparse: reports the size without using the disk
    } else {
      fs.writeFileSync(file, content);
    }
  }
  return root;
}

/** A new app and stack whose assembly goes to a temporary directory. */
export function newStack(): { app: App; stack: Stack } {
  const app = new App({ outdir: makeTemp('ccf-out-') });
  return { app, stack: new Stack(app, 'Stack') };
}

export type Level = 'warning' | 'error' | 'info';

/** Messages reported on a stack; synthesizes once. */
export class Reported {
  public static of(stack: Stack): Reported {
    return new Reported(Annotations.fromStack(stack));
  }

  private constructor(public readonly annotations: Annotations) {}

  /** Messages of a level that start with a rule id. */
  public messages(level: Level, ruleId: string): string[] {
    const matcher = Match.stringLikeRegexp(`^${ruleId} `);
    const found = level === 'warning' ? this.annotations.findWarning('*', matcher)
      : level === 'error' ? this.annotations.findError('*', matcher) : this.annotations.findInfo('*', matcher);
    return found.map(m => String(m.entry.data));
  }

  /** Paths a rule id was reported on, at any level. */
  public paths(ruleId: string): string[] {
    const matcher = Match.stringLikeRegexp(`^${ruleId} `);
    return [...this.annotations.findWarning('*', matcher), ...this.annotations.findError('*', matcher), ...this.annotations.findInfo('*', matcher)]
      .map(m => m.id).sort();
  }

  /** Every rule id reported, at any level, sorted and unique. */
  public ids(): string[] {
    const matcher = Match.stringLikeRegexp('^CCF[0-9]+ ');
    const all = [...this.annotations.findWarning('*', matcher), ...this.annotations.findError('*', matcher), ...this.annotations.findInfo('*', matcher)];
    return [...new Set(all.map(m => String(m.entry.data).split(' ')[0]))].sort();
  }
}
