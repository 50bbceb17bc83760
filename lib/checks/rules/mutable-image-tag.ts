import { parseImageUri, showImageUri } from '../image-reference';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF001: a function's image is referenced by a mutable tag (`latest` or none). */
export class MutableImageTagRule implements IImageRule {
  public readonly id = 'CCF001';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Function image referenced by a mutable tag (latest or no tag)';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION || subject.immutableTag || subject.fromAsset || !subject.imageUri) return [];
    const reference = parseImageUri(subject.imageUri);
    if (!reference || reference.digest) return [];
    const shown = subject.repository ? `from repository ${subject.repository.node.scope?.node.path ?? subject.repository.node.path}` : showImageUri(subject.imageUri);
    if (reference.tag === 'latest' || reference.tag === undefined) {
      const what = reference.tag === undefined ? 'has no tag (Lambda pulls latest)' : "uses the mutable tag 'latest'";
      return [{
        message: `function image ${shown}${reference.tag ? ':' + reference.tag : ''} ${what}, so pushing a new image never updates the function`,
        fix: "reference a digest or an immutable tag, e.g. DockerImageCode.fromEcr(repo, { tagOrDigest: 'sha256:…' }), or use ContainerFunction",
      }];
    }
    return [];
  }
}
