/**
 * The feature flags a new app has, read from the installed packages rather than copied here, so an
 * upgrade of aws-cdk or aws-cdk-lib tests the flags it brings.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * The `context` that `cdk init app` writes into a new app's cdk.json: the CLI's
 * lib/init-templates/.recommended-feature-flags.json, merged in by its `applyFutureFlags`.
 */
export function cdkInitFlags(): Record<string, unknown> {
  const cli = path.dirname(require.resolve('aws-cdk/package.json'));
  return JSON.parse(fs.readFileSync(path.join(cli, 'lib', 'init-templates', '.recommended-feature-flags.json'), 'utf8'));
}

/** The cdk.json `cdk init app --language typescript` writes, with the given `app` command. */
export function cdkInitCdkJson(app: string): { app: string; context: Record<string, unknown> } {
  return { app, context: cdkInitFlags() };
}

/**
 * The flags of aws-cdk-lib's FLAGS table that change `Function` or `DockerImageAsset`: every cx-api
 * constant their modules (aws-lambda, aws-ecr-assets) read, kept if it names a flag.
 */
export function functionAndImageAssetFlags(): string[] {
  const lib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  const constants = new Set<string>();
  for (const module of ['aws-lambda', 'aws-ecr-assets']) {
    const dir = path.join(lib, module, 'lib');
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.js'))) {
      for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/cx_?api[A-Za-z0-9_]*\(\)\.([A-Z][A-Z0-9_]+)/g)) constants.add(m[1]);
    }
  }
  const names = [...constants].map(c => (cxapi as Record<string, unknown>)[c]).filter((n): n is string => typeof n === 'string');
  return [...new Set(names)].filter(n => n in cxapi.FLAGS).sort();
}

/**
 * The values an app can set a flag to: none for an expired one (aws-cdk-lib refuses it in any value and
 * always behaves as its v2 default, which the no-flags test covers), both for a boolean, else the recommended.
 */
export function flagValues(flag: string): unknown[] {
  if (cxapi.CURRENT_VERSION_EXPIRED_FLAGS.includes(flag)) return [];
  const recommended = cxapi.FLAGS[flag].recommendedValue;
  return typeof recommended === 'boolean' ? [true, false] : [recommended];
}
