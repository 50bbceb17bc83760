// --debug-port for invoke, serve and api: picks the function to debug, reads its language from the image,
// adds the debugger at run time, and prints the VS Code launch.json entry that attaches to it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { debugLanguageOf } from './debug-language';
import { PYTHON_WRAPPER_SCRIPT, debugPlan } from './debug-plan';
import { javaSourceRoot } from './java-source-root';
import { launchConfiguration } from './launch-config';
import { localTaskRoot } from './task-root-source';
import { findFunction } from '../../assembly/function-lookup';
import { LocalFunction } from '../functions/local-function';

export interface DebugOptions {
  /** --debug-port */
  readonly port: number;
  /** --debug-function: required when several functions are served. */
  readonly functionName?: string;
  /** --debugger-path: a directory with debugpy, for Python images without it. */
  readonly debuggerPath?: string;
  /** Where the user's sources are searched for (the app's directory). @default process.cwd() */
  readonly searchRoot?: string;
  /** Where the launch.json entry and notes go (the CLI: stderr). */
  readonly log: (text: string) => void;
}

/** Attaches the debugger settings to the one function to debug and prints how to attach; returns that function. */
export async function attachDebugger(fns: readonly LocalFunction[], o: DebugOptions): Promise<LocalFunction> {
  const fn = chooseFunction(fns, o.functionName);
  const { language, found, javaMajor } = await debugLanguageOf(fn.o.image);
  const request = { language, found, javaMajor, port: o.port, debuggerPath: o.debuggerPath, path: fn.spec.path };
  const plan = debugPlan(request, language === 'python' ? pythonWrapperDir() : '');
  fn.attachDebugger(plan);
  const context = fn.o.buildContext;
  const root = context ? localTaskRoot(context.directory, context.dockerfile, o.searchRoot ?? process.cwd()) : undefined;
  // Java's /var/task holds classes: its debugger wants the sources they were compiled from.
  const localRoot = root && plan.language === 'java' ? javaSourceRoot(root.context, root.directory) : root?.directory;
  const launch = launchConfiguration({ language: plan.language, port: plan.port, name: fn.spec.path, localRoot: localRoot ?? '${workspaceFolder}' });
  o.log(`${fn.spec.path}: ${plan.language} debugger on 127.0.0.1:${plan.port}; the function waits for it to attach (timeout suspended). VS Code launch.json entry:\n`
    + `${JSON.stringify(launch, null, 2)}\n`
    + (root?.staged ? `(localRoot is the staged copy in cdk.out: no directory below ${o.searchRoot ?? process.cwd()} has the same Dockerfile; point it at your sources.)\n` : ''));
  return fn;
}

function chooseFunction(fns: readonly LocalFunction[], name: string | undefined): LocalFunction {
  if (name !== undefined) {
    const spec = findFunction(fns.map(f => f.spec), name);
    return fns.find(f => f.spec === spec)!;
  }
  if (fns.length === 1) return fns[0];
  throw new Error(`--debug-port debugs one function, and ${fns.length} are served: add --debug-function <name> (one of ${fns.map(f => f.spec.path).join(', ')}).`);
}

/**
 * The directory holding the Python exec wrapper, mounted read-only into the container. Its content never
 * changes, so one per user is kept and reused (nothing per run is left behind); it must be a real directory
 * of ours that nobody else can write, or it is not used.
 */
function pythonWrapperDir(): string {
  const dir = path.join(os.tmpdir(), `ccf-debug-wrapper-${process.getuid?.() ?? 'user'}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  // eslint-disable-next-line no-bitwise
  const writableByOthers = (st.mode & 0o022) !== 0;
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || writableByOthers) {
    throw new Error(`${dir} is not a private directory of yours (a link, another owner, or writable by others): remove it and retry.`);
  }
  const file = path.join(dir, 'debugpy-wrapper');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== PYTHON_WRAPPER_SCRIPT) {
    const temp = `${file}.${process.pid}`;
    fs.writeFileSync(temp, PYTHON_WRAPPER_SCRIPT, { mode: 0o755, flag: 'wx' });
    fs.renameSync(temp, file);
  }
  return dir;
}
