'use strict';
// Deploy-time guard run before an image is copied to repository:tag. A tag must never name two
// different images: it passes when the tag is absent (the copy will push it) or already holds this
// deployment's image (a retry after a failed deployment, or a rollback target), and fails clearly
// when the tag holds another image. Runs in the Lambda Node.js runtime, which ships the AWS SDK v3.

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set(MANIFEST_TYPES.slice(0, 2));

/** Reads repository:tag; undefined when the tag does not exist. */
async function readImage(ecr, sdk, repositoryName, imageTag) {
  const out = await ecr.send(new sdk.BatchGetImageCommand({
    repositoryName,
    imageIds: [{ imageTag }],
    acceptedMediaTypes: MANIFEST_TYPES,
  }));
  const image = (out.images || [])[0];
  if (image) return image;
  const failure = (out.failures || [])[0];
  if (!failure || failure.failureCode === 'ImageNotFound' || failure.failureCode === 'ImageTagDoesNotMatchDigest') return undefined;
  throw new Error(`reading ${repositoryName}:${imageTag} failed: ${failure.failureCode} ${failure.failureReason || ''}`.trim());
}

/**
 * The digest a single-architecture copy of the image has: the image's own digest, or, for an image
 * index (multi-platform or with attestations), the digest of its linux/<architecture> manifest.
 */
function platformDigest(image, architecture) {
  const mediaType = image.imageManifestMediaType || JSON.parse(image.imageManifest || '{}').mediaType;
  if (!INDEX_TYPES.has(mediaType)) return image.imageId.imageDigest;
  const manifests = JSON.parse(image.imageManifest).manifests || [];
  const match = manifests.find(m => m.platform && m.platform.os === 'linux' && m.platform.architecture === architecture);
  if (!match) throw new Error(`the image index ${image.imageId.imageDigest} has no linux/${architecture} image`);
  return match.digest;
}

/** Decides whether the copy may proceed. Returns { state: 'absent' | 'present', digest }, or throws. */
async function checkTag(ecr, sdk, props) {
  const source = await readImage(ecr, sdk, props.SourceRepositoryName, props.SourceTag);
  if (!source) {
    throw new Error(`source image ${props.SourceRepositoryName}:${props.SourceTag} does not exist; publish the stack's assets first (cdk deploy does this).`);
  }
  const expected = platformDigest(source, props.Architecture);
  const existing = await readImage(ecr, sdk, props.DestinationRepositoryName, props.DestinationTag);
  if (!existing) return { state: 'absent', digest: expected };
  const actual = existing.imageId.imageDigest;
  if (actual === expected) return { state: 'present', digest: expected };
  throw new Error(
    `${props.DestinationRepositoryName}:${props.DestinationTag} already holds ${actual}, not this deployment's image ${expected}. ` +
    'A tag never names two images: commit the change so it gets a new git SHA tag, or pass a new ImageTag.of() version.');
}

async function handler(event) {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    // Never delete images: an older tag may be the rollback target of another stack version.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const sdk = require('@aws-sdk/client-ecr');
  const result = await checkTag(new sdk.ECRClient({}), sdk, props);
  return {
    PhysicalResourceId: `${props.DestinationRepositoryName}:${props.DestinationTag}`,
    Data: { State: result.state, Digest: result.digest },
  };
}

module.exports = { handler, checkTag, platformDigest };
