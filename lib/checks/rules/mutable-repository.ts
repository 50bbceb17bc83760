import { IConstruct } from 'constructs';
import { parseImageUri } from '../image-reference';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF002: a function pulls from a repository of the app whose tags are mutable. */
export class MutableRepositoryRule implements IImageRule {
  public readonly id = 'CCF002';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Function pulls from a repository with MUTABLE tags';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION || !subject.repository || subject.pushRestricted) return [];
    if ((subject.tagMutability ?? 'MUTABLE').toUpperCase().startsWith('IMMUTABLE')) return [];
    if (subject.imageUri && parseImageUri(subject.imageUri)?.digest) return [];
    return [{
      message: `function pulls from ECR repository ${ownerPath(subject.repository)} whose tag mutability is ${subject.tagMutability ?? 'MUTABLE'}, so a tag can silently name another image`,
      fix: 'set imageTagMutability: TagMutability.IMMUTABLE on the repository, or reference the image by digest',
    }];
  }
}

/** Path of the L2 whose default child is the repository, else of the repository. */
function ownerPath(repository: IConstruct): string {
  const scope = repository.node.scope;
  return scope && scope.node.defaultChild === repository ? scope.node.path : repository.node.path;
}
