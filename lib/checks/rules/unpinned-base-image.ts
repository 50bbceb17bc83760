import { lineOf, showImage } from '../../dockerfile/parsed-dockerfile';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

/** CCF101: FROM uses `latest` or no tag. */
export class UnpinnedBaseImageRule implements IImageRule {
  public readonly id = 'CCF101';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'FROM with latest or no tag';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      const from = stage.from;
      const reference = dockerfile.imageOf(from);
      if (!reference || reference.name.includes('$') || reference.name.toLowerCase() === 'scratch') continue;
      if (dockerfile.isStageName(reference.name, stage.index) || reference.digest) continue;
      const tag = reference.tag;
      if (tag && (tag.includes('$') || tag !== 'latest')) continue;
      findings.push({
        message: `FROM ${showImage(reference)} ${tag ? "uses the mutable tag 'latest'" : 'has no tag (Docker pulls latest)'}, so rebuilds silently change the base image`,
        fix: `pin a version tag or digest, e.g. FROM ${reference.name}:<version>@sha256:<digest>`,
        line: lineOf(from),
      });
    }
    return findings;
  }
}
