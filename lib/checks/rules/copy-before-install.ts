import { argumentText, copySources, flagValues, keywordOf, lineOf } from '../../dockerfile/parsed-dockerfile';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

const DEPENDENCY_INSTALL = new RegExp([
  '\\bpip[0-9.]*\\s+install\\b', '\\bpython[0-9.]*\\s+-m\\s+pip\\s+install\\b', '\\bnpm\\s+(ci|install|i)\\b',
  '\\byarn(\\s+install)?\\s*($|&&|;|--)', '\\bpnpm\\s+(install|i)\\b', '\\bpoetry\\s+install\\b', '\\bpipenv\\s+install\\b',
  '\\buv\\s+(sync|pip\\s+install)\\b', '\\bbundle\\s+install\\b', '\\bgo\\s+mod\\s+download\\b', '\\bcomposer\\s+install\\b',
].join('|'));

/** CCF104: the whole context is copied before dependencies are installed, so any code change reinstalls them. */
export class CopyBeforeInstallRule implements IImageRule {
  public readonly id = 'CCF104';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Whole context copied (COPY . …) before the dependency install';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      let copyAll: { line: number; text: string } | undefined;
      for (const instruction of stage.instructions) {
        const keyword = keywordOf(instruction);
        if ((keyword === 'COPY' || keyword === 'ADD') && !copyAll && flagValues(instruction, 'from').length === 0
          && copySources(instruction).some(isWholeContext)) {
          copyAll = { line: lineOf(instruction), text: `${keyword} ${copySources(instruction).join(' ')}` };
        } else if (keyword === 'RUN' && copyAll) {
          const install = DEPENDENCY_INSTALL.exec(argumentText(instruction));
          if (!install) continue;
          findings.push({
            message: `${copyAll.text} copies the whole context before '${install[0].trim()}' (line ${lineOf(instruction)}), so every code change reinstalls all dependencies`,
            fix: 'copy only the dependency manifests (requirements.txt, package*.json, …) first, install, then COPY the code',
            line: copyAll.line,
          });
          break;
        }
      }
    }
    return findings;
  }
}

function isWholeContext(source: string): boolean {
  return /^(\.\/*|\.\/\*|\*|\/)$/.test(source.trim());
}
