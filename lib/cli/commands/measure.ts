// `cdk-container-function measure`: builds every selected image asset of a cloud assembly as `cdk deploy` would,
// measures it (size, layers with their Dockerfile lines, base / own / reclaimable bytes), and prints a table or the
// JSON report. A CI gate: exit 1 when an image is over its budget, 2 when a build fails or no engine answers.
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { AppFunction } from '../../assembly/app-function';
import { selectFunctions, selectStacks } from '../../assembly/function-lookup';
import { ImageAsset } from '../../assembly/image-asset';
import { runWithProgress } from '../../assembly/progress';
import { readApp } from '../../assembly/read-app';
import { resolveAssembly } from '../../assembly/resolve-app';
import { DockerCommandError, engineAvailability } from '../../docker';
import { MeasurementCache, measurementCacheDirectory } from '../../measure/cache';
import { AssetMeasurement, dockerfileNameOf, measureAsset } from '../../measure/measure-asset';
import { ImageReport, overBudget, REPORT_FILE, reportEntry, textTable } from '../../measure/report';
import { formatSize, parseSize } from '../../size-format';

export interface MeasureOptions {
  readonly app?: string;
  readonly output?: string;
  readonly context?: string[];
  readonly json?: boolean;
  readonly budget?: string;
  readonly stack?: string[];
  readonly function?: string[];
  /** commander's `--no-cache` sets cache: false. */
  readonly cache?: boolean;
  readonly concurrency?: string;
}

export function configureMeasureCommand(command: Command): Command {
  return command
    .description('build the app\'s container images as cdk deploy would and measure them: size, layers with their Dockerfile lines, '
      + 'base / own / reclaimable bytes')
    .option('-a, --app <app>', 'the cloud assembly directory (e.g. cdk.out) or the command that runs the app (default: "app" of cdk.json)')
    .option('-o, --output <dir>', 'where an app command writes the cloud assembly (default: "output" of cdk.json, else cdk.out)')
    .option('-c, --context <key=value...>', 'context for the app command, as cdk synth -c')
    .option('-j, --json', 'print the report as JSON (the shape of container-images.json) instead of a table')
    .option('--budget <size>', 'size budget of every image, e.g. 500MiB or 1.5GiB (binary units, also when written MB or GB); '
      + `default: each function's budget from ${REPORT_FILE} in the assembly (maxImageSize, defaultMaxImageSize)`)
    .option('--stack <name...>', 'only these stacks (name or artifact id; * matches any characters)')
    .option('--function <path...>', 'only these functions (construct path, e.g. MyStack/Handler; a path also selects the functions below it)')
    .option('--no-cache', 'measure again, ignoring cached measurements (the cache is updated)')
    .addOption(new Option('--concurrency <n>', 'images built at once').default('1'))
    .addHelpText('after', [
      '',
      'Exit codes: 0 every image within its budget; 1 an image over its budget; 2 a build failed, no Docker engine, or a usage error.',
      `Measurements are cached by asset hash in ${measurementCacheDirectory()}`,
      '(CDK_CONTAINER_FUNCTION_CACHE_DIR overrides it); delete that directory, or pass --no-cache, to measure again.',
      'The Docker client is CDK_DOCKER, else docker, as for cdk deploy.',
    ].join('\n'))
    .action(async (options: MeasureOptions) => {
      process.exitCode = await runMeasure(options);
    });
}

/** Runs `measure`; returns the exit code. Output goes to stdout (table or JSON) and stderr (progress, errors). */
export async function runMeasure(options: MeasureOptions): Promise<number> {
  const err = (line: string) => process.stderr.write(`${line}\n`);
  let budget: number | undefined;
  try {
    budget = options.budget !== undefined ? parseSize(options.budget) : undefined;
  } catch (error) {
    err(`❌ --budget: ${(error as Error).message}`);
    return 2;
  }
  let assets: MeasuredAsset[];
  let budgets: Map<string, { budgetBytes?: number; estimatedBytes?: number }>;
  try {
    const resolved = await resolveAssembly({ app: options.app, output: options.output, context: parseContext(options.context ?? []) });
    const app = readApp(resolved.directory);
    const stacks = selectStacks(app, options.stack);
    const functions = selectFunctions(app, { stacks: options.stack, functions: options.function });
    // Named functions: their images. Otherwise every image of the selected stacks, also those no function runs (ECS).
    const images = options.function?.length
      ? functions.flatMap(f => f.image.kind === 'asset' ? [f.image.asset] : [])
      : stacks.flatMap(s => s.imageAssets);
    assets = [...new Set(images)].map(asset => ({
      asset,
      functions: functions.filter(f => f.image.kind === 'asset' && f.image.asset === asset),
    }));
    if (assets.length === 0) {
      err(functions.length > 0
        ? `no image asset to measure: the selected functions (${functions.map(f => f.path).join(', ')}) use images this app does not build.`
        : 'no image asset to measure in the selected stacks.');
      return 0;
    }
    budgets = budgetsFromSynth(resolved.directory);
  } catch (error) {
    err(`❌ ${(error as Error).message}`);
    return 2;
  }

  // Names are checked first: a typo is a usage error whether or not an engine answers.
  const engine = engineAvailability();
  if (!engine.ok) {
    err(`❌ cannot measure: no Docker engine answers (${engine.reason}). Start Docker, or set CDK_DOCKER to a working client.`);
    return 2;
  }

  const cache = new MeasurementCache();
  const results = await runWithProgress(assets.map(({ asset, functions }) => ({
    title: titleOf(asset, functions),
    run: async progress => {
      const measured: AssetMeasurement = await measureAsset(asset, {
        cache: options.cache === false ? undefined : cache,
        onBuilding: () => progress.building('building'),
        onMeasuring: () => progress.building('measuring'),
      });
      if (options.cache === false) cache.put(asset.id, measured.measurement);
      if (measured.cached) progress.cached('unchanged since it was last measured');
      return { value: measured, summary: `${measured.cached ? 'cached' : 'measured'} ${formatSize(measured.measurement.sizeBytes)}` };
    },
  })), { concurrency: Math.max(1, Number(options.concurrency ?? '1') || 1) });

  const report: ImageReport = {
    version: 1,
    images: assets.map(({ asset, functions }, i) => {
      const result = results[i];
      const synth = budgets.get(asset.id);
      return reportEntry({
        functions: functions.map(f => f.path),
        assetHash: asset.id,
        tag: asset.imageTags[0],
        dockerfile: dockerfileNameOf(asset),
        estimatedBytes: synth?.estimatedBytes,
        budgetBytes: budget ?? synth?.budgetBytes,
        measurement: result.ok ? result.value.measurement : undefined,
        cached: result.ok ? result.value.cached : undefined,
        error: result.ok ? undefined : result.error.message,
        failed: !result.ok,
      });
    }),
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, undefined, 2)}\n` : textTable(report));

  let failed = false;
  results.forEach((result, i) => {
    if (result.ok) return;
    failed = true;
    const detail = result.error instanceof DockerCommandError ? result.error.detail(20) : result.error.message;
    err(`❌ ${titleOf(assets[i].asset, assets[i].functions)}: the image did not build or could not be measured:\n${detail}`);
  });
  if (failed) return 2;
  const over = report.images.filter(overBudget);
  for (const image of over) {
    err(`❌ ${image.functions.join(', ') || image.assetHash}: ${formatSize(image.measuredBytes!)} is over the budget of ${formatSize(image.budgetBytes!)}`);
  }
  return over.length > 0 ? 1 : 0;
}

/** Per asset hash, the budget and estimate the checks recorded at synth (container-images.json), if any. */
function budgetsFromSynth(directory: string): Map<string, { budgetBytes?: number; estimatedBytes?: number }> {
  const result = new Map<string, { budgetBytes?: number; estimatedBytes?: number }>();
  const file = path.join(directory, REPORT_FILE);
  if (!fs.existsSync(file)) return result;
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as ImageReport;
    for (const image of report.images ?? []) result.set(image.assetHash, { budgetBytes: image.budgetBytes, estimatedBytes: image.estimatedBytes });
  } catch {
    // A damaged report only loses the per-function budgets; --budget still applies.
  }
  return result;
}

/** An image asset to measure, with the selected functions that run it. */
interface MeasuredAsset {
  readonly asset: ImageAsset;
  readonly functions: readonly AppFunction[];
}

function titleOf(asset: ImageAsset, functions: readonly AppFunction[]): string {
  return functions.length > 0 ? functions.map(f => f.path).join(', ') : asset.displayName ?? `asset ${asset.id.slice(0, 12)}`;
}

/** `-c key=value` pairs, kept as strings as the CDK CLI keeps them. */
function parseContext(pairs: string[]): { [key: string]: unknown } {
  const context: { [key: string]: unknown } = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--context ${pair}: write it as key=value`);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
}
