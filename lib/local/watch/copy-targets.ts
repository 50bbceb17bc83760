// Which edits `--watch` may copy into a waiting container of the last image instead of building a new one. That is the
// same code only when the image a build would make differs from the last one in the edited files alone: each file is
// put into the image by exactly one COPY from the build context, in the image's last stage, and nothing after that
// COPY could read or cover it (no RUN, ADD or COPY --from, no later COPY onto the same path or of a directory). Anything
// this cannot be sure of (wildcards, --chown, --chmod, heredocs, a variable it cannot resolve, a destination that may
// or may not be a directory) is a reason, and the edit is built as usual.
import * as fs from 'fs';
import * as path from 'path';
import { Instruction } from 'dockerfile-ast';
import { ParsedDockerfile, copySources, factsOfInstruction, flagValues, keywordOf, operands } from '../../dockerfile/parsed-dockerfile';

export interface CopyTarget {
  /** The edited file, relative to the build context (`/`-separated). */
  readonly file: string;
  /** Its absolute path in the image. */
  readonly destination: string;
}

export interface CopyTargetsInput {
  /** The Dockerfile's text and its path relative to the context. */
  readonly dockerfile: string;
  readonly dockerfilePath: string;
  /** The asset's build arguments (override ARG defaults). */
  readonly buildArgs: { readonly [name: string]: string };
  /** The last image's environment (`NAME=value`) and working directory. */
  readonly imageEnv: readonly string[];
  readonly imageWorkingDir: string;
  /** The build context the edited files are in (what a later COPY's sources are checked against). */
  readonly context: string;
  /** The edited files, relative to the context (`/`-separated). */
  readonly files: readonly string[];
}

/** Where each edited file lands in the image, or why that cannot be known (then the image is built). */
export function copyTargets(o: CopyTargetsInput): { readonly targets: CopyTarget[] } | { readonly reason: string } {
  const dockerfilePath = normalize(o.dockerfilePath);
  let parsed: ParsedDockerfile;
  try { parsed = ParsedDockerfile.parse(o.dockerfile, { ...o.buildArgs }); } catch { return { reason: 'the Dockerfile could not be read' }; }
  const last = parsed.finalStage;
  if (!last) return { reason: 'the Dockerfile has no FROM' };
  const contextCopies = parsed.stages.flatMap(s => s.instructions.filter(i => isCopyOrAdd(i) && flagValues(i, 'from').length === 0));
  const targets: CopyTarget[] = [];
  for (const file of o.files.map(normalize)) {
    if (file === dockerfilePath) return { reason: 'the Dockerfile changed' };
    const copying = contextCopies.filter(i => copySources(i).some(s => mayInclude(s, file)));
    if (copying.length !== 1) return { reason: copying.length ? `${file} is copied by ${copying.length} instructions` : `no COPY puts ${file} into the image` };
    const copy = copying[0];
    const at = last.instructions.indexOf(copy);
    if (at < 0) return { reason: `${file} is copied in an earlier build stage` };
    const scope = scopeAt(last.instructions, at, o);
    const destination = destinationOf(copy, file, scope);
    if (typeof destination !== 'string') return destination;
    const blocked = laterBlocker(last.instructions.slice(at + 1), destination, o, scopeAt(last.instructions, at + 1, o));
    if (blocked) return { reason: blocked };
    targets.push({ file, destination });
  }
  return { targets };
}

interface Scope {
  readonly variables: Map<string, string | undefined>;
  /** The working directory at this point; undefined when the base image's is not known. */
  readonly workdir: string | undefined;
}

/** Variables and working directory before the stage's instruction number `point`. */
function scopeAt(stage: readonly Instruction[], point: number, o: CopyTargetsInput): Scope {
  const before = stage.slice(0, point);
  const after = stage.slice(point);
  // The image's final environment and working directory hold here only for what the stage does not set later.
  const setLater = new Set(after.filter(i => keywordOf(i) === 'ENV' || keywordOf(i) === 'ARG').flatMap(i => keywordOf(i) === 'ENV'
    ? envPairs(operands(i)).map(([name]) => name) : operands(i).map(a => a.split('=')[0])));
  const variables = new Map<string, string | undefined>();
  for (const entry of o.imageEnv) {
    const eq = entry.indexOf('=');
    if (eq > 0 && !setLater.has(entry.slice(0, eq))) variables.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  let workdir: string | undefined = after.some(i => keywordOf(i) === 'WORKDIR') ? undefined : o.imageWorkingDir || '/';
  let sawWorkdir = false;
  for (const i of before) {
    const keyword = keywordOf(i);
    if (keyword === 'ARG') {
      for (const a of operands(i)) {
        const [name, ...value] = a.split('=');
        variables.set(name, o.buildArgs[name] ?? (value.length ? expand(value.join('='), variables) : undefined));
      }
    } else if (keyword === 'ENV') {
      for (const [name, value] of envPairs(operands(i))) variables.set(name, expand(value, variables));
    } else if (keyword === 'WORKDIR') {
      const dir = expand(operands(i).join(' '), variables);
      // The first WORKDIR of the stage is relative to the base image's, which only the image knows when no other follows.
      if (dir === undefined) workdir = undefined;
      else if (path.posix.isAbsolute(dir)) workdir = path.posix.normalize(dir);
      else workdir = sawWorkdir && workdir ? path.posix.resolve(workdir, dir) : undefined;
      sawWorkdir = true;
    }
  }
  return { variables, workdir };
}

function envPairs(args: readonly string[]): [string, string][] {
  if (args.length >= 2 && !args[0].includes('=')) return [[args[0], args.slice(1).join(' ')]];
  return args.filter(a => a.includes('=')).map(a => [a.slice(0, a.indexOf('=')), unquote(a.slice(a.indexOf('=') + 1))]);
}

/** `$NAME` and `${NAME}` expanded; undefined when a name is unknown or another form (`${NAME:-x}`) is used. */
function expand(text: string, variables: ReadonlyMap<string, string | undefined>): string | undefined {
  let unknown = false;
  const out = unquote(text).replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(\}|[^}]*\})|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced, close, plain) => {
    const name = braced ?? plain;
    if (braced && close !== '}') { unknown = true; return ''; }
    const value = variables.get(name);
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : out;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** Where `file` lands through `copy`, or why that is not certain. */
function destinationOf(copy: Instruction, file: string, scope: Scope): string | { reason: string } {
  if (keywordOf(copy) !== 'COPY') return { reason: `${file} is put in the image by ADD` };
  const odd = factsOfInstruction(copy).flags.map(f => f.name).find(f => f !== 'link');
  if (odd) return { reason: `the COPY of ${file} has --${odd}` };
  const sources = copySources(copy);
  const args = operands(copy);
  if (sources.length !== args.length - 1) return { reason: `the COPY of ${file} is a heredoc` };
  const written = args[args.length - 1];
  const expanded = expand(written, scope.variables);
  if (expanded === undefined) return { reason: `the destination ${written} of ${file} uses a variable that is not known here` };
  const resolved = path.posix.isAbsolute(expanded) ? expanded : scope.workdir ? path.posix.join(scope.workdir, expanded) : undefined;
  if (resolved === undefined) return { reason: `the destination ${written} of ${file} is relative to a working directory not known here` };
  const matching = sources.find(s => mayInclude(s, file))!;
  if (isWildcard(matching)) return { reason: `${file} is copied through the wildcard ${matching}` };
  const source = normalize(matching);
  const intoDirectory = expanded.endsWith('/') || sources.length > 1;
  if (source !== file) return path.posix.join(resolved, source === '' ? file : file.slice(source.length + 1));
  if (intoDirectory) return path.posix.join(resolved, path.posix.basename(file));
  // `COPY app.py /x` writes /x, or /x/app.py when /x is a directory in the image: sure only for directories known here.
  const knownDirectories = [scope.workdir, scope.variables.get('LAMBDA_TASK_ROOT'), '/'].filter(Boolean).map(d => path.posix.normalize(d!));
  if (knownDirectories.includes(path.posix.normalize(resolved))) return path.posix.join(resolved, path.posix.basename(file));
  return { reason: `whether ${written} is a directory in the image is not known here` };
}

/** Why an instruction after the COPY could read or cover `destination`; undefined when none can. */
function laterBlocker(after: readonly Instruction[], destination: string, o: CopyTargetsInput, scope: Scope): string | undefined {
  for (const i of after) {
    const keyword = keywordOf(i);
    if (keyword === 'RUN' || keyword === 'ADD' || keyword === 'ONBUILD') return `a ${keyword} follows the COPY of ${destination}`;
    if (keyword !== 'COPY') continue;
    if (flagValues(i, 'from').length) return `a COPY --from follows the COPY of ${destination}`;
    for (const source of copySources(i)) {
      const rel = normalize(source);
      const st = isWildcard(source) ? undefined : fs.lstatSync(path.join(o.context, rel), { throwIfNoEntry: false });
      if (!st?.isFile()) return `a later COPY of ${source} may cover ${destination}`;
      const landing = destinationOf(i, rel, scope);
      if (typeof landing !== 'string' || landing === destination) return `a later COPY of ${source} may cover ${destination}`;
    }
  }
  return undefined;
}

function isCopyOrAdd(i: Instruction): boolean {
  const keyword = keywordOf(i);
  return keyword === 'COPY' || keyword === 'ADD';
}

/** Whether a COPY source may take in `file`: the context itself, the file, a directory above it, or any wildcard. */
function mayInclude(source: string, file: string): boolean {
  if (isWildcard(source)) return true;
  const s = normalize(source);
  return s === '' || s === file || file.startsWith(`${s}/`);
}

/** Whether a COPY source is a pattern (`*.py`, `src/?`, `[ab].js`) rather than one path. */
function isWildcard(source: string): boolean {
  return /[*?[]/.test(source);
}

/** A context path as COPY reads it: no leading `./` or `/`, no trailing `/`; the context itself is ''. */
function normalize(p: string): string {
  const n = path.posix.normalize(p.split(path.sep).join('/')).replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  return n === '.' ? '' : n;
}
