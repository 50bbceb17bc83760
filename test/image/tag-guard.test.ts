import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import * as sdk from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require('../../lib/image/assets/tag-guard/index.js');

const SOURCE = { repositoryName: 'cdk-assets', imageTag: 'assethash' };
const DEST = { repositoryName: 'images', imageTag: 'fn-abc123def456' };
const props = {
  SourceRepositoryName: SOURCE.repositoryName,
  SourceTag: SOURCE.imageTag,
  DestinationRepositoryName: DEST.repositoryName,
  DestinationTag: DEST.imageTag,
  Architecture: 'amd64',
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const manifest = (d: string) => ({
  imageId: { imageDigest: d }, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json', imageManifest: '{}',
});
const notFound = { images: [], failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] };

describe('tag guard (deploy-time step before the copy)', () => {
  const ecr = mockClient(ECRClient);
  const client = new ECRClient({ region: 'us-east-1' });
  const onRepo = (repositoryName: string) => ecr.on(BatchGetImageCommand, { repositoryName } as any);
  beforeEach(() => ecr.reset());

  test('first deployment: the tag is absent, so the copy runs', async () => {
    onRepo('cdk-assets').resolves({ images: [manifest(digest('a'))] });
    onRepo('images').resolves(notFound);
    await expect(guard.checkTag(client, sdk, props)).resolves.toEqual({ state: 'absent', digest: digest('a') });
  });

  test('retry after a failed deployment that already pushed the tag: same digest, succeeds', async () => {
    onRepo('cdk-assets').resolves({ images: [manifest(digest('a'))] });
    onRepo('images').resolves({ images: [manifest(digest('a'))] });
    await expect(guard.checkTag(client, sdk, props)).resolves.toEqual({ state: 'present', digest: digest('a') });
  });

  test('the tag holds another image: fails, naming both digests and the fix', async () => {
    onRepo('cdk-assets').resolves({ images: [manifest(digest('a'))] });
    onRepo('images').resolves({ images: [manifest(digest('b'))] });
    await expect(guard.checkTag(client, sdk, props)).rejects.toThrow(
      `images:fn-abc123def456 already holds ${digest('b')}, not this deployment's image ${digest('a')}. A tag never names two images`);
  });

  test('a source image index is compared by its linux/<arch> manifest, which is what the copy pushes', async () => {
    const index = {
      imageId: { imageDigest: digest('i') },
      imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
      imageManifest: JSON.stringify({
        manifests: [
          { digest: digest('c'), platform: { os: 'linux', architecture: 'arm64' } },
          { digest: digest('d'), platform: { os: 'linux', architecture: 'amd64' } },
          { digest: digest('e'), platform: { os: 'unknown', architecture: 'unknown' } },
        ],
      }),
    };
    onRepo('cdk-assets').resolves({ images: [index] });
    onRepo('images').resolves({ images: [manifest(digest('d'))] });
    await expect(guard.checkTag(client, sdk, props)).resolves.toEqual({ state: 'present', digest: digest('d') });
    await expect(guard.checkTag(client, sdk, { ...props, Architecture: 'arm64' })).rejects.toThrow(/already holds/);
  });

  test('missing source image: fails saying assets must be published', async () => {
    onRepo('cdk-assets').resolves(notFound);
    await expect(guard.checkTag(client, sdk, props)).rejects.toThrow(/source image cdk-assets:assethash does not exist; publish the stack's assets first/);
  });

  test('other ECR failures are not mistaken for an absent tag', async () => {
    onRepo('cdk-assets').resolves({ images: [manifest(digest('a'))] });
    onRepo('images').resolves({ images: [], failures: [{ failureCode: 'KmsError', failureReason: 'denied' }] });
    await expect(guard.checkTag(client, sdk, props)).rejects.toThrow('reading images:fn-abc123def456 failed: KmsError denied');
  });

  test('delete never touches images and keeps the physical id', async () => {
    await expect(guard.handler({ RequestType: 'Delete', PhysicalResourceId: 'images:old', ResourceProperties: props }))
      .resolves.toEqual({ PhysicalResourceId: 'images:old' });
    expect(ecr.calls()).toHaveLength(0);
  });

  test('create returns the destination as physical id and the state as data', async () => {
    ecr.on(BatchGetImageCommand, { repositoryName: 'cdk-assets' } as any).resolves({ images: [manifest(digest('a'))] });
    ecr.on(BatchGetImageCommand, { repositoryName: 'images' } as any).resolves(notFound);
    await expect(guard.handler({ RequestType: 'Create', ResourceProperties: props }))
      .resolves.toEqual({ PhysicalResourceId: 'images:fn-abc123def456', Data: { State: 'absent', Digest: digest('a') } });
  });
});
