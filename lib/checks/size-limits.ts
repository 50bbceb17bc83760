/** Lambda's limit for the uncompressed size of a container image, all layers included. */
export const LAMBDA_IMAGE_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;
