import { sizeOf } from '../image-size';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { formatMegabytes } from '../size-estimate';
import { LAMBDA_IMAGE_LIMIT_BYTES } from '../size-limits';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF011: the image exceeds Lambda's 10 GB limit, so the function cannot be created. */
export class LambdaImageSizeLimitRule implements IImageRule {
  public readonly id = 'CCF011';
  public readonly level = RuleLevel.ERROR;
  public readonly title = "Image over Lambda's 10 GB image size limit";

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION) return [];
    const size = sizeOf(subject);
    if (!size || size.bytes <= LAMBDA_IMAGE_LIMIT_BYTES) return [];
    return [{
      message: `image ${size.label} ${formatMegabytes(size.bytes)} is over Lambda's 10 GB limit for container images${size.layersText}`,
      fix: 'remove data from the image (.dockerignore, exclude, narrower COPY) and load it at run time from S3 or EFS',
    }];
  }
}
