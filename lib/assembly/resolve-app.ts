// Resolves `--app` the way the CDK CLI does, for the package's tools: a cloud assembly directory is read as it is;
// anything else is an app command, run (through a shell) with CDK_OUTDIR and CDK_CONTEXT_JSON set, as the CDK CLI's
// execProgram() does (aws-cdk lib/api/cxapp/exec.ts: prepareDefaultEnvironment, prepareContext, guessExecutable).
// Without --app, the `app` of ./cdk.json. Shared by `measure` and local invoke.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface ResolveAppOptions {
  /** `--app`: an assembly directory or an app command. @default the `app` of cdk.json in `cwd` */
  readonly app?: string;
  /** Where an app command writes its assembly. @default the `output` of cdk.json, else `cdk.out` */
  readonly output?: string;
  /** Extra context (`--context key=value`), on top of cdk.json and cdk.context.json. */
  readonly context?: { [key: string]: unknown };
  /** @default process.cwd() */
  readonly cwd?: string;
  /** The app's own output (the CDK CLI shows it on stderr). @default written to stderr */
  readonly onOutput?: (chunk: string) => void;
}

export interface ResolvedAssembly {
  /** Absolute path of the cloud assembly directory. */
  readonly directory: string;
  /** True when an app command ran to produce it. */
  readonly synthesized: boolean;
}

/** Finds or synthesizes the cloud assembly that `--app` names. */
export async function resolveAssembly(options: ResolveAppOptions = {}): Promise<ResolvedAssembly> {
  const cwd = options.cwd ?? process.cwd();
  const config = readJson(path.join(cwd, 'cdk.json'));
  const app = options.app ?? (typeof config.app === 'string' ? config.app : undefined);
  if (!app) {
    throw new Error('--app is required either on the command line or in cdk.json (an app command, or a cloud assembly directory such as cdk.out).');
  }
  const asDirectory = path.resolve(cwd, app);
  if (fs.existsSync(asDirectory) && fs.statSync(asDirectory).isDirectory()) {
    if (!fs.existsSync(path.join(asDirectory, 'manifest.json'))) {
      throw new Error(`${app} is a directory but not a cloud assembly (no manifest.json). Pass the output directory of cdk synth, e.g. --app cdk.out.`);
    }
    return { directory: asDirectory, synthesized: false };
  }
  const outdir = path.resolve(cwd, options.output ?? (typeof config.output === 'string' ? config.output : 'cdk.out'));
  fs.mkdirSync(outdir, { recursive: true });
  const context = {
    ...objectOrEmpty(config.context),
    ...objectOrEmpty(readJson(path.join(cwd, 'cdk.context.json'))),
    // What the CDK CLI turns on by default: construct paths and asset paths in the template metadata.
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    ...options.context,
  };
  await runApp(guessExecutable(app, cwd), cwd, {
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
  }, options.onOutput ?? (chunk => process.stderr.write(chunk)));
  return { directory: outdir, synthesized: true };
}

/** As the CDK CLI: a lone `.js` file runs with the current Node.js (it may not be executable). */
export function guessExecutable(app: string, cwd: string): string {
  const file = path.resolve(cwd, app);
  if (!/\s/.test(app.trim()) && app.endsWith('.js') && fs.existsSync(file)) return `"${process.execPath}" "${file}"`;
  return app;
}

function runApp(command: string, cwd: string, env: { [name: string]: string }, onOutput: (chunk: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, shell: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const collect = (d: Buffer) => { const s = d.toString(); tail = (tail + s).slice(-4000); onOutput(s); };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', error => reject(new Error(`could not run the app command '${command}': ${error.message}`)));
    child.on('close', code => code === 0 ? resolve() : reject(new Error(
      `the app command '${command}' exited with code ${code}. Fix the app so that \`cdk synth\` succeeds, then retry.\n${tail.trimEnd().split('\n').slice(-20).join('\n')}`)));
  });
}

function readJson(file: string): { [key: string]: unknown } {
  if (!fs.existsSync(file)) return {};
  try {
    return objectOrEmpty(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}). Fix or remove it.`);
  }
}

function objectOrEmpty(value: unknown): { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as { [key: string]: unknown } : {};
}
