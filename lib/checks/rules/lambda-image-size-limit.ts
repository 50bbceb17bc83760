import { LAMBDA_IMAGE_SIZE_LIMIT_BYTES } from '../../lambda-facts';
import { formatSize } from '../../size-format';
import { sizeOf } from '../image-size';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

const LIMIT = formatSize(LAMBDA_IMAGE_SIZE_LIMIT_BYTES);

/** CCF011: the image exceeds Lambda's image size limit, so the function cannot be created. */
export class LambdaImageSizeLimitRule implements IImageRule {
  public readonly id = 'CCF011';
  public readonly level = RuleLevel.ERROR;
  public readonly title = `Image over Lambda's ${LIMIT} image size limit`;

  public check(subject: ImageSubject): RuleFinding[] {
    if (subject.kind !== SubjectKind.FUNCTION) return [];
    const size = sizeOf(subject);
    if (!size || size.bytes <= LAMBDA_IMAGE_SIZE_LIMIT_BYTES) return [];
    return [{
      message: `image ${size.label} ${formatSize(size.bytes)} is over Lambda's ${LIMIT} limit for container images${size.layersText}`,
      fix: 'remove data from the image (.dockerignore, exclude, narrower COPY) and load it at run time from S3 or EFS',
    }];
  }
}
