import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF003: an ECR repository does not scan images on push. */
export class RepositoryScanOnPushRule implements IImageRule {
  public readonly id = 'CCF003';
  public readonly level = RuleLevel.INFO;
  public readonly title = 'ECR repository without scan on push';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.REPOSITORY || subject.scanOnPush) return [];
    return [{
      message: `ECR repository ${subject.construct.node.path} does not scan images on push`,
      fix: 'set imageScanOnPush: true (or configure registry-wide scanning)',
    }];
  }
}
