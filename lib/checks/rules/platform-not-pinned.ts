import { dockerPlatform } from '../../lambda-facts';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF021: an image asset without a platform is built for whatever machine runs `cdk deploy`. */
export class PlatformNotPinnedRule implements IImageRule {
  public readonly id = 'CCF021';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Image asset of a function built without an explicit platform';

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION || !subject.fromAsset || subject.platform || !subject.architecture) return [];
    const flag = subject._dockerfile()?.finalStage?.from.getPlatformFlag()?.getValue();
    if (flag && !flag.includes('$')) return []; // pinned in the Dockerfile (CCF020 checks it)
    const expected = dockerPlatform(subject.architecture);
    return [{
      message: `image asset has no platform, so Docker builds it for the machine running cdk (arm64 on Apple Silicon) while the function is ${subject.architecture}`,
      fix: `pass platform: Platform.${expected === 'linux/arm64' ? 'LINUX_ARM64' : 'LINUX_AMD64'} to the image asset (ContainerFunction does this for you)`,
    }];
  }
}
