import { IgnoreMode, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';
import { contextStateOf } from './context-state';
import { checkEcrTag } from './ecr-tag';
import { findGitRoot, GitReader } from './git';

/**
 * Options for {@link ImageTag.gitSha}.
 */
export interface GitShaTagOptions {
  /**
   * The commit SHA to tag with (hex, at least `length` characters).
   *
   * @default - CDK context `cdk-container-function:gitSha`, then the CI variables `GITHUB_SHA`,
   * `CODEBUILD_RESOLVED_SOURCE_VERSION`, `CI_COMMIT_SHA`, `BITBUCKET_COMMIT`, `BUILDKITE_COMMIT`,
   * `CIRCLE_SHA1`, `GIT_COMMIT`, then `git rev-parse HEAD` of the build context's repository.
   */
  readonly sha?: string;

  /**
   * How many hex characters of the SHA the tag keeps (7 to 40).
   *
   * @default 12
   */
  readonly length?: number;

  /**
   * Whether a build context with uncommitted, untracked or git-ignored files that Docker would send
   * may be built. When allowed, the tag gets `-dirty-` plus the first 8 characters of the asset hash,
   * so one tag never names two different images. Set `false` in release pipelines.
   *
   * @default true
   */
  readonly allowDirty?: boolean;
}

/** CDK context key that sets the git SHA for every `ImageTag.gitSha()` in the app. */
export const GIT_SHA_CONTEXT_KEY = 'cdk-container-function:gitSha';

/** CI variables that carry the commit being built, in the order they are consulted. */
export const CI_SHA_VARIABLES = [
  'GITHUB_SHA',
  'CODEBUILD_RESOLVED_SOURCE_VERSION',
  'CI_COMMIT_SHA',
  'BITBUCKET_COMMIT',
  'BUILDKITE_COMMIT',
  'CIRCLE_SHA1',
  'GIT_COMMIT',
];

const HEX_SHA = /^[0-9a-f]{7,64}$/;

/** What the construct needs to resolve a tag for one image. @internal */
export interface TagRequest {
  readonly scope: IConstruct;
  readonly path: string;
  readonly directory: string;
  readonly file?: string;
  readonly exclude?: string[];
  readonly ignoreMode?: IgnoreMode;
}

/**
 * How a tag was planned before the asset exists: `copy` images are copied to `version`
 * (plus the dirty suffix, which needs the asset hash); `asset` images keep CDK's content-hash tag.
 * @internal
 */
export interface TagPlan {
  readonly mode: 'copy' | 'asset';
  readonly version?: string;
  readonly dirty?: boolean;
}

/** Validates a tag against ECR's rules and refuses the mutable `latest`. @internal */
export function validateExplicitTag(path: string, tag: string, what: string): void {
  if (Token.isUnresolved(tag)) {
    throw invalidInput(path, `${what} is an unresolved token`, 'Pass a literal tag: it names the image at synth time.');
  }
  checkEcrTag(path, tag, what, "Use an immutable tag such as a version ('1.2.3') or ImageTag.gitSha().");
}

/**
 * How a built image is tagged in ECR.
 */
export abstract class ImageTag {
  /**
   * Tag with the git commit SHA (the default for built images), plus `-dirty-<asset hash>` when the
   * build context has changes the commit does not pin.
   */
  public static gitSha(options: GitShaTagOptions = {}): ImageTag {
    return new GitShaTag(options);
  }

  /** An explicit immutable tag such as `1.2.3` (ECR tag rules; `latest` is refused). */
  public static of(tag: string): ImageTag {
    return new ExplicitTag(tag);
  }

  /** Plain CDK behaviour: the content-hash tag in the CDK bootstrap repository, no copy. */
  public static assetHash(): ImageTag {
    return new AssetHashTag();
  }

  /** Plans the tag for one image, validating everything that can be known before the asset exists. @internal */
  public abstract _plan(request: TagRequest): TagPlan;
}

class ExplicitTag extends ImageTag {
  constructor(private readonly tag: string) {
    super();
  }

  public _plan(request: TagRequest): TagPlan {
    validateExplicitTag(request.path, this.tag, 'ImageTag.of()');
    return { mode: 'copy', version: this.tag, dirty: false };
  }
}

class AssetHashTag extends ImageTag {
  public _plan(): TagPlan {
    return { mode: 'asset' };
  }
}

class GitShaTag extends ImageTag {
  constructor(private readonly options: GitShaTagOptions) {
    super();
  }

  public _plan(request: TagRequest): TagPlan {
    const { path } = request;
    const length = this.options.length ?? 12;
    if (Token.isUnresolved(length) || !Number.isInteger(length) || length < 7 || length > 40) {
      throw invalidInput(path, `ImageTag.gitSha() length ${length} is out of range`, 'Use an integer from 7 to 40.');
    }
    const gitRoot = findGitRoot(request.directory);
    const reader = GitReader.of(request.scope);
    const { sha, source } = this.findSha(request, gitRoot, reader);
    if (sha.length < length) {
      throw invalidInput(path, `git SHA '${sha}' from ${source} is shorter than the tag length ${length}`, 'Pass the full commit SHA or a smaller length.');
    }

    let dirtyPaths: string[] = [];
    if (gitRoot) {
      dirtyPaths = contextStateOf(reader, gitRoot, request.directory, request.exclude, request.ignoreMode, request.file).dirtyPaths;
    }
    if (dirtyPaths.length > 0 && this.options.allowDirty === false) {
      const shown = dirtyPaths.slice(0, 5).join(', ') + (dirtyPaths.length > 5 ? `, and ${dirtyPaths.length - 5} more` : '');
      throw invalidInput(path, `the build context ${request.directory} has changes the commit does not pin (${shown}) and allowDirty is false`,
        'Commit or remove them (or exclude them from the context), or allow dirty builds.');
    }
    return { mode: 'copy', version: sha.slice(0, length), dirty: dirtyPaths.length > 0 };
  }

  private findSha(request: TagRequest, gitRoot: string | undefined, reader: GitReader): { sha: string; source: string } {
    const candidates: Array<[string, unknown]> = [
      ['ImageTag.gitSha({ sha })', this.options.sha],
      [`context '${GIT_SHA_CONTEXT_KEY}'`, request.scope.node.tryGetContext(GIT_SHA_CONTEXT_KEY)],
      ...CI_SHA_VARIABLES.map((name): [string, unknown] => [`$${name}`, process.env[name]]),
    ];
    for (const [source, value] of candidates) {
      if (value === undefined || value === '') continue;
      return { sha: checkSha(request.path, String(value), source), source };
    }
    if (!gitRoot) {
      throw invalidInput(request.path, `cannot tag with a git SHA: ${request.directory} is not in a git checkout and no SHA was given`,
        `Pass one with 'cdk synth -c ${GIT_SHA_CONTEXT_KEY}=<sha>', ImageTag.gitSha({ sha }), or a CI variable such as GITHUB_SHA; or use ImageTag.of('<version>').`);
    }
    try {
      return { sha: checkSha(request.path, reader.headSha(gitRoot), 'git rev-parse HEAD'), source: 'git' };
    } catch (e) {
      throw invalidInput(request.path, `cannot read the git SHA of ${gitRoot} (${(e as Error).message.split('\n')[0]})`,
        `Make a first commit, or pass a SHA with 'cdk synth -c ${GIT_SHA_CONTEXT_KEY}=<sha>' or ImageTag.gitSha({ sha }).`);
    }
  }
}

function checkSha(path: string, value: string, source: string): string {
  if (Token.isUnresolved(value)) {
    throw invalidInput(path, `git SHA from ${source} is an unresolved token`, 'Pass a literal SHA: it names the image at synth time.');
  }
  const sha = value.trim().toLowerCase();
  if (!HEX_SHA.test(sha)) {
    throw invalidInput(path, `git SHA '${value}' from ${source} is not hexadecimal`, 'Pass a commit SHA of 7 to 64 hex characters (git rev-parse HEAD).');
  }
  return sha;
}
