// Internal: turns constructs of any origin (plain aws-cdk-lib or ContainerFunction) into subjects.
// Reads what CDK already computed (staged asset directory, asset manifest) and never re-stages a context.
import * as fs from 'fs';
import * as path from 'path';
import { AssetStaging, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnRegistryScanningConfiguration, CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { readDockerignore } from './size-estimate';
import { ImageSubject, SubjectKind } from './subject';
import { dockerImageAssetBuildOptions, pendingManifestEntry, stagingExcludes } from '../cdk-internals';
import { imageFactsOf, isPushRestricted } from '../image/image-facts';
import { DEFAULT_ARCHITECTURE } from '../lambda-facts';

export interface DiscoveryOptions {
  readonly defaultMaxImageSizeBytes?: number;
}

/** What an image asset tells about its image. */
interface AssetInfo {
  readonly dockerfilePath: string;
  readonly dockerfileText?: string;
  readonly contextDirectory?: string;
  readonly contextIgnorePatterns: string[];
  readonly platform?: string;
  readonly buildArgs?: { [key: string]: string };
}

export class SubjectDiscovery {
  /** Assets used by some function of the tree, computed on first need. */
  private functionAssets?: Set<DockerImageAsset>;
  private assetsByUri?: Map<string, DockerImageAsset>;
  /** Repository filters of registry-wide scan-on-push/continuous rules, computed on first need. */
  private registryScanFilters?: string[];

  constructor(private readonly root: IConstruct, private readonly options: DiscoveryOptions) {}

  /** The subject a construct is, if it is one. */
  public subjectOf(node: IConstruct): ImageSubject | undefined {
    // L1s by resource type, not instanceof: robust to a second copy of aws-cdk-lib in node_modules.
    if (isResource(node, CfnFunction.CFN_RESOURCE_TYPE_NAME)) return this.functionSubject(node as CfnFunction);
    if (isResource(node, CfnRepository.CFN_RESOURCE_TYPE_NAME)) return this.repositorySubject(node as CfnRepository);
    if (node instanceof DockerImageAsset) return this.assetSubject(node);
    return undefined;
  }

  /** The image asset a function subject is built from, if the app builds it (what measuring at synth builds). */
  public imageAssetOf(subject: ImageSubject): DockerImageAsset | undefined {
    if (subject.kind !== SubjectKind.FUNCTION) return undefined;
    const recorded = imageFactsOf(subject.construct)?.imageAsset;
    return recorded ?? this.assetOf(subject.construct, subject.imageUri);
  }

  private functionSubject(cfn: CfnFunction): ImageSubject | undefined {
    if (cfn.packageType !== 'Image') return undefined;
    const owner = ownerOf(cfn);
    const facts = imageFactsOf(owner) ?? imageFactsOf(cfn) ?? {};
    const code = cfn.code as CfnFunction.CodeProperty | undefined;
    const imageUri = code && typeof code.imageUri === 'string' ? code.imageUri : undefined;
    const asset = facts.imageAsset ?? this.assetOf(owner, imageUri);
    const info = asset ? assetInfo(asset) : undefined;
    const architectures = Array.isArray(cfn.architectures) ? cfn.architectures : undefined;
    const architecture = architectures?.[0] ?? DEFAULT_ARCHITECTURE;
    const imageConfig = cfn.imageConfig as CfnFunction.ImageConfigProperty | undefined;
    const command = Array.isArray(imageConfig?.command) ? imageConfig!.command : undefined;
    const repository = imageUri ? repositoryReferencedBy(imageUri) : undefined;
    const dockerfileText = facts.dockerfileText ?? info?.dockerfileText ?? readIfExists(facts.dockerfilePath);
    const usesFactsContext = !info?.contextDirectory && facts.contextDirectory !== undefined;
    return new ImageSubject({
      kind: SubjectKind.FUNCTION,
      construct: owner,
      dockerfilePath: displayPath(facts.dockerfilePath) ?? (facts.dockerfileText ? 'Dockerfile (generated)' : info?.dockerfilePath),
      dockerfileText,
      contextDirectory: info?.contextDirectory ?? facts.contextDirectory,
      contextIgnorePatterns: usesFactsContext ? readDockerignore(facts.contextDirectory!) : info?.contextIgnorePatterns,
      platform: facts.platform ?? info?.platform,
      architecture: Token.isUnresolved(architecture) ? undefined : architecture,
      imageUri,
      fromAsset: asset !== undefined && imageUri === asset.imageUri,
      immutableTag: facts.immutableTag,
      cmd: facts.cmd ?? command,
      buildArgs: facts.buildArgs ?? info?.buildArgs,
      maxImageSizeBytes: facts.maxImageSizeBytes ?? this.options.defaultMaxImageSizeBytes,
      repository,
      tagMutability: repository ? stringOrUndefined(repository.imageTagMutability) : undefined,
      pushRestricted: repository ? isPushRestricted(repository) || isPushRestricted(ownerOf(repository)) : false,
    });
  }

  private assetSubject(asset: DockerImageAsset): ImageSubject | undefined {
    if (this.usedByFunction(asset)) return undefined; // reviewed with its function
    const info = assetInfo(asset);
    return new ImageSubject({
      kind: SubjectKind.IMAGE_ASSET,
      construct: asset,
      dockerfilePath: info.dockerfilePath,
      dockerfileText: info.dockerfileText,
      contextDirectory: info.contextDirectory,
      contextIgnorePatterns: info.contextIgnorePatterns,
      platform: info.platform,
      buildArgs: info.buildArgs,
    });
  }

  /** The asset a function is built from: one inside the function, or one whose URI it uses. */
  private assetOf(owner: IConstruct, imageUri: string | undefined): DockerImageAsset | undefined {
    const inside = owner.node.findAll().find((c): c is DockerImageAsset => c instanceof DockerImageAsset);
    if (inside) return inside;
    return imageUri ? this.index().assetsByUri.get(imageUri) : undefined;
  }

  private usedByFunction(asset: DockerImageAsset): boolean {
    return this.index().functionAssets.has(asset);
  }

  private index(): { functionAssets: Set<DockerImageAsset>; assetsByUri: Map<string, DockerImageAsset> } {
    if (!this.functionAssets || !this.assetsByUri) {
      const all = this.root.node.findAll();
      this.assetsByUri = new Map();
      for (const c of all) if (c instanceof DockerImageAsset) this.assetsByUri.set(c.imageUri, c);
      this.functionAssets = new Set();
      for (const c of all) {
        if (!isResource(c, CfnFunction.CFN_RESOURCE_TYPE_NAME)) continue;
        const recorded = imageFactsOf(ownerOf(c as CfnResource))?.imageAsset;
        if (recorded) this.functionAssets.add(recorded);
        for (const inside of ownerOf(c as CfnResource).node.findAll()) if (inside instanceof DockerImageAsset) this.functionAssets.add(inside);
        const uri = ((c as CfnFunction).code as CfnFunction.CodeProperty | undefined)?.imageUri;
        const used = typeof uri === 'string' ? this.assetsByUri.get(uri) : undefined;
        if (used) this.functionAssets.add(used);
      }
    }
    return { functionAssets: this.functionAssets, assetsByUri: this.assetsByUri };
  }

  private repositorySubject(cfn: CfnRepository): ImageSubject {
    const stack = Stack.of(cfn);
    const scanning = stack.resolve(cfn.imageScanningConfiguration) as { scanOnPush?: unknown } | undefined;
    const lifecycle = stack.resolve(cfn.lifecyclePolicy) as { lifecyclePolicyText?: unknown } | undefined;
    const name = stack.resolve(cfn.repositoryName);
    return new ImageSubject({
      kind: SubjectKind.REPOSITORY,
      construct: ownerOf(cfn),
      repository: cfn,
      tagMutability: stringOrUndefined(cfn.imageTagMutability),
      pushRestricted: isPushRestricted(cfn) || isPushRestricted(ownerOf(cfn)),
      scanOnPush: scanning?.scanOnPush === true || scanning?.scanOnPush === 'true'
        || this.registryScans(typeof name === 'string' ? name : undefined),
      hasLifecyclePolicy: lifecycle?.lifecyclePolicyText !== undefined,
    });
  }

  /** True when a registry scanning configuration of the app scans the repository on push or continuously. */
  private registryScans(repositoryName: string | undefined): boolean {
    if (!this.registryScanFilters) {
      this.registryScanFilters = [];
      for (const c of this.root.node.findAll()) {
        if (!isResource(c, CfnRegistryScanningConfiguration.CFN_RESOURCE_TYPE_NAME)) continue;
        const config = Stack.of(c).resolve((c as CfnRegistryScanningConfiguration).rules) as ScanningRule[] | undefined;
        for (const rule of Array.isArray(config) ? config : []) {
          if (rule?.scanFrequency !== 'SCAN_ON_PUSH' && rule?.scanFrequency !== 'CONTINUOUS_SCAN') continue;
          for (const filter of rule.repositoryFilters ?? []) if (typeof filter?.filter === 'string') this.registryScanFilters.push(filter.filter);
        }
      }
    }
    return this.registryScanFilters.some(filter => filter === '*'
      || (repositoryName !== undefined && new RegExp(`^${filter.split('*').map(escapeRegExp).join('.*')}$`).test(repositoryName)));
  }
}

interface ScanningRule {
  readonly scanFrequency?: string;
  readonly repositoryFilters?: Array<{ readonly filter?: unknown }>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isResource(node: IConstruct, type: string): boolean {
  return CfnResource.isCfnResource(node) && node.cfnResourceType === type;
}

/** The L2 construct whose default child is this L1, else the L1 itself (findings read better on the L2). */
function ownerOf(cfn: CfnResource): IConstruct {
  const scope = cfn.node.scope;
  return scope && scope.node.defaultChild === cfn ? scope : cfn;
}

/** A CfnRepository of the app that an image URI refers to (via Ref/GetAtt tokens). */
function repositoryReferencedBy(imageUri: string): CfnRepository | undefined {
  for (const token of Tokenization.reverseString(imageUri).tokens) {
    if (token instanceof Reference && isResource(token.target, CfnRepository.CFN_RESOURCE_TYPE_NAME)) return token.target as CfnRepository;
  }
  return undefined;
}

function assetInfo(asset: DockerImageAsset): AssetInfo {
  const buildOptions = dockerImageAssetBuildOptions(asset);
  const staging = asset.node.tryFindChild('Staging') as AssetStaging | undefined;
  const file = buildOptions.dockerfilePath ?? 'Dockerfile';
  const source = staging?.sourcePath;
  const staged = staging && staging.absoluteStagedPath !== staging.sourcePath ? staging.absoluteStagedPath : undefined;
  const exclude = staging ? stagingExcludes(staging) : undefined;
  return {
    dockerfilePath: displayPath(source ? path.join(source, file) : file)!,
    dockerfileText: readIfExists(source ? path.join(source, file) : undefined),
    // A staged directory is already filtered by .dockerignore and exclude; a source directory is not.
    contextDirectory: staged ?? source,
    contextIgnorePatterns: staged ? [] : (exclude ?? (source ? readDockerignore(source) : [])),
    platform: assetPlatform(asset),
    buildArgs: buildOptions.buildArgs,
  };
}

/** The platform CDK recorded for the asset (asset manifest of the default synthesizer, or legacy metadata). */
function assetPlatform(asset: DockerImageAsset): string | undefined {
  const stack = Stack.of(asset);
  const entry = pendingManifestEntry(asset);
  if (entry) return entry.source?.platform;
  for (const m of stack.node.metadata) {
    const data = m.data as { sourceHash?: string; platform?: string } | undefined;
    if (m.type === 'aws:cdk:asset' && data?.sourceHash === asset.assetHash) return data.platform;
  }
  return undefined;
}

function displayPath(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function readIfExists(file: string | undefined): string | undefined {
  try {
    return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
}
