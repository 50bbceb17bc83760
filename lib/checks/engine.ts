// Internal: runs rules on subjects and turns their findings into reportable, suppressed-or-not findings.
import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { redactSecrets } from './redact';
import { IImageRule, RuleFinding, RuleLevel } from './rule';
import { ImageSubject } from './subject';
import { Pragma } from '../dockerfile/parsed-dockerfile';
import { MIN_SUPPRESSION_REASON_LENGTH } from '../lambda-facts';
import { findSuppression, ID_PREFIX, Suppression } from './suppressions';

/** Engine diagnostics that are not rules: they have ids so they can be suppressed too. */
export const RULE_FAILED = 'CCF900';
export const UNUSED_SUPPRESSION = 'CCF901';
export const PRAGMA_WITHOUT_REASON = 'CCF902';

const MIN_PRAGMA_REASON = MIN_SUPPRESSION_REASON_LENGTH;

/** A finding ready to report. */
export interface Finding {
  readonly ruleId: string;
  /** Level after strict promotion. */
  readonly level: RuleLevel;
  readonly construct: IConstruct;
  /** Full one-line message, starting with the rule id, secrets redacted. */
  readonly message: string;
  readonly dockerfile?: string;
  readonly line?: number;
  /** Why the finding is not reported, when it is suppressed. */
  readonly suppressedBy?: string;
}

export interface EngineOptions {
  readonly strict: boolean;
}

export class CheckEngine {
  /** Reports one finding through CDK annotations (suppressed findings are not reported). */
  public static report(finding: Finding): void {
    if (finding.suppressedBy !== undefined) return;
    const annotations = Annotations.of(finding.construct);
    switch (finding.level) {
      case RuleLevel.ERROR: annotations.addError(finding.message); break;
      case RuleLevel.WARNING: annotations.addWarningV2(ID_PREFIX + finding.ruleId, finding.message); break;
      default: annotations.addInfo(finding.message);
    }
  }

  /** Suppressions that matched at least one finding, by `path|ruleId`. */
  public readonly usedSuppressions = new Set<string>();
  /** Pragmas of the current subject's Dockerfile that matched a finding, with the ids that did. */
  private usedPragmas = new Map<Pragma, Set<string>>();

  constructor(private readonly rules: IImageRule[], private readonly options: EngineOptions) {}

  /** Runs every rule on the subject; never throws. */
  public run(subject: ImageSubject): Finding[] {
    const findings: Finding[] = [];
    this.usedPragmas = new Map();
    for (const rule of this.rules) {
      try {
        // Malformed results of a custom rule fail here too, inside the guard.
        const results = rule.check(subject) ?? [];
        findings.push(...results.map(result => this.finding(subject, rule.id, rule.level, result)));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        findings.push(this.finding(subject, RULE_FAILED, RuleLevel.WARNING, {
          message: `rule ${rule.id} (${rule.constructor?.name ?? 'custom rule'}) failed on ${subject.construct.node.path}: ${oneLine(reason)}; the rule was skipped`,
          fix: 'report the error to the rule\'s author; suppress CCF900 on this construct meanwhile',
        }));
      }
    }
    findings.push(...this.pragmaFindings(subject));
    return findings;
  }

  private finding(subject: ImageSubject, ruleId: string, level: RuleLevel, result: RuleFinding): Finding {
    const line = typeof result.line === 'number' ? result.line : undefined;
    const where = line !== undefined && subject.dockerfilePath ? `${subject.dockerfilePath}:${line}: ` : '';
    if (typeof result.message !== 'string' || typeof result.fix !== 'string') throw new Error('a finding needs a message and a fix');
    const message = redactSecrets(oneLine(`${ruleId} ${where}${result.message}. Fix: ${result.fix}`));
    // A failing rule stays a warning even in strict mode: a bug in a check must not block a deployment.
    const promoted = this.options.strict && level === RuleLevel.WARNING && ruleId !== RULE_FAILED ? RuleLevel.ERROR : level;
    return {
      ruleId,
      level: promoted,
      construct: subject.construct,
      message,
      dockerfile: subject.dockerfilePath,
      line,
      suppressedBy: this.suppression(subject, ruleId, line),
    };
  }

  private suppression(subject: ImageSubject, ruleId: string, line: number | undefined): string | undefined {
    if (line !== undefined) {
      const pragma = subject._dockerfile()?.pragmas.find(p => p.ruleIds.includes(ruleId)
        && p.reason.length >= MIN_PRAGMA_REASON && line >= p.coversFrom && line <= p.coversTo);
      if (pragma) this.usedPragmas.set(pragma, (this.usedPragmas.get(pragma) ?? new Set()).add(ruleId));
      if (pragma) return `pragma at ${subject.dockerfilePath ?? 'Dockerfile'}:${pragma.line}: ${pragma.reason}`;
    }
    const suppression = findSuppression(subject.construct, ruleId);
    if (suppression) {
      this.usedSuppressions.add(suppressionKey(suppression));
      return `${suppression.construct.node.path}: ${suppression.reason}`;
    }
    return undefined;
  }

  private pragmaFindings(subject: ImageSubject): Finding[] {
    const pragmas = subject._dockerfile()?.pragmas ?? [];
    const withoutReason = pragmas.filter(p => p.reason.length < MIN_PRAGMA_REASON);
    // Each id of a pragma answers for itself: `# ccf-ignore=CCF103,CCF108` where only CCF103 matched reports CCF108.
    const unused = pragmas.filter(p => p.reason.length >= MIN_PRAGMA_REASON)
      .flatMap(p => p.ruleIds.filter(id => !this.usedPragmas.get(p)?.has(id)).map(id => ({ pragma: p, id })));
    return [
      ...withoutReason.map(p => this.finding(subject, PRAGMA_WITHOUT_REASON, RuleLevel.WARNING, {
        message: `'# ccf-ignore=${p.ruleIds.join(',')}' has no reason, so it suppresses nothing`,
        fix: `write why after the ids, e.g. '# ccf-ignore=${p.ruleIds.join(',')} base image pinned by digest upstream'`,
        line: p.line,
      })),
      ...unused.map(({ pragma, id }) => this.finding(subject, UNUSED_SUPPRESSION, RuleLevel.INFO, {
        message: pragma.ruleIds.length === 1
          ? `'# ccf-ignore=${id}' matched no finding on the next instruction`
          : `${id} in '# ccf-ignore=${pragma.ruleIds.join(',')}' matched no finding on the next instruction`,
        fix: pragma.ruleIds.length === 1 ? 'remove the pragma' : `remove ${id} from the pragma`,
        line: pragma.line,
      })),
    ];
  }
}

export function suppressionKey(s: Suppression): string {
  return `${s.construct.node.path}|${s.ruleId}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
