// The one reader of a synthesized app: each stack's template (and each nested stack's) read once, through
// @aws-cdk/cloud-assembly-api, with its metadata, asset manifests and environment, into the types every tool uses:
// `AppStack` (a template with the construct path of each resource), `AppFunction` (a container-image function, with
// its image) and `ImageAsset`. `invoke`, `serve` and `measure` read the app only through here; so do the HTTP front
// doors (API Gateway resources, through `AppStack`) and the inner loop.
import * as fs from 'fs';
import * as path from 'path';
import { AssetManifestArtifact, CloudAssembly, CloudFormationStackArtifact } from '@aws-cdk/cloud-assembly-api';
import { AppFunction, FunctionImage, FunctionUrlConfig } from './app-function';
import { constructPathsByScope, nestedStackPathOf, withoutResourceSuffix } from './construct-paths';
import { ImageAsset } from './image-asset';
import { DEFAULT_ARCHITECTURE, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, lambdaArchitecture } from '../lambda-facts';

/** A CloudFormation template as synthesized: resources by logical id. */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: CfnResource };
  readonly [section: string]: unknown;
}

export interface CfnResource {
  readonly Type?: string;
  readonly Properties?: { readonly [name: string]: any };
  readonly Metadata?: { readonly [name: string]: any };
}

/** One template of the app: a stack's own, or a nested stack's. */
export interface AppStack {
  /** Artifact id of the top-level stack (what `cdk deploy` selects); a nested stack's is its parent's. */
  readonly stackId: string;
  /** Name of the top-level stack as deployed. */
  readonly stackName: string;
  /** Construct path of this stack (`Stage/Stack`, or the nested stack's `Stack/Inner`). */
  readonly path: string;
  /** The top-level stack's `AppStack`, for a nested stack. */
  readonly parent?: AppStack;
  /** Logical id of the `AWS::CloudFormation::Stack` resource in the parent's template, for a nested stack. */
  readonly resourceId?: string;
  readonly template: CfnTemplate;
  /** The Docker image assets of the stack's asset manifests (a nested stack's are its parent's: none of its own). */
  readonly imageAssets: readonly ImageAsset[];
  /** The region and account when the app pins them. */
  readonly region?: string;
  readonly account?: string;
  /** Construct path of a resource of this template, without `/Resource` (a fallback built from the logical id when no metadata names it). */
  pathOf(logicalId: string): string;
}

/** A nested stack whose template the assembly does not name (its functions cannot be listed). */
export interface UnreadNestedStack {
  readonly path: string;
  readonly reason: string;
}

/** What the tools know of a synthesized app. */
export interface AppAssembly {
  /** Absolute path of the cloud assembly directory. */
  readonly directory: string;
  /** Every template: top-level stacks (of every stage) first, each followed by its nested stacks. */
  readonly stacks: readonly AppStack[];
  /** Every container-image function of every template. */
  readonly functions: readonly AppFunction[];
  /** Every Docker image asset, once (also those no function runs, e.g. an image for ECS). */
  readonly imageAssets: readonly ImageAsset[];
  readonly unreadNestedStacks: readonly UnreadNestedStack[];
}

/** Opens the assembly in `directory`; the error names the directory and how to produce one. */
export function openAssembly(directory: string): CloudAssembly {
  try {
    // Newer assemblies than this library's schema are read anyway: only asset manifests, templates and metadata are used.
    return new CloudAssembly(directory, { skipVersionCheck: true });
  } catch (error) {
    throw new Error(`${directory} is not a readable cloud assembly (${(error as Error).message}). `
      + 'Run `cdk synth` first, or pass --app with your app command.');
  }
}

/** Reads the app in a cloud assembly directory (or an assembly already open). */
export function readApp(assembly: string | CloudAssembly): AppAssembly {
  const cloud = typeof assembly === 'string' ? openAssembly(assembly) : assembly;
  const imageAssets = imageAssetsOf(cloud);
  const stacks: AppStack[] = [];
  const unread: UnreadNestedStack[] = [];
  for (const artifact of cloud.stacksRecursively) {
    const scopes = constructPathsByScope(artifact);
    const ownAssets = new Set(imageAssetIdsOf(artifact));
    const top = appStack(artifact, artifact.hierarchicalId, artifact.template ?? {}, scopes.get('') ?? new Map(), imageAssets.filter(a => ownAssets.has(a.id)));
    stacks.push(top);
    const files = fileAssetsOf(artifact);
    const visit = (parent: AppStack) => {
      for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
        if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
        const resourcePath = parent.pathOf(logicalId);
        const nestedPath = nestedStackPathOf(resourcePath) ?? resourcePath;
        const file = nestedTemplateFile(resource, files, path.dirname(artifact.templateFullPath));
        if (!file) {
          unread.push({ path: nestedPath, reason: 'its template is not an asset of the assembly (TemplateURL names no file asset)' });
          continue;
        }
        const nested = appStack(artifact, nestedPath, JSON.parse(fs.readFileSync(file, 'utf8')), scopes.get(nestedPath) ?? new Map(), [], top, logicalId);
        stacks.push(nested);
        visit(nested);
      }
    };
    visit(top);
  }
  const functions = stacks.flatMap(stack => functionsOf(stack, imageAssets));
  return { directory: cloud.directory, stacks, functions, imageAssets, unreadNestedStacks: unread };
}

function appStack(artifact: CloudFormationStackArtifact, stackPath: string, template: CfnTemplate, paths: ReadonlyMap<string, string>,
  imageAssets: readonly ImageAsset[], parent?: AppStack, resourceId?: string): AppStack {
  const known = (v: string | undefined) => (v && !v.startsWith('unknown-') ? v : undefined);
  return templateStack(template, {
    stackId: artifact.id,
    stackName: artifact.stackName,
    path: stackPath,
    constructPaths: paths,
    imageAssets,
    parent,
    resourceId,
    region: known(artifact.environment.region),
    account: known(artifact.environment.account),
  });
}

/** What a template is, when it is read on its own. */
export interface TemplateStackOptions {
  readonly stackId: string;
  readonly stackName: string;
  /** @default stackId */
  readonly path?: string;
  /** Construct paths by logical id, from the stack's `aws:cdk:logicalId` metadata. @default from the template's `aws:cdk:path` metadata */
  readonly constructPaths?: ReadonlyMap<string, string>;
  /** @default none */
  readonly imageAssets?: readonly ImageAsset[];
  readonly parent?: AppStack;
  readonly resourceId?: string;
  readonly region?: string;
  readonly account?: string;
}

/** A template as the tools see it. readApp() makes one per stack; tests and tools given a bare template call it directly. */
export function templateStack(template: CfnTemplate, o: TemplateStackOptions): AppStack {
  const stackPath = o.path ?? o.stackId;
  const paths = o.constructPaths ?? new Map<string, string>();
  return {
    stackId: o.stackId,
    stackName: o.stackName,
    path: stackPath,
    ...optional('parent', o.parent),
    ...optional('resourceId', o.resourceId),
    template,
    imageAssets: o.imageAssets ?? [],
    ...optional('region', o.region),
    ...optional('account', o.account),
    pathOf: logicalId => {
      const fromMetadata = paths.get(logicalId) ?? template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
      return typeof fromMetadata === 'string' ? withoutResourceSuffix(fromMetadata) : `${stackPath}/${logicalId}`;
    },
  };
}

function imageAssetIdsOf(stack: CloudFormationStackArtifact): string[] {
  return assetManifestsOf(stack).flatMap(manifest => Object.keys(manifest.contents.dockerImages ?? {}));
}

function assetManifestsOf(stack: CloudFormationStackArtifact): AssetManifestArtifact[] {
  return stack.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact);
}

/** The image assets of every asset manifest, each once (the same asset can serve several stacks). */
function imageAssetsOf(cloud: CloudAssembly): ImageAsset[] {
  const byId = new Map<string, ImageAsset>();
  for (const stack of cloud.stacksRecursively) {
    for (const manifest of assetManifestsOf(stack)) {
      for (const [id, entry] of Object.entries(manifest.contents.dockerImages ?? {})) {
        if (byId.has(id)) continue;
        byId.set(id, {
          id,
          displayName: entry.displayName,
          source: entry.source,
          baseDirectory: path.dirname(manifest.file),
          imageTags: [...new Set(Object.values(entry.destinations).map(d => d.imageTag))],
        });
      }
    }
  }
  return [...byId.values()];
}

interface FileAsset { readonly file: string; readonly objectKeys: string[] }

function fileAssetsOf(stack: CloudFormationStackArtifact): FileAsset[] {
  return assetManifestsOf(stack).flatMap(manifest =>
    Object.values(manifest.contents.files ?? {}).filter(entry => entry.source.path).map(entry => ({
      file: path.resolve(path.dirname(manifest.file), entry.source.path!),
      objectKeys: Object.values(entry.destinations).map(d => d.objectKey),
    })));
}

/** A nested stack's template: the file asset its TemplateURL names (or its `aws:asset:path` metadata, when written). */
function nestedTemplateFile(resource: CfnResource, files: FileAsset[], assemblyDir: string): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string' && fs.existsSync(path.resolve(assemblyDir, assetPath))) return path.resolve(assemblyDir, assetPath);
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  return files.find(f => f.objectKeys.some(key => url.includes(key)) && fs.existsSync(f.file))?.file;
}

/** Every `PackageType: Image` function of one template. */
export function functionsOf(stack: AppStack, imageAssets: readonly ImageAsset[]): AppFunction[] {
  const resources = stack.template.Resources ?? {};
  const functions: AppFunction[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties?.PackageType !== 'Image') continue;
    const p = resource.Properties;
    const fnPath = stack.pathOf(logicalId);
    const environment: { [name: string]: string } = {};
    const unresolvedEnvironment: string[] = [];
    for (const [name, value] of Object.entries<unknown>(p.Environment?.Variables ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') environment[name] = String(value);
      else unresolvedEnvironment.push(name);
    }
    const imageConfig = p.ImageConfig ?? {};
    const functionUrl = functionUrlOf(resources, logicalId);
    functions.push({
      path: fnPath,
      logicalId,
      stackName: stack.stackName,
      stackId: stack.stackId,
      ...(stack.parent ? { nestedStack: stack.path } : {}),
      ...(stack.region ? { region: stack.region } : {}),
      ...(stack.account ? { account: stack.account } : {}),
      functionName: typeof p.FunctionName === 'string' ? p.FunctionName : generatedName(stack, logicalId),
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : DEFAULT_MEMORY_MB,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : DEFAULT_TIMEOUT_SECONDS,
      architecture: architectureOf(p.Architectures),
      environment,
      unresolvedEnvironment,
      ...optional('command', stringList(imageConfig.Command)),
      ...optional('entryPoint', stringList(imageConfig.EntryPoint)),
      ...optional('workingDirectory', typeof imageConfig.WorkingDirectory === 'string' ? imageConfig.WorkingDirectory : undefined),
      image: imageOf(resource, fnPath, stack, imageAssets),
      ...optional('functionUrl', functionUrl),
    });
  }
  return functions;
}

/** `Architectures[0]` in Lambda's spelling; x86_64, Lambda's default, when left out. */
function architectureOf(value: unknown): string {
  const first = stringList(value)?.[0];
  if (first === undefined) return DEFAULT_ARCHITECTURE;
  return lambdaArchitecture(first)?.name ?? first;
}

/** CloudFormation names a function `<stack>-<logicalId>-<suffix>`; Lambda names are at most 64 characters. */
function generatedName(stack: AppStack, logicalId: string): string {
  const prefix = stack.parent ? `${stack.stackName}-${stack.resourceId}` : stack.stackName;
  return `${prefix}-${logicalId}`.slice(0, 64);
}

/**
 * The image a function runs. In order: the asset its `aws:asset:path` metadata names; the asset whose tag its
 * ImageUri names (plain aws-cdk-lib, nested stacks too); the asset whose display name (CDK writes the asset's
 * stack-relative construct path) sits below the function (an image copied to another repository under another tag);
 * a literal ImageUri.
 */
function imageOf(resource: CfnResource, fnPath: string, stack: AppStack, assets: readonly ImageAsset[]): FunctionImage {
  const metadata = resource.Metadata ?? {};
  const assetPath = metadata['aws:asset:property'] === 'Code.ImageUri' && typeof metadata['aws:asset:path'] === 'string'
    ? metadata['aws:asset:path'] as string : undefined;
  const assetHash = assetPath ? /([0-9a-f]{64})$/.exec(assetPath)?.[1] : undefined;
  const uri = resource.Properties?.Code?.ImageUri;
  const uriText = JSON.stringify(uri ?? '');
  const topPath = (stack.parent ?? stack).path;
  const relative = fnPath.startsWith(`${topPath}/`) ? fnPath.slice(topPath.length + 1) : fnPath;
  const asset = assets.find(a => assetHash !== undefined && a.id === assetHash)
    ?? assets.find(a => assetPath !== undefined && a.source.directory === assetPath)
    ?? assets.find(a => a.imageTags.some(tag => new RegExp(`:${escapeRegExp(tag)}(?![\\w.-])`).test(uriText)))
    ?? assets.find(a => a.displayName !== undefined && (a.displayName.startsWith(`${relative}/`) || a.displayName.startsWith(`${fnPath}/`)));
  if (asset) return { kind: 'asset', asset };
  if (typeof uri === 'string') return { kind: 'uri', uri };
  return assetHash ? { kind: 'unlisted-asset', assetHash } : { kind: 'unlisted-asset' };
}

/** The `AWS::Lambda::Url` of the template that targets the function (by `Fn::GetAtt [fn, Arn]` or `Ref fn`). */
function functionUrlOf(resources: { readonly [id: string]: CfnResource }, functionId: string): FunctionUrlConfig | undefined {
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Url') continue;
    const p = resource.Properties ?? {};
    const target = p.TargetFunctionArn;
    const targets = target?.Ref === functionId || (Array.isArray(target?.['Fn::GetAtt']) && target['Fn::GetAtt'][0] === functionId);
    if (!targets) continue;
    return {
      logicalId,
      authType: typeof p.AuthType === 'string' ? p.AuthType : 'AWS_IAM',
      // Lambda's default invoke mode. @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html
      invokeMode: typeof p.InvokeMode === 'string' ? p.InvokeMode : 'BUFFERED',
      ...optional('cors', p.Cors && typeof p.Cors === 'object' ? p.Cors as { [key: string]: unknown } : undefined),
      ...optional('qualifier', typeof p.Qualifier === 'string' ? p.Qualifier : undefined),
    };
  }
  return undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every(x => typeof x === 'string') ? value : undefined;
}

/** `{ key: value }` when value is defined, else nothing: optional fields stay absent, not `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
