import { LAMBDA_IMAGE_SIZE_LIMIT_BYTES } from '../../lambda-facts';
import { formatSize } from '../../size-format';
import { sizeOf } from '../image-size';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject, SubjectKind } from '../subject';

/** CCF010: the image is larger than its size budget. */
export class ImageSizeBudgetRule implements IImageRule {
  public readonly id = 'CCF010';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Image over its size budget (maxImageSize or defaultMaxImageSize)';

  public check(subject: ImageSubject): RuleFinding[] {
    const budget = subject.maxImageSizeBytes;
    if (subject.kind !== SubjectKind.FUNCTION || budget === undefined) return [];
    const size = sizeOf(subject);
    // Over a budget at or above Lambda's limit, CCF011 (an error) already says it.
    if (!size || size.bytes <= budget || (budget >= LAMBDA_IMAGE_SIZE_LIMIT_BYTES && size.bytes > LAMBDA_IMAGE_SIZE_LIMIT_BYTES)) return [];
    return [{
      message: `image ${size.label} ${formatSize(size.bytes)} is over its budget of ${formatSize(budget)}${size.layersText}`,
      fix: size.layersText
        ? 'cut the largest layers (fewer packages, --no-cache-dir, delete in the same RUN that writes), exclude what the image does not need, or raise maxImageSize'
        : 'exclude what the image does not need (.dockerignore, exclude, narrower COPY) or raise maxImageSize',
    }];
  }
}
