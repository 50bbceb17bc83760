import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

const TOKEN = /\$\{Token\[[^\]]*\]\}/g;

/** CCF001: a function's image is referenced by a mutable tag (`latest` or none). */
export class MutableImageTagRule implements IImageRule {
  public readonly id = 'CCF001';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Function image referenced by a mutable tag (latest or no tag)';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION || subject.immutableTag || subject.fromAsset || !subject.imageUri) return [];
    const reference = parseReference(subject.imageUri);
    if (!reference || reference.digest) return [];
    const shown = subject.repository ? `from repository ${subject.repository.node.scope?.node.path ?? subject.repository.node.path}` : subject.imageUri.replace(TOKEN, '<token>');
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

/** Tag and digest of an image URI; undefined when tokens hide them. */
export function parseReference(uri: string): { tag?: string; digest?: string } | undefined {
  const at = uri.lastIndexOf('@');
  if (at > uri.lastIndexOf('/') && at >= 0) return { digest: uri.slice(at + 1) };
  const tail = uri.slice(uri.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return tail.includes('${Token[') || uri.lastIndexOf('/') < 0 ? undefined : {};
  const tag = tail.slice(colon + 1);
  return tag.includes('${Token[') ? undefined : { tag };
}
