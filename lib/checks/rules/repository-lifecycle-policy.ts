import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF004: an ECR repository has no lifecycle policy, so old images accumulate. */
export class RepositoryLifecyclePolicyRule implements IImageRule {
  public readonly id = 'CCF004';
  public readonly level = RuleLevel.INFO;
  public readonly title = 'ECR repository without a lifecycle policy';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.REPOSITORY || subject.hasLifecyclePolicy) return [];
    return [{
      message: `ECR repository ${subject.construct.node.path} has no lifecycle policy, so every pushed image is kept and billed`,
      fix: 'add a lifecycle rule, e.g. repository.addLifecycleRule({ maxImageCount: 50 }), keeping images still deployed',
    }];
  }
}
