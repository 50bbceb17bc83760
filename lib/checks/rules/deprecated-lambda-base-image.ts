import { lineOf, showImage } from '../../dockerfile/parsed-dockerfile';
import { deprecationOf, lambdaBaseImage } from '../lambda-base-image';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

/** Options of the CCF109 rule. */
export interface DeprecatedLambdaBaseImageRuleProps {
  /**
   * The date deprecations are judged on.
   *
   * @default - today
   */
  readonly asOf?: Date;
}

/** CCF109: FROM an AWS Lambda base image whose runtime AWS has deprecated (CDK cannot see a Dockerfile's runtime). */
export class DeprecatedLambdaBaseImageRule implements IImageRule {
  public readonly id = 'CCF109';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'FROM a deprecated AWS Lambda base image';
  private readonly asOf?: Date;

  constructor(props: DeprecatedLambdaBaseImageRuleProps = {}) {
    this.asOf = props.asOf;
  }

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    const asOf = this.asOf ?? new Date();
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      const reference = dockerfile.imageOf(stage.from);
      const base = lambdaBaseImage(reference);
      const deprecation = base && deprecationOf(base, asOf);
      if (!reference || !deprecation) continue;
      findings.push({
        message: `FROM ${showImage(reference)} is the ${deprecation.identifier} runtime, deprecated by AWS Lambda on ${deprecation.deprecatedOn} (no more security patches)`,
        fix: `move to ${deprecation.replacement}`,
        line: lineOf(stage.from),
      });
    }
    return findings;
  }
}
