import { ImageSubject } from './subject';

/** How serious a finding is; decides how it is reported. */
export enum RuleLevel {
  /** Reported with `Annotations.addInfo`; never fails synth. */
  INFO = 'info',
  /** Reported with `Annotations.addWarningV2`; becomes an error in strict mode. */
  WARNING = 'warning',
  /** Reported with `Annotations.addError`; `cdk synth` fails. */
  ERROR = 'error',
}

/** One problem a rule found in one subject. */
export interface RuleFinding {
  /**
   * What is wrong, in one line, naming the offending value (without the rule id, the
   * Dockerfile location or the fix: the engine adds those).
   */
  readonly message: string;

  /** How to fix it, in one sentence. */
  readonly fix: string;

  /**
   * 1-based line in the subject's Dockerfile the finding points at.
   *
   * @default - the finding is about the construct, not a Dockerfile line
   */
  readonly line?: number;
}

/**
 * A synth-time check run by `ContainerImageChecks` on every container image subject
 * (function, image asset or ECR repository) of an app.
 */
export interface IImageRule {
  /** Stable id, e.g. `CCF101`. Never reused for another meaning. */
  readonly id: string;

  /** Level of every finding of this rule (warnings become errors in strict mode). */
  readonly level: RuleLevel;

  /** One-line title, as listed in RULES.md. */
  readonly title: string;

  /**
   * Returns the findings for one subject; an empty array when the subject is compliant or
   * the rule does not apply to it. A rule that throws is reported as a warning, never
   * crashes synth.
   */
  check(subject: ImageSubject): RuleFinding[];
}
