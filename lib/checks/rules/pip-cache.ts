import { argumentText, flagValues, keywordOf, lineOf } from '../../dockerfile/parsed-dockerfile';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

const PIP_INSTALL = /(^|[\s;&|(])(?<!uv )(pip[0-9.]*|python[0-9.]*\s+-m\s+pip)\s+install\b/;

/** CCF103: `pip install` keeps its download cache in the layer. */
export class PipCacheRule implements IImageRule {
  public readonly id = 'CCF103';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'pip install without --no-cache-dir or a cache mount';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    // PIP_NO_CACHE_DIR set anywhere disables the cache for every pip run after it.
    if (/\bPIP_NO_CACHE_DIR\b/.test(dockerfile.ast.getInstructions().filter(i => ['ENV', 'ARG'].includes(keywordOf(i))).map(argumentText).join(' '))) return [];
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructionsOf('RUN')) {
      const text = argumentText(instruction);
      if (!PIP_INSTALL.test(text) || text.includes('--no-cache-dir')) continue;
      if (flagValues(instruction, 'mount').some(m => /type=cache/.test(m))) continue;
      findings.push({
        message: `'${text.length > 80 ? text.slice(0, 77) + '...' : text}' keeps pip's download cache in the image layer`,
        fix: 'add --no-cache-dir, or use RUN --mount=type=cache,target=/root/.cache/pip',
        line: lineOf(instruction),
      });
    }
    return findings;
  }
}
