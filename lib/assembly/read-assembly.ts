// Reads a synthesized cloud assembly (through @aws-cdk/cloud-assembly-api, never by guessing its JSON) and lists
// its Docker image assets with the Lambda functions that use them. Shared by `measure` and local invoke.
import * as path from 'path';
import { AssetManifestArtifact, CloudAssembly, CloudFormationStackArtifact } from '@aws-cdk/cloud-assembly-api';
import { ImageAsset, ImageFunction } from './image-asset';

export interface AssemblySelection {
  /** Stack names, artifact ids or hierarchical ids (`Stage/Stack`); `*` matches any characters. @default all */
  readonly stacks?: string[];
  /** Function construct paths; a path also selects the functions below it. @default all */
  readonly functions?: string[];
}

/** Opens the assembly in `directory`; the error names the directory and how to produce one. */
export function openAssembly(directory: string): CloudAssembly {
  try {
    // Newer assemblies than this library's schema are read anyway: only asset manifests and templates are used.
    return new CloudAssembly(directory, { skipVersionCheck: true });
  } catch (error) {
    throw new Error(`${directory} is not a readable cloud assembly (${(error as Error).message}). `
      + 'Run `cdk synth` first, or pass --app with your app command.');
  }
}

/**
 * The image assets of the assembly that the selection keeps. Without a function selection, image assets that no
 * function uses are kept too (an image for ECS is still an image); with one, only assets of selected functions.
 */
export function listImageAssets(assembly: CloudAssembly, selection: AssemblySelection = {}): ImageAsset[] {
  const stacks = assembly.stacksRecursively.filter(stack => selects(selection.stacks, stack));
  const byId = new Map<string, { asset: Omit<ImageAsset, 'functions'>; functions: ImageFunction[] }>();
  for (const stack of stacks) {
    const functions = imageFunctions(stack)
      .filter(fn => !selection.functions || selection.functions.some(p => fn.fn.path === p || fn.fn.path.startsWith(`${p}/`)));
    for (const manifest of stack.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact)) {
      for (const [id, entry] of Object.entries(manifest.contents.dockerImages ?? {})) {
        const tags = [...new Set(Object.values(entry.destinations).map(d => d.imageTag))];
        const known = byId.get(id) ?? {
          asset: { id, displayName: entry.displayName, source: entry.source, baseDirectory: path.dirname(manifest.file), imageTags: tags },
          functions: [],
        };
        byId.set(id, known);
        for (const fn of functions) {
          if (usesAsset(fn.resource, known.asset) && !known.functions.some(f => f.stackId === fn.fn.stackId && f.logicalId === fn.fn.logicalId)) {
            known.functions.push(fn.fn);
          }
        }
      }
    }
  }
  return [...byId.values()]
    .filter(e => !selection.functions || e.functions.length > 0)
    .map(e => ({ ...e.asset, functions: e.functions }));
}

/** Every image function of the selected stacks, whether or not the app builds its image (for a clear error). */
export function listImageFunctions(assembly: CloudAssembly, selection: AssemblySelection = {}): ImageFunction[] {
  return assembly.stacksRecursively.filter(stack => selects(selection.stacks, stack)).flatMap(stack => imageFunctions(stack).map(f => f.fn));
}

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: { [key: string]: any };
  readonly Metadata?: { [key: string]: any };
}

function imageFunctions(stack: CloudFormationStackArtifact): { fn: ImageFunction; resource: TemplateResource }[] {
  const resources: { [id: string]: TemplateResource } = stack.template?.Resources ?? {};
  const result: { fn: ImageFunction; resource: TemplateResource }[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties?.PackageType !== 'Image') continue;
    const props = resource.Properties;
    const cdkPath = typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? resource.Metadata['aws:cdk:path'] as string : `${stack.hierarchicalId}/${logicalId}`;
    const environment: { [name: string]: string } = {};
    for (const [k, v] of Object.entries(props.Environment?.Variables ?? {})) if (typeof v === 'string') environment[k] = v;
    result.push({
      resource,
      fn: {
        path: cdkPath.replace(/\/Resource$/, ''),
        logicalId,
        stackName: stack.stackName,
        stackId: stack.id,
        architecture: Array.isArray(props.Architectures) && typeof props.Architectures[0] === 'string' ? props.Architectures[0] : 'x86_64',
        imageConfig: props.ImageConfig,
        environment,
        timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
        memoryMb: typeof props.MemorySize === 'number' ? props.MemorySize : 128,
      },
    });
  }
  return result;
}

/**
 * Whether a function resource runs an asset's image. In order: its ImageUri names one of the asset's tags (plain
 * aws-cdk-lib); its `aws:asset:path` metadata is the asset's directory; the asset's display name (CDK writes the
 * asset's construct path) sits below the function (an image copied to another repository under another tag).
 */
function usesAsset(resource: TemplateResource, asset: Omit<ImageAsset, 'functions'>): boolean {
  const uri = JSON.stringify(resource.Properties?.Code?.ImageUri ?? '');
  if (asset.imageTags.some(tag => new RegExp(`:${escape(tag)}(?![\\w.-])`).test(uri))) return true;
  if (asset.source.directory !== undefined && resource.Metadata?.['aws:asset:path'] === asset.source.directory) return true;
  const fnPath = typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? (resource.Metadata['aws:cdk:path'] as string).replace(/\/Resource$/, '') : undefined;
  if (fnPath && asset.displayName) {
    // displayName is stack-relative (Names.stackRelativeConstructPath); the cdk path starts with the stack.
    const relative = fnPath.split('/').slice(1).join('/');
    return asset.displayName.startsWith(`${relative}/`) || asset.displayName.startsWith(`${fnPath}/`);
  }
  return false;
}

function selects(patterns: string[] | undefined, stack: CloudFormationStackArtifact): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some(p => {
    const re = new RegExp(`^${p.split('*').map(escape).join('.*')}$`);
    return re.test(stack.stackName) || re.test(stack.id) || re.test(stack.hierarchicalId);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
