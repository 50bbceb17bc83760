import { LAMBDA_IMAGE_SIZE_LIMIT_BYTES } from '../lambda-facts';

/** Lambda's limit for the uncompressed size of a container image, all layers included (from lib/lambda-facts.ts). */
export const LAMBDA_IMAGE_LIMIT_BYTES = LAMBDA_IMAGE_SIZE_LIMIT_BYTES;
