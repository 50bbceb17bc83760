// The local image of each function to run: its asset's image, built as CDK's publishing builds it, or the image its
// URI names. Each image is inspected once here; the inspection travels with the function (LocalFunction).
import { Writable } from 'stream';
import { AppFunction, buildImageAsset, localImageTag } from '../../assembly';
import { runWithProgress } from '../../assembly/progress';
import { ImageInfo, inspectImage, runDocker } from '../../docker';
import { dockerPlatform } from '../../lambda-facts';

/** A function's image in the local engine, with what `docker image inspect` says of it. */
export interface LocalImage {
  readonly image: string;
  readonly info: ImageInfo;
}

/**
 * The local image of each function, built when missing (with the CLI's progress display) unless
 * `build` is false. Images by URI are used when present, else pulled (SAM skips those functions).
 */
export async function imagesFor(fns: readonly AppFunction[], o: { build: boolean; rebuild?: boolean; quiet?: boolean }): Promise<LocalImage[]> {
  // --watch prints its own line per rebuild: no progress rows there.
  const display = o.quiet ? { interactive: false, stream: new Writable({ write: (_c, _e, done) => done() }) } : {};
  const settled = await runWithProgress(fns.map(f => ({
    title: f.path,
    run: async progress => {
      if (f.image.kind === 'uri') {
        const uri = f.image.uri;
        const present = await inspectImage(uri);
        if (present) { progress.cached('present'); return { value: { image: uri, info: present }, summary: uri }; }
        progress.building('pulling');
        const r = await runDocker(['pull', '--platform', dockerPlatform(f.architecture), uri], { allowFailure: true });
        if (r.code !== 0) {
          throw new Error(`its image ${uri} is not local and could not be pulled (${r.stderr.trim().split('\n').pop()}). Log in to its registry (for ECR: aws ecr get-login-password | docker login ...) or pull it yourself.`);
        }
        return { value: await inspected(f, uri), summary: `pulled ${uri}` };
      }
      if (f.image.kind === 'unlisted-asset') {
        throw new Error(`its image asset${f.image.assetHash ? ` ${f.image.assetHash.slice(0, 12)}` : ''} is not in the assembly's asset manifests. Re-synthesize the app.`);
      }
      const asset = f.image.asset;
      const tag = localImageTag(asset);
      const present = o.rebuild ? undefined : await inspectImage(tag);
      if (present) { progress.cached(tag); return { value: { image: tag, info: present }, summary: `image ${tag}` }; }
      if (!o.build) throw new Error(`image ${tag} is not built yet. Drop --no-build to build it.`);
      progress.building('building image');
      // Known to be absent: no second inspection before the build.
      const built = await buildImageAsset(asset, { rebuild: true });
      return { value: await inspected(f, built.image), summary: `built ${built.image}` };
    },
  })), display);
  return settled.map((s, i) => {
    if (!s.ok) throw new Error(`${fns[i].path}: ${s.error.message.replace(`${fns[i].path}: `, '')}`);
    return s.value;
  });
}

async function inspected(f: AppFunction, image: string): Promise<LocalImage> {
  const info = await inspectImage(image);
  if (!info) throw new Error(`image ${image} is not in the local Docker engine after it was prepared for ${f.path}.`);
  return { image, info };
}
