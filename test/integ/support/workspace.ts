import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { docker } from './docker';
import { tempDir } from '../../support/temp-dir';

export const FUNCTIONS = path.join(__dirname, '..', '..', 'fixtures', 'functions');

/** A writable copy of a fixture function, so tests can change its code; removed when the test file ends. */
export function copyFixture(name: string): string {
  const dest = tempDir(`ccf-integ-${name}-`);
  fs.cpSync(path.join(FUNCTIONS, name), dest, { recursive: true });
  return dest;
}

/** A unique marker string that must never show up in an image. */
export function marker(label: string): string {
  return `ccf-secret-${label}-${crypto.randomBytes(8).toString('hex')}`;
}

/** Writes a secret file outside any source directory and returns its path; removed when the test file ends. */
export function secretFile(name: string, content: string): string {
  const dir = tempDir('ccf-integ-secret-');
  const p = path.join(dir, name);
  fs.writeFileSync(p, content, { mode: 0o600 });
  return p;
}

/** Removes the local images (`cdkasset-<id>`) the tools built for the image assets of an assembly. */
export async function removeAssetImages(assemblyDir: string): Promise<void> {
  for (const file of fs.readdirSync(assemblyDir).filter(f => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8'));
    for (const id of Object.keys(manifest.dockerImages ?? {})) await docker(['image', 'rm', '-f', `cdkasset-${id.toLowerCase()}`], { allowFailure: true });
  }
}
