import { Arg, Env, Property } from 'dockerfile-ast';
import { argumentText, copySources, keywordOf, lineOf } from '../../dockerfile/parsed-dockerfile';
import { hasAwsAccessKey, hasUrlCredentials, isSecretName, redactAssignment, redactSecrets, secretAssignments } from '../redact';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

const FIX = 'pass it as a BuildKit secret (buildSecrets) and read it in RUN --mount=type=secret, never as ARG/ENV or in a URL';

/** CCF102: secrets in ARG/ENV, in URLs in the Dockerfile, or in build args passed from CDK. */
export class BuildSecretRule implements IImageRule {
  public readonly id = 'CCF102';
  public readonly level = RuleLevel.ERROR;
  public readonly title = 'Secret in a build arg, ENV or URL (use buildSecrets)';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    const findings: RuleFinding[] = [];
    const argLines = new Map<string, number>();
    const reported = new Set<string>();
    const instructions = dockerfile ? [...dockerfile.preamble, ...dockerfile.stages.flatMap(s => [s.from, ...s.instructions])] : [];

    for (const instruction of instructions) {
      const keyword = keywordOf(instruction);
      if (instruction instanceof Arg || instruction instanceof Env) {
        for (const property of properties(instruction)) {
          const name = property.getName();
          const value = property.getValue();
          if (instruction instanceof Arg && !argLines.has(name)) argLines.set(name, lineOf(instruction));
          const secretName = isSecretName(name);
          const credentials = value !== null && hasUrlCredentials(value);
          const awsKey = value !== null && hasAwsAccessKey(value);
          if (!secretName && !credentials && !awsKey) continue;
          reported.add(name);
          findings.push({
            message: `${keyword} ${redactSecrets(redactAssignment(name, value, secretName))} ${credentials ? 'contains URL credentials' : awsKey ? 'contains an AWS access key id' : 'looks like a secret'}; ${keyword === 'ARG' ? 'build args are kept in the image history' : 'ENV is baked into the image'}`,
            fix: FIX,
            line: lineOf(instruction),
          });
        }
      } else if (keyword === 'RUN' || keyword === 'ADD' || keyword === 'FROM') {
        const text = keyword === 'ADD' ? copySources(instruction).join(' ') : argumentText(instruction);
        const assigned = keyword === 'RUN' ? secretAssignments(text) : [];
        if (hasUrlCredentials(text) || assigned.length > 0 || hasAwsAccessKey(text)) {
          const what = assigned.length > 0 ? `sets ${assigned.join(', ')} to a literal value`
            : hasUrlCredentials(text) ? 'contains a URL with credentials' : 'contains an AWS access key id';
          findings.push({
            message: `${keyword} ${what} (${shorten(redactSecrets(text))}), kept in the image history`,
            fix: FIX,
            line: lineOf(instruction),
          });
        }
      }
    }

    for (const [name, value] of Object.entries(subject.buildArgs ?? {})) {
      if (reported.has(name) || typeof value !== 'string') continue;
      const secretName = isSecretName(name);
      const credentials = hasUrlCredentials(value) || hasAwsAccessKey(value);
      if (!secretName && !credentials) continue;
      findings.push({
        message: `build arg ${redactSecrets(redactAssignment(name, value, secretName))} passed from CDK ${credentials ? 'contains credentials' : 'looks like a secret'}; build args are kept in the image history and the cloud assembly`,
        fix: FIX,
        line: argLines.get(name),
      });
    }
    return findings;
  }
}

function properties(instruction: Arg | Env): Property[] {
  if (instruction instanceof Arg) {
    const property = instruction.getProperty();
    return property ? [property] : [];
  }
  return instruction.getProperties();
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
