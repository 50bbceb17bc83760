import { argumentText, flagValues, lineOf } from '../../dockerfile/parsed-dockerfile';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

interface Manager {
  readonly name: string;
  readonly install: RegExp;
  readonly cleaned: RegExp;
  readonly cacheMount: RegExp;
  readonly fix: string;
}

const MANAGERS: Manager[] = [
  {
    name: 'apt-get',
    install: /\bapt(-get)?\s+(-\S+\s+)*install\b/,
    cleaned: /\brm\s+-\S*\s+[^;&|]*\/var\/lib\/apt\/lists/,
    cacheMount: /target=\/var\/(lib|cache)\/apt/,
    fix: 'end the same RUN with && rm -rf /var/lib/apt/lists/*',
  },
  {
    name: 'yum/dnf',
    install: /\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b/,
    cleaned: /\b(yum|dnf|microdnf)\s+clean\s+all\b|\brm\s+-\S*\s+[^;&|]*\/var\/cache\/(yum|dnf)/,
    cacheMount: /target=\/var\/cache\/(yum|dnf)/,
    fix: 'end the same RUN with && dnf clean all (or yum clean all) && rm -rf /var/cache/dnf /var/cache/yum',
  },
  {
    name: 'apk',
    install: /\bapk\s+(-\S+\s+)*add\b/,
    cleaned: /--no-cache\b|\brm\s+-\S*\s+[^;&|]*\/var\/cache\/apk/,
    cacheMount: /target=\/var\/cache\/apk/,
    fix: 'use apk add --no-cache',
  },
];

/** CCF108: package manager caches left in the layer that installed the packages. */
export class PackageCacheRule implements IImageRule {
  public readonly id = 'CCF108';
  public readonly level = RuleLevel.INFO;
  public readonly title = 'Package manager cache not cleaned in the same layer';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructionsOf('RUN')) {
      const text = argumentText(instruction);
      const mounts = flagValues(instruction, 'mount').join(' ');
      for (const manager of MANAGERS) {
        if (!manager.install.test(text) || manager.cleaned.test(text) || manager.cacheMount.test(mounts)) continue;
        findings.push({
          message: `${manager.name} installs packages but leaves its cache in the layer`,
          fix: manager.fix,
          line: lineOf(instruction),
        });
      }
    }
    return findings;
  }
}
