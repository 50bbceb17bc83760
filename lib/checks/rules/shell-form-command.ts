import { argumentText, isJsonForm, keywordOf, lineOf, operands } from '../../dockerfile/parsed-dockerfile';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

/** CCF107: CMD/ENTRYPOINT in shell form run under `/bin/sh -c`, which Lambda base images do not expect. */
export class ShellFormCommandRule implements IImageRule {
  public readonly id = 'CCF107';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'CMD or ENTRYPOINT in shell form';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    const final = dockerfile?.finalStage;
    if (!dockerfile || !final) return [];
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.chain(final)) {
      for (const instruction of stage.instructions) {
        const keyword = keywordOf(instruction);
        if ((keyword !== 'CMD' && keyword !== 'ENTRYPOINT') || operands(instruction).length === 0 || isJsonForm(instruction)) continue;
        const words = operands(instruction).map(a => JSON.stringify(a)).join(', ');
        findings.push({
          message: `${keyword} ${argumentText(instruction)} is in shell form: it runs under /bin/sh -c, gets no signals, and a Lambda base image receives 'sh' args instead of the handler`,
          fix: `use exec form: ${keyword} [${words}]`,
          line: lineOf(instruction),
        });
      }
    }
    return findings;
  }
}
