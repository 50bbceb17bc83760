import { buildImageAsset, buildImageAssetSync, dockerBuildCommand } from '../../lib/assembly/build-image';
import { ImageAsset, localImageTag } from '../../lib/assembly/image-asset';
import { dockerCommand } from '../../lib/docker';

const asset = (source: ImageAsset['source']): ImageAsset => ({ id: 'ABC123', source, baseDirectory: '/out', imageTags: ['abc123'] });

describe('dockerBuildCommand: every asset manifest field, passed as cdk-assets passes it', () => {
  test('all fields', () => {
    const command = dockerBuildCommand(asset({
      directory: 'asset.abc123',
      dockerFile: 'docker/Dockerfile.lambda',
      dockerBuildArgs: { A: '1', B: 'two words' },
      dockerBuildContexts: { lib: '../lib' },
      dockerBuildSecrets: { npmrc: 'src=/home/u/.npmrc', token: 'env=TOKEN' },
      dockerBuildSsh: 'default',
      dockerBuildTarget: 'runtime',
      networkMode: 'host',
      platform: 'linux/arm64',
      dockerOutputs: ['type=registry'],
      cacheFrom: [{ type: 'registry', params: { ref: 'repo:cache' } }, { type: 'gha' }],
      cacheTo: { type: 'inline' },
      cacheDisabled: true,
    }));
    expect(command.cwd).toBe('/out/asset.abc123');
    expect(command.args).toEqual([
      'build',
      '--build-arg', 'A=1', '--build-arg', 'B=two words',
      '--build-context', 'lib=../lib',
      '--secret', 'id=npmrc,src=/home/u/.npmrc', '--secret', 'id=token,env=TOKEN',
      '--ssh', 'default',
      '--tag', 'cdkasset-abc123',
      '--target', 'runtime',
      '--file', 'docker/Dockerfile.lambda',
      '--network', 'host',
      '--platform', 'linux/arm64',
      // no --output: the image must land in the local engine to be measured or run
      '--cache-from', 'type=registry,ref=repo:cache', '--cache-from', 'type=gha',
      '--cache-to', 'type=inline',
      '--no-cache',
      '.',
    ]);
  });

  // BuildKit is what reads --secret, --ssh and --build-context; the legacy builder fails on them. The user's own
  // DOCKER_BUILDKIT is kept, as cdk-assets keeps it.
  test.each([[undefined, '1'], ['1', '1'], ['0', '0']])('with DOCKER_BUILDKIT=%s the build runs with BuildKit %s and without default attestations', (given, expected) => {
    const saved = process.env.DOCKER_BUILDKIT;
    try {
      if (given === undefined) delete process.env.DOCKER_BUILDKIT; else process.env.DOCKER_BUILDKIT = given;
      expect(dockerBuildCommand(asset({ directory: 'asset.x' })).env).toEqual({ BUILDX_NO_DEFAULT_ATTESTATIONS: '1', DOCKER_BUILDKIT: expected });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_BUILDKIT; else process.env.DOCKER_BUILDKIT = saved;
    }
  });

  test('a minimal asset: the tag and the context only', () => {
    expect(dockerBuildCommand(asset({ directory: 'asset.x' })).args).toEqual(['build', '--tag', 'cdkasset-abc123', '.']);
  });

  test('an asset without a directory names the asset and the fix', () => {
    expect(() => dockerBuildCommand(asset({ executable: ['make', 'image'] })))
      .toThrow("image asset ABC123: its manifest entry has no 'directory'. Re-synthesize the app (cdk synth) and try again.");
  });

  test('the local tag is the one cdk-assets uses, so cdk deploy reuses the image', () => {
    expect(localImageTag({ id: 'DeadBeef' })).toBe('cdkasset-deadbeef');
  });

  test('CDK_DOCKER names the client, as for cdk deploy', () => {
    const saved = process.env.CDK_DOCKER;
    try {
      process.env.CDK_DOCKER = '/opt/podman';
      expect(dockerCommand()).toBe('/opt/podman');
      delete process.env.CDK_DOCKER;
      expect(dockerCommand()).toBe('docker');
    } finally {
      if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved;
    }
  });

  test('an asset built by its own command: run in the manifest directory, its output names the image (no docker build)', async () => {
    const own = { ...asset({ executable: ['sh', '-c', 'echo "image-from-$(basename "$PWD")"'] }), baseDirectory: '/tmp' };
    expect(buildImageAssetSync(own)).toEqual({ image: 'image-from-tmp', reused: false });
    expect(await buildImageAsset(own)).toEqual({ image: 'image-from-tmp', reused: false });
    const failing = { ...asset({ executable: ['sh', '-c', 'echo no >&2; exit 5'] }), baseDirectory: '/tmp' };
    await expect(buildImageAsset(failing)).rejects.toThrow("image asset ABC123: 'sh -c echo no >&2; exit 5' exited with code 5:\nno");
  });
});
