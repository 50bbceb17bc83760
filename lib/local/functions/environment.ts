// The environment a function's container gets: its template Environment, the user's --env-vars,
// Lambda's standard variables, and the user's AWS credentials when (and only when) they have some.
// @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppFunction } from '../../assembly/app-function';
import { LAMBDA_ENVIRONMENT_NAME_PATTERN } from '../../lambda-facts';

export type EnvMap = { [name: string]: string };

/**
 * Reads an --env-vars file in SAM's shape: `{ "<function>": { "NAME": "value" }, "Parameters": { ... } }`,
 * where `<function>` is a logical id, construct path or function name, and `Parameters` applies to every
 * function. Unlike SAM, variables the template does not declare are set too. Every name must be one Lambda
 * accepts, and every value a string, number or boolean without a NUL byte (a process environment cannot
 * hold one); anything else is refused here, naming the entry, before any container or listener exists.
 */
export function readEnvVarsFile(file: string): { [key: string]: EnvMap } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--env-vars ${file}: ${(e as Error).message}. Expected JSON like {"MyFunction": {"TABLE_NAME": "local"}}.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`--env-vars ${file}: expected a JSON object like {"MyFunction": {"TABLE_NAME": "local"}, "Parameters": {...}}.`);
  }
  const out: { [key: string]: EnvMap } = {};
  for (const [key, vars] of Object.entries(parsed as object)) {
    if (!vars || typeof vars !== 'object' || Array.isArray(vars)) {
      throw new Error(`--env-vars ${file}: "${key}" must map variable names to values.`);
    }
    out[key] = Object.fromEntries(Object.entries(vars as object).map(([name, value]) => [name, checkedVariable(file, key, name, value)]));
  }
  return out;
}

/** One variable's value as the process environment holds it; throws naming the entry and the fix. */
function checkedVariable(file: string, key: string, name: string, value: unknown): string {
  const where = `--env-vars ${file}: ${JSON.stringify(key)}.${JSON.stringify(name)}`;
  if (!LAMBDA_ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new Error(`${where}: Lambda accepts variable names of a letter followed by letters, digits or underscores (${LAMBDA_ENVIRONMENT_NAME_PATTERN.source}). Rename it.`);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`${where}: a value must be a string, number or boolean (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}). Quote it as a JSON string.`);
  }
  const text = String(value);
  if (text.includes('\0')) throw new Error(`${where}: the value holds a NUL byte, which no process environment can carry. Remove it.`);
  return text;
}

/** The keys of an --env-vars file that name `fn`: its logical id (SAM's key), construct path, name, `<stack>/<logicalId>`. */
function envVarsKeysOf(fn: AppFunction): string[] {
  return [fn.logicalId, fn.path, fn.functionName, `${fn.stackName}/${fn.logicalId}`];
}

/** The --env-vars values that apply to `fn`: Parameters first, then its own entry. */
export function overridesFor(fn: AppFunction, file: { [key: string]: EnvMap } | undefined): EnvMap {
  if (!file) return {};
  const own = envVarsKeysOf(fn).map(k => file[k]).filter(Boolean);
  return Object.assign({}, file.Parameters, ...own);
}

/** Keys of an --env-vars file (other than `Parameters`) that name none of `functions`: most likely a typo. */
export function unknownEnvVarsKeys(file: { [key: string]: EnvMap } | undefined, functions: readonly AppFunction[]): string[] {
  if (!file) return [];
  const known = new Set(functions.flatMap(envVarsKeysOf));
  return Object.keys(file).filter(key => key !== 'Parameters' && !known.has(key));
}

/** Template variables that stay unknown after the overrides (the caller lists them by name). */
export function stillUnresolved(fn: AppFunction, overrides: EnvMap): string[] {
  return fn.unresolvedEnvironment.filter(n => !(n in overrides));
}

/**
 * The user's credentials from the process environment or the shared credentials file (AWS_PROFILE or
 * `default`); empty when there are none, so nothing is invented and nothing leaks that is not there.
 */
export function hostCredentials(env: NodeJS.ProcessEnv = process.env): EnvMap {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const c: EnvMap = { AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY };
    if (env.AWS_SESSION_TOKEN) c.AWS_SESSION_TOKEN = env.AWS_SESSION_TOKEN;
    return c;
  }
  const file = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(env.HOME ?? os.homedir(), '.aws', 'credentials');
  const profile = env.AWS_PROFILE ?? 'default';
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return {}; }
  const section = iniSection(text, profile);
  if (!section.aws_access_key_id || !section.aws_secret_access_key) return {};
  const c: EnvMap = { AWS_ACCESS_KEY_ID: section.aws_access_key_id, AWS_SECRET_ACCESS_KEY: section.aws_secret_access_key };
  if (section.aws_session_token) c.AWS_SESSION_TOKEN = section.aws_session_token;
  return c;
}

function iniSection(text: string, name: string): EnvMap {
  const out: EnvMap = {};
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) { inside = header[1] === name; continue; }
    const kv = /^([^=#;]+?)\s*=\s*(.*)$/.exec(line);
    if (inside && kv) out[kv[1].trim().toLowerCase()] = kv[2].trim();
  }
  return out;
}

export interface StandardEnvInput {
  readonly fn: AppFunction;
  readonly region: string;
  readonly handler?: string;
  readonly runtimeApi: string;
  readonly logStreamName: string;
  readonly taskRoot: string;
}

/**
 * Lambda's reserved variables, as the service sets them.
 * `AWS_LAMBDA_LOG_GROUP_NAME` is `/aws/lambda/<name>` with the leading slash (SAM drops it).
 */
export function standardVariables(i: StandardEnvInput): EnvMap {
  const env: EnvMap = {
    AWS_LAMBDA_FUNCTION_NAME: i.fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(i.fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${i.fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: i.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_RUNTIME_API: i.runtimeApi,
    AWS_REGION: i.region,
    AWS_DEFAULT_REGION: i.region,
    LAMBDA_TASK_ROOT: i.taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    TZ: ':UTC',
  };
  if (i.handler) env._HANDLER = i.handler;
  return env;
}

/** A log stream name in Lambda's format: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function logStreamName(now: Date, hex: string): string {
  const d = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[$LATEST]${hex}`;
}
