// Where the code in the container's /var/task comes from on this machine, for the debugger's path mapping:
// read from the COPY/ADD lines of the image's last stage (dockerfile-ast), then, because cdk.out holds a staged
// copy of the build context, the user's own directory with the same Dockerfile (searched below the app).
import * as fs from 'fs';
import * as path from 'path';
import { DockerfileParser } from 'dockerfile-ast';

export const TASK_ROOT = '/var/task';

/** The context-relative source of the files copied into the task root, or undefined when no COPY names it. */
export function taskRootSourceIn(dockerfileText: string): string | undefined {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const froms = dockerfile.getFROMs();
  const lastStageStart = froms.length ? froms[froms.length - 1].getRange().start.line : 0;
  let workdir = '/';
  let found: string | undefined;
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getRange().start.line < lastStageStart) continue;
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map(a => a.getValue());
    if (keyword === 'WORKDIR' && args[0]) workdir = path.posix.resolve(workdir, expandTaskRoot(args[0]));
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const plain = args.filter(a => !a.startsWith('--'));
    // COPY --from=<stage> copies from another stage, not from the context.
    if (/\s--from=/.test(instruction.getTextContent()) || plain.length < 2) continue;
    const destination = path.posix.resolve(workdir, expandTaskRoot(plain[plain.length - 1]));
    if (destination !== TASK_ROOT && !destination.startsWith(`${TASK_ROOT}/`)) continue;
    const source = plain[0].replace(/\/+$/, '') || '.';
    // `COPY src/ /var/task/` maps the task root to src (a file copied into it: see localTaskRoot);
    // `COPY src/lib /var/task/lib` maps it to src.
    const mapped = destination === TASK_ROOT ? source : path.posix.dirname(source);
    found ??= /[*?]/.test(mapped) ? path.posix.dirname(mapped) : mapped;
  }
  return found;
}

function expandTaskRoot(p: string): string {
  return p.replace(/\$\{?LAMBDA_TASK_ROOT\}?/g, TASK_ROOT);
}

export interface LocalTaskRoot {
  /** The local directory /var/task maps to. */
  readonly directory: string;
  /** The build context it is in. */
  readonly context: string;
  /** Whether that context is cdk.out's staged copy (no matching directory of the user's was found). */
  readonly staged: boolean;
}

/**
 * The local directory /var/task maps to: `<context>/<COPY source>`, where the context is the user's directory
 * whose Dockerfile matches the staged one (searched up to `depth` levels below `searchRoot`, skipping
 * node_modules, cdk.out and dot directories), else the staged context itself.
 */
export function localTaskRoot(stagedContext: string, dockerfile: string, searchRoot: string, depth = 5): LocalTaskRoot {
  const text = fs.readFileSync(path.join(stagedContext, dockerfile), 'utf8');
  const source = taskRootSourceIn(text) ?? '.';
  const original = findContextWith(searchRoot, dockerfile, text, depth, path.resolve(stagedContext));
  const context = original ?? stagedContext;
  // `COPY index.js /var/task/` copies a file into the task root: the root is the file's directory.
  const isFile = fs.statSync(path.resolve(context, source), { throwIfNoEntry: false })?.isFile() ?? false;
  return { directory: path.resolve(context, isFile ? path.dirname(source) : source), context, staged: original === undefined };
}

function findContextWith(dir: string, dockerfile: string, text: string, depth: number, skip: string): string | undefined {
  if (path.resolve(dir) !== skip) {
    try {
      if (fs.readFileSync(path.join(dir, dockerfile), 'utf8') === text) return dir;
    } catch { /* no Dockerfile here */ }
  }
  if (depth === 0) return undefined;
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return undefined; }
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'cdk.out' || e.name.startsWith('cdk.out')) continue;
    const hit = findContextWith(path.join(dir, e.name), dockerfile, text, depth - 1, skip);
    if (hit) return hit;
  }
  return undefined;
}
