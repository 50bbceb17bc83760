/**
 * A model of ECR's documented lifecycle policy evaluation, to check our rules by simulation
 * (ECR itself cannot be run here). From the ECR user guide, "Lifecycle policy evaluation rules":
 * - an image is expired by exactly one or zero rules;
 * - an image that matches the tagging requirements of a higher priority rule cannot be expired by a
 *   rule with a lower priority;
 * - rules can never mark images that are marked by higher priority rules, but can still identify them
 *   as if they haven't been expired (they still count);
 * - with tagPrefixList / tagPatternList an image is selected when every listed prefix / pattern is
 *   matched by at least one of its tags (`*` is a wildcard in patterns);
 * - expiration is ordered by pushed_at_time: imageCountMoreThan keeps the newest N and expires the
 *   rest; sinceImagePushed expires images pushed more than N days ago;
 * - an image's pushed_at_time is set when its manifest is first pushed; adding a tag to an existing
 *   image does not change it (aws/containers-roadmap #2746).
 */

export interface LifecycleRule {
  readonly rulePriority: number;
  readonly selection: {
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
    readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
    readonly countNumber: number;
    readonly countUnit?: 'days';
  };
  readonly action: { readonly type: 'expire' };
}

export interface ModelImage {
  readonly digest: string;
  /** Days since the simulation started, when the manifest was first pushed. */
  readonly pushedAt: number;
  readonly tags: Set<string>;
}

/** One repository: images by digest, each with its tags. */
export class ModelRepository {
  public readonly images = new Map<string, ModelImage>();
  /** tag -> digest of the image that holds it. */
  private readonly tagIndex = new Map<string, string>();

  /** A push of `digest` under `tag` (undefined: an untagged push, as an interrupted copy leaves). */
  public push(digest: string, tag: string | undefined, day: number): void {
    if (tag !== undefined) {
      // A tag names one image: pushing it elsewhere moves it (the old image may become untagged).
      const holder = this.tagIndex.get(tag);
      if (holder !== undefined && holder !== digest) this.images.get(holder)?.tags.delete(tag);
      this.tagIndex.set(tag, digest);
    }
    const existing = this.images.get(digest);
    if (existing) {
      if (tag !== undefined) existing.tags.add(tag); // pushedAt stays: ECR does not refresh it on re-tag
      return;
    }
    this.images.set(digest, { digest, pushedAt: day, tags: new Set(tag === undefined ? [] : [tag]) });
  }

  public has(tag: string): boolean {
    const digest = this.tagIndex.get(tag);
    return digest !== undefined && this.images.get(digest)?.tags.has(tag) === true;
  }

  /** Runs the policy once, as ECR's daily evaluation does, and deletes what it expires. Returns the expired digests. */
  public applyLifecycle(rules: LifecycleRule[], day: number): string[] {
    const expired = evaluate([...this.images.values()], rules, day);
    for (const digest of expired) {
      for (const tag of this.images.get(digest)!.tags) this.tagIndex.delete(tag);
      this.images.delete(digest);
    }
    return expired;
  }
}

/** The digests a policy expires on `day`. */
export function evaluate(images: ModelImage[], rules: LifecycleRule[], day: number): string[] {
  const ordered = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const claimedByHigher = new Set<string>();
  const marked = new Set<string>();
  for (const rule of ordered) {
    const selected = images.filter(image => selects(rule, image));
    let candidates: ModelImage[];
    if (rule.selection.countType === 'imageCountMoreThan') {
      candidates = [...selected].sort((a, b) => b.pushedAt - a.pushedAt).slice(rule.selection.countNumber);
    } else {
      candidates = selected.filter(image => day - image.pushedAt > rule.selection.countNumber);
    }
    for (const image of candidates) {
      if (!marked.has(image.digest) && !claimedByHigher.has(image.digest)) marked.add(image.digest);
    }
    for (const image of selected) claimedByHigher.add(image.digest);
  }
  return [...marked];
}

function selects(rule: LifecycleRule, image: ModelImage): boolean {
  const tags = [...image.tags];
  switch (rule.selection.tagStatus) {
    case 'untagged': return tags.length === 0;
    case 'any': return true;
    case 'tagged': {
      if (tags.length === 0) return false;
      const prefixes = rule.selection.tagPrefixList ?? [];
      const patterns = rule.selection.tagPatternList ?? [];
      return prefixes.every(p => tags.some(t => t.startsWith(p))) && patterns.every(p => tags.some(t => wildcard(p).test(t)));
    }
  }
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
