/**
 * Shape checks for values that reach the library from JavaScript, where no compiler stops `fromEcr(null)` or
 * `timeout: 30`. Each returns the problem and the fix (for `invalidInput`), or undefined when the value fits; the callers
 * add the construct path.
 */

/** A problem with a value, and the fix, as `invalidInput` takes them. */
export type ShapeProblem = readonly [problem: string, fix: string];

/** How a value is named in an error: `undefined`, `null`, `the string "x"`, `the number 4`, JSON for a list, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    let text: string;
    try { text = JSON.stringify(value); } catch { text = `a list of ${value.length}`; }
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }
  const className = (value as object).constructor?.name;
  return className && className !== 'Object' ? `an object of class ${className}` : 'an object';
}

/** True for an object (not null, not a list) that has each of `members`; how a value from another copy of a library is recognised. */
export function hasMembers(value: unknown, ...members: string[]): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && members.every(m => (value as Record<string, unknown>)[m] !== undefined);
}

/** A list of strings, or absent; a single string gets the list holding it as the fix. */
export function stringListProblem(name: string, value: unknown, what = 'strings'): ShapeProblem | undefined {
  if (value === undefined || (Array.isArray(value) && value.every(v => typeof v === 'string'))) return undefined;
  const fix = typeof value === 'string' ? `Pass ${JSON.stringify([value]).replace(/"/g, "'")}.` : `Pass a list of ${what}.`;
  return [`${name} must be a list of ${what}, got ${describeValue(value)}`, fix];
}

/** An object of names to strings (build args, environment), or absent. */
export function stringMapProblem(name: string, value: unknown): ShapeProblem | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const pair = typeof value === 'string' ? /^([^=\s]+)=(.*)$/.exec(value) : null;
    return [`${name} must be an object of names to strings, got ${describeValue(value)}`, pair ? `Pass { ${pair[1]}: '${pair[2]}' }.` : "Pass { NAME: 'value' }."];
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      return [`${name}.${key} must be a string, got ${describeValue(v)}`, `Pass { ${key}: '${typeof v === 'number' || typeof v === 'boolean' ? String(v) : 'value'}' }.`];
    }
  }
  return undefined;
}

/** A string, or absent. */
export function stringProblem(name: string, value: unknown, fix: string): ShapeProblem | undefined {
  if (value === undefined || typeof value === 'string') return undefined;
  return [`${name} must be a string, got ${describeValue(value)}`, fix];
}

/** An exec-form command (`cmd`, `entrypoint`), or absent. */
export function execFormProblem(name: string, value: unknown): ShapeProblem | undefined {
  if (value === undefined || (Array.isArray(value) && value.every(v => typeof v === 'string'))) return undefined;
  const example = typeof value === 'string' ? value : 'app.handler';
  return [`${name} must be a list of strings, got ${describeValue(value)}`, `Give the exec form, e.g. ['${example}'].`];
}

/** The first problem found, if any. */
export function firstProblem(...problems: Array<ShapeProblem | undefined>): ShapeProblem | undefined {
  return problems.find(p => p !== undefined);
}

/** Throws the first problem found, as `Error(problem. fix)`; for code whose caller adds the construct path. */
export function throwFirst(...problems: Array<ShapeProblem | undefined>): void {
  const found = firstProblem(...problems);
  if (found) throw new Error(`${found[0]}. ${found[1]}`);
}
