// Finds what a user names on the command line among the app's functions and stacks: a construct path
// (`CsvProcessor/Processor`), a logical id (`Processor60228016`), `<stack>/<logicalId>`, or the function's name; a
// stack by name, artifact id or construct path (`*` matches any characters). A name that matches nothing is a usage
// error that lists the candidates, so the next try is a copy and paste; `invoke`, `serve` and `measure` share it.
import { AppFunction } from './app-function';
import { AppAssembly, AppStack, UnreadNestedStack } from './read-app';

/** A name on the command line that matches nothing (or too much): the CLI exits 2 (usage error). */
export class UnknownNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownNameError';
  }
}

function describe(f: AppFunction): string {
  return `${f.path} (${f.logicalId})`;
}

/** Whether `name` denotes `fn` (construct path with or without `/Resource`, logical id, `<stack>/<logicalId>`, function name). */
export function namesFunction(fn: AppFunction, name: string): boolean {
  const n = name.replace(/\/Resource$/, '').replace(/^\/+/, '');
  return n === fn.path || n === fn.logicalId || n === `${fn.stackName}/${fn.logicalId}` || n === `${fn.stackId}/${fn.logicalId}`
    || n === fn.functionName;
}

/**
 * The one function `name` denotes; throws UnknownNameError listing the candidates when none or several match, or
 * naming the nested stack whose template could not be read when the name is inside one.
 */
export function findFunction(functions: readonly AppFunction[], name: string, unreadNestedStacks: readonly UnreadNestedStack[] = []): AppFunction {
  const found = functions.filter(f => namesFunction(f, name));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new UnknownNameError(`"${name}" matches ${found.length} functions; name one by its construct path:\n  ${found.map(describe).join('\n  ')}`);
  }
  const unread = unreadNestedStacks.find(s => name.replace(/^\/+/, '').startsWith(`${s.path}/`));
  if (unread) {
    throw new UnknownNameError(`"${name}" is inside the nested stack ${unread.path}, whose functions cannot be read: ${unread.reason}. `
      + 'Synthesize with the default stack synthesizer (cdk synth), or invoke the function from a stack of its own.');
  }
  if (functions.length === 0) {
    throw new UnknownNameError('the cloud assembly has no container-image Lambda functions (PackageType: Image). Check --app.');
  }
  // Near misses first: paths that end with or contain the name.
  const lower = name.toLowerCase();
  const near = functions.filter(f => f.path.toLowerCase().includes(lower) || f.logicalId.toLowerCase().includes(lower));
  const list = (near.length ? near : functions).map(describe);
  throw new UnknownNameError(`no container-image function "${name}". ${near.length ? 'Did you mean' : 'Functions in this app'}:\n  ${list.join('\n  ')}`);
}

/** The functions `names` denote, each once, in the order named (every name must denote one). */
export function findFunctions(app: Pick<AppAssembly, 'functions' | 'unreadNestedStacks'>, names: readonly string[]): AppFunction[] {
  return [...new Set(names.map(n => findFunction(app.functions, n, app.unreadNestedStacks)))];
}

/** Whether a stack pattern (`*` matches any characters) names a stack by its name, artifact id or construct path. */
function namesStack(pattern: string, stack: AppStack): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(stack.stackName) || re.test(stack.stackId) || re.test(stack.path);
}

export interface FunctionSelection {
  /** Stack names, artifact ids or construct paths; `*` matches any characters. @default every stack */
  readonly stacks?: readonly string[];
  /** Function names as findFunction takes them; a construct path also selects the functions below it. @default every function */
  readonly functions?: readonly string[];
}

/** The top-level stacks `patterns` select; a pattern that selects none is an UnknownNameError listing the stacks. */
export function selectStacks(app: Pick<AppAssembly, 'stacks'>, patterns: readonly string[] | undefined): AppStack[] {
  const stacks = app.stacks.filter(s => !s.parent);
  if (!patterns || patterns.length === 0) return stacks;
  for (const pattern of patterns) {
    if (!stacks.some(s => namesStack(pattern, s))) {
      const names = stacks.map(s => s.path === s.stackName ? s.path : `${s.path} (${s.stackName})`);
      throw new UnknownNameError(`no stack "${pattern}". Stacks in this app:\n  ${names.join('\n  ') || '(none)'}`);
    }
  }
  return stacks.filter(s => patterns.some(p => namesStack(p, s)));
}

/**
 * The functions of the selected stacks that the selection names. A name that selects no function is an
 * UnknownNameError listing the candidates (those of the selected stacks).
 */
export function selectFunctions(app: Pick<AppAssembly, 'stacks' | 'functions' | 'unreadNestedStacks'>, selection: FunctionSelection): AppFunction[] {
  const stackIds = new Set(selectStacks(app, selection.stacks).map(s => s.stackId));
  const inStacks = app.functions.filter(f => stackIds.has(f.stackId));
  if (!selection.functions || selection.functions.length === 0) return inStacks;
  const chosen = new Set<AppFunction>();
  for (const name of selection.functions) {
    const prefix = name.replace(/^\/+/, '').replace(/\/+$/, '');
    const below = inStacks.filter(f => f.path.startsWith(`${prefix}/`));
    const exact = inStacks.filter(f => namesFunction(f, name));
    if (exact.length + below.length === 0) findFunction(inStacks, name, app.unreadNestedStacks); // throws
    for (const f of [...exact, ...below]) chosen.add(f);
  }
  return inStacks.filter(f => chosen.has(f));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
