import { lineOf } from '../../dockerfile/parsed-dockerfile';
import { lambdaArchitecture, normalizePlatform } from '../../lambda-facts';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF020: the image is built for the other architecture than the function runs on. */
export class PlatformMismatchRule implements IImageRule {
  public readonly id = 'CCF020';
  public readonly level = RuleLevel.ERROR;
  public readonly title = 'Image platform does not match the function architecture';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION || !subject.architecture) return [];
    const expected = lambdaArchitecture(subject.architecture)?.platform; // one Lambda does not run is not judged
    if (!expected) return [];
    const findings: RuleFinding[] = [];
    const fix = `build for ${expected} (platform: Platform.${expected === 'linux/arm64' ? 'LINUX_ARM64' : 'LINUX_AMD64'}) or change the function architecture`;
    if (subject.platform && !subject.platform.includes('$') && normalizePlatform(subject.platform) !== expected) {
      findings.push({
        message: `image is built for ${subject.platform} but the function architecture is ${subject.architecture} (exec format error at invoke)`,
        fix,
      });
    }
    const final = subject._dockerfile()?.finalStage;
    const flag = final?.from.getPlatformFlag()?.getValue();
    if (final && flag && !flag.includes('$') && normalizePlatform(flag) !== expected) {
      findings.push({
        message: `final stage FROM --platform=${flag} contradicts the function architecture ${subject.architecture}`,
        fix: `use FROM --platform=${expected}, or no --platform and let the build platform follow the function`,
        line: lineOf(final.from),
      });
    }
    return findings;
  }
}
