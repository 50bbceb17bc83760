// Finds the function a user names: a construct path (`CsvProcessor/Processor`), a logical id
// (`Processor60228016`), `<stack>/<logicalId>`, or the function's name. An unknown or ambiguous
// name lists the candidates, so the next try is a copy and paste.
import { FunctionSpec } from './function-spec';

function describe(f: FunctionSpec): string {
  return `${f.path} (${f.logicalId})`;
}

function matches(f: FunctionSpec, name: string): boolean {
  const n = name.replace(/\/Resource$/, '').replace(/^\/+/, '');
  return n === f.path || n === f.logicalId || n === `${f.stackName}/${f.logicalId}` || n === f.functionName;
}

/** The one function `name` denotes; throws listing the candidates when none or several match. */
export function findFunction(functions: readonly FunctionSpec[], name: string): FunctionSpec {
  if (functions.length === 0) {
    throw new Error('the cloud assembly has no container-image Lambda functions (PackageType: Image). Check --app.');
  }
  const found = functions.filter(f => matches(f, name));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new Error(`"${name}" matches ${found.length} functions; name one by its construct path:\n  ${found.map(describe).join('\n  ')}`);
  }
  // Near misses first: paths that end with or contain the name.
  const lower = name.toLowerCase();
  const near = functions.filter(f => f.path.toLowerCase().includes(lower) || f.logicalId.toLowerCase().includes(lower));
  const list = (near.length ? near : functions).map(describe);
  throw new Error(`no container-image function "${name}". ${near.length ? 'Did you mean' : 'Functions in this app'}:\n  ${list.join('\n  ')}`);
}
