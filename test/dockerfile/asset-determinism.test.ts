import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { sourceDir } from './support';
import { ContainerFunction, ContainerImage, ImageTag, LambdaBaseImage } from '../../lib';
import { tempDir } from '../support/temp-dir';

const FILES = {
  'app.py': 'def lambda_handler(e, c):\n    return 1\n',
  'requirements.txt': './vendor/lib\n',
  'vendor/lib/setup.py': 'from setuptools import setup\nsetup(name="lib")\n',
  '__pycache__/app.cpython-313.pyc': 'machine-specific bytes',
};

/** The image asset hash a fromSource function synthesizes for a copy of the source at `dir`. */
function assetHash(dir: string, systemPackages = ['gcc']): string {
  const app = new App({ outdir: tempDir('ccf-unit-out-') });
  const stack = new Stack(app, 'S');
  new ContainerFunction(stack, 'Fn', {
    image: ContainerImage.fromSource(dir, { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler', systemPackages }),
    tag: ImageTag.of('v1'),
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'S.assets.json'), 'utf8'));
  const hashes = Object.keys(manifest.dockerImages);
  expect(hashes).toHaveLength(1);
  return hashes[0];
}

describe('fromSource asset hash', () => {
  test('is the same from two checkout paths, whatever the machine left in ignored files', () => {
    const a = sourceDir(FILES);
    const b = sourceDir({ ...FILES, '__pycache__/app.cpython-313.pyc': 'other bytes', '.env': 'LOCAL=1' });
    expect(assetHash(b)).toBe(assetHash(a));
  });

  test('changes with the code, the manifests and the generated Dockerfile', () => {
    const base = assetHash(sourceDir(FILES));
    expect(assetHash(sourceDir(FILES), ['gcc', 'make'])).not.toBe(base);
    expect(assetHash(sourceDir({ ...FILES, 'app.py': 'def lambda_handler(e, c):\n    return 2\n' }))).not.toBe(base);
    expect(assetHash(sourceDir({ ...FILES, 'requirements.txt': './vendor/lib\n# pinned\n' }))).not.toBe(base);
  });
});
