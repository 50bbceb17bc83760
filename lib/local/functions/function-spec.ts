// A container-image function's settings as the local runtime needs them, read from a synthesized
// CloudFormation template: what Lambda would run, with what memory, timeout, platform and environment.
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from '../../lambda-facts';

/** Where the function's image comes from. */
export type FunctionImage =
  /**
   * A Docker image asset of the assembly: its hash when the `aws:asset:path` metadata names it, else found
   * through the asset manifests (an ImageUri built from tokens, as for an image copied to its own repository).
   */
  | { readonly kind: 'asset'; readonly assetHash?: string }
  /** A literal image URI (an ECR image not built by this app). */
  | { readonly kind: 'uri'; readonly uri: string };

export interface FunctionSpec {
  readonly stackName: string;
  readonly logicalId: string;
  /** Construct path without the trailing `/Resource`, e.g. `CsvProcessor/Processor`. */
  readonly path: string;
  /** The deployed name: FunctionName when literal, else `<stack>-<logicalId>` (CloudFormation's generated names start so). */
  readonly functionName: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Lambda's architecture name: `x86_64` or `arm64`. */
  readonly architecture: string;
  /** Literal environment values. */
  readonly environment: { readonly [name: string]: string };
  /** Variables whose value is a CloudFormation expression (a Ref, a GetAtt): unknown until deployed. */
  readonly unresolvedEnvironment: readonly string[];
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly workingDirectory?: string;
  readonly image: FunctionImage;
}

type Json = any;

const isLiteral = (v: Json) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function stringList(v: Json): string[] | undefined {
  return Array.isArray(v) && v.every(x => typeof x === 'string') ? v : undefined;
}

/** CloudFormation caps generated names; Lambda names are at most 64 characters. */
function generatedName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`.slice(0, 64);
}

/** Every `PackageType: Image` function of one stack's template. */
export function imageFunctionsOf(stackName: string, template: Json): FunctionSpec[] {
  const specs: FunctionSpec[] = [];
  for (const [logicalId, r] of Object.entries<Json>(template?.Resources ?? {})) {
    if (r?.Type !== 'AWS::Lambda::Function' || r.Properties?.PackageType !== 'Image') continue;
    const p = r.Properties;
    const md = r.Metadata ?? {};
    const cdkPath: string = md['aws:cdk:path'] ?? `${stackName}/${logicalId}`;
    const assetPath: string | undefined = md['aws:asset:property'] === 'Code.ImageUri' ? md['aws:asset:path'] : undefined;
    const assetHash = assetPath ? /([0-9a-f]{64})$/.exec(assetPath)?.[1] : undefined;
    let image: FunctionImage;
    if (assetHash) image = { kind: 'asset', assetHash };
    else if (typeof p.Code?.ImageUri === 'string') image = { kind: 'uri', uri: p.Code.ImageUri };
    else image = { kind: 'asset' };

    const environment: { [k: string]: string } = {};
    const unresolved: string[] = [];
    for (const [k, v] of Object.entries<Json>(p.Environment?.Variables ?? {})) {
      if (isLiteral(v)) environment[k] = String(v); else unresolved.push(k);
    }
    const ic = p.ImageConfig ?? {};
    specs.push({
      stackName,
      logicalId,
      path: cdkPath.replace(/\/Resource$/, ''),
      functionName: typeof p.FunctionName === 'string' ? p.FunctionName : generatedName(stackName, logicalId),
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : DEFAULT_MEMORY_MB,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : DEFAULT_TIMEOUT_SECONDS,
      architecture: stringList(p.Architectures)?.[0] ?? 'x86_64',
      environment,
      unresolvedEnvironment: unresolved,
      command: stringList(ic.Command),
      entryPoint: stringList(ic.EntryPoint),
      workingDirectory: typeof ic.WorkingDirectory === 'string' ? ic.WorkingDirectory : undefined,
      image,
    });
  }
  return specs;
}
