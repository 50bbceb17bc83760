/**
 * A test's own variant of a synthesized app's image assets. Tests that cannot build an example as it is (PyPI is not
 * reachable here) edit its build context in the assembly; an image built from edited inputs must then not carry the id
 * the real app builds under: `cdkasset-<id>` is the user's image too, and `invoke` would call it "cached" and run the
 * test's one. So each edited asset gets a new id, replaced in every file of the assembly.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { docker } from './docker';
import { localImageTag } from '../../../lib/assembly/image-asset';

/** Edits every image asset of `stackName` in `outdir` and re-keys it. Returns the local tags the variants build under. */
export function makeTestVariant(outdir: string, stackName: string, edit: (contextDirectory: string) => void): string[] {
  const manifestFile = path.join(outdir, `${stackName}.assets.json`);
  const ids = Object.keys(JSON.parse(fs.readFileSync(manifestFile, 'utf8')).dockerImages ?? {});
  if (ids.length === 0) throw new Error(`${manifestFile} has no image assets`);
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.json')).map(f => path.join(outdir, f));
  const tags: string[] = [];
  for (const id of ids) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const context = path.join(outdir, manifest.dockerImages[id].source.directory);
    edit(context);
    const variant = crypto.createHash('sha256').update(`cdk-container-function test variant\0${id}`).digest('hex');
    fs.renameSync(context, context.split(id).join(variant));
    for (const file of files) fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split(id).join(variant));
    tags.push(localImageTag({ id: variant }));
  }
  return tags;
}

/** The local tags (`cdkasset-<id>`) of every image asset in the cloud assemblies under `root`. */
export function assetImageTags(root: string): string[] {
  const tags = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('asset.')) {visit(file);} else if (entry.isFile() && entry.name.endsWith('.assets.json')) {
        for (const id of Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).dockerImages ?? {})) tags.add(localImageTag({ id }));
      }
    }
  };
  if (fs.existsSync(root)) visit(root);
  return [...tags];
}

/**
 * Removes the images a test built from the assemblies under `root` (cdk-assets' and our tools' `cdkasset-<id>` tags):
 * the test's own apps, whose images nobody else builds, so the engine is left with the tags it had.
 */
export async function removeAssetImages(root: string): Promise<void> {
  for (const tag of assetImageTags(root)) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
}
