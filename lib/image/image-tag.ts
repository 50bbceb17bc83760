import { Annotations, IgnoreMode, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';
import { describeValue } from '../input-shape';
import { ContextState, contextStateOf } from './context-state';
import { checkEcrTag } from './ecr-tag';
import { findGitRoot, GitReader, GitUnreadableError } from './git';

/**
 * Options for {@link ImageTag.gitSha}.
 */
export interface GitShaTagOptions {
  /**
   * The commit SHA the tag starts with (hex, at least `length` characters).
   *
   * @default - the last commit that changed the image's inputs (files of the build context that
   * Docker would send); outside a git checkout, CDK context `cdk-container-function:gitSha`, then
   * the CI variables `GITHUB_SHA`, `CODEBUILD_RESOLVED_SOURCE_VERSION`, `CI_COMMIT_SHA`,
   * `BITBUCKET_COMMIT`, `BUILDKITE_COMMIT`, `CIRCLE_SHA1`, `GIT_COMMIT`
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
   * may be built. Such an image is tagged `<sha>-dirty-<asset hash>`. Set `false` in release pipelines.
   *
   * @default true
   */
  readonly allowDirty?: boolean;
}

/** CDK context key that sets the git SHA of `ImageTag.gitSha()` images whose context is not in a git checkout. */
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

/** Warning id for a shallow checkout, where the tag falls back to the newest commit it has. */
export const SHALLOW_CHECKOUT_WARNING = 'cdk-container-function:ShallowCheckout';

const HEX_SHA = /^[0-9a-f]{7,64}$/;
/** CDK asset hashes: SHA-256, 64 lowercase hex characters. */
const ASSET_HASH = /^[0-9a-f]{64}$/;
/** ECR's limit on a tag's length. */
const MAX_TAG_LENGTH = 128;
/** What the tag adds after the version: `-` and the 64-hex asset hash. */
const HASH_SUFFIX_LENGTH = 1 + 64;
const DIRTY_MARK = 'dirty';
/** The longest version `ImageTag.of()` accepts, so the final tag stays within ECR's 128 characters. */
export const MAX_VERSION_LENGTH = MAX_TAG_LENGTH - HASH_SUFFIX_LENGTH;

/** What the construct needs to plan the tag of one image. @internal */
export interface TagRequest {
  readonly scope: IConstruct;
  readonly path: string;
  readonly directory: string;
  readonly file?: string;
  readonly exclude?: string[];
  readonly ignoreMode?: IgnoreMode;
}

/**
 * How a built image is tagged, decided before the asset exists.
 * `asset`: CDK's own content-hash tag in the bootstrap repository, no copy.
 * `copy`: copied to `<version>[-dirty]-<asset hash>`, see {@link finalImageTag}.
 * @internal
 */
export type TagPlan =
  | { readonly mode: 'asset' }
  | { readonly mode: 'copy'; readonly version: string; readonly dirty: boolean };

/** A plan that copies the image under its own tag. @internal */
export type CopyTagPlan = Extract<TagPlan, { mode: 'copy' }>;

/**
 * The one place a copied image's tag is assembled: `<version>-<asset hash>`, or
 * `<version>-dirty-<asset hash>` when the commit does not pin the context.
 *
 * The full asset hash makes the tag a function of the build inputs: two different inputs never get
 * one tag, in any repository, stack, app or machine, and the same inputs always get the same tag.
 * The version (a git SHA or the user's version) makes it readable.
 * @internal
 */
export function finalImageTag(path: string, plan: CopyTagPlan, assetHash: string): string {
  if (!ASSET_HASH.test(assetHash)) {
    throw invalidInput(path, `the image's asset hash '${assetHash}' is not a 64-hex SHA-256`, 'Do not set assetHash/assetHashType on the image: the tag is derived from the content hash.');
  }
  const tag = [plan.version, ...(plan.dirty ? [DIRTY_MARK] : []), assetHash].join('-');
  checkEcrTag(path, tag, 'image tag', 'Use another version.');
  return tag;
}

/** Validates a tag against ECR's rules and refuses the mutable `latest`. @internal */
export function validateExplicitTag(path: string, tag: string, what: string): void {
  if (Token.isUnresolved(tag)) {
    throw invalidInput(path, `${what} is an unresolved token`, 'Pass a literal tag: it names the image at synth time.');
  }
  checkEcrTag(path, tag, what, "Use an immutable tag such as a version ('1.2.3') or ImageTag.gitSha().");
}

/**
 * How a built image is tagged in ECR. Every copied image's tag ends with its full asset hash (a
 * SHA-256 of its build inputs), so a tag never names two different images.
 */
export abstract class ImageTag {
  /**
   * Tag with the last commit that changed the image's inputs (the default for built images):
   * `<sha>-<asset hash>`, or `<sha>-dirty-<asset hash>` when the build context has changes the commit
   * does not pin. A commit that leaves the inputs alone leaves the tag (and the function) alone.
   */
  public static gitSha(options?: GitShaTagOptions): ImageTag {
    // null from JavaScript means "no options", as undefined does.
    return new GitShaTag(options ?? {});
  }

  /**
   * A version of your own, e.g. `1.2.3`: the tag is `<version>-<asset hash>` (ECR tag characters;
   * `latest` is refused; at most 63 characters, so the whole tag stays within ECR's 128).
   */
  public static of(version: string): ImageTag {
    return new ExplicitTag(version);
  }

  /** Plain CDK behaviour: the content-hash tag in the CDK bootstrap repository, no copy. */
  public static assetHash(): ImageTag {
    return new AssetHashTag();
  }

  /** Plans the tag for one image, validating everything that can be known before the asset exists. @internal */
  public abstract _plan(request: TagRequest): TagPlan;
}

class ExplicitTag extends ImageTag {
  constructor(private readonly version: string) {
    super();
  }

  public _plan(request: TagRequest): TagPlan {
    if (typeof this.version !== 'string') {
      throw invalidInput(request.path, `ImageTag.of() needs the version as a string, got ${describeValue(this.version)}`,
        `Pass ImageTag.of('${typeof this.version === 'number' ? this.version : '1.2.3'}').`);
    }
    validateExplicitTag(request.path, this.version, 'ImageTag.of()');
    if (this.version.length > MAX_VERSION_LENGTH) {
      throw invalidInput(request.path, `ImageTag.of() version is ${this.version.length} characters, but the tag adds '-<64-hex asset hash>' and ECR allows 128`,
        `Use a version of at most ${MAX_VERSION_LENGTH} characters.`);
    }
    return { mode: 'copy', version: this.version, dirty: false };
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
    if (typeof length !== 'number') {
      const numeric = typeof length === 'string' && /^\d+$/.test(length);
      throw invalidInput(path, `ImageTag.gitSha() length must be a number, got ${describeValue(length)}`, numeric ? `Pass { length: ${length} }.` : 'Pass an integer from 7 to 40.');
    }
    if (Token.isUnresolved(length) || !Number.isInteger(length) || length < 7 || length > 40) {
      throw invalidInput(path, `ImageTag.gitSha() length ${length} is out of range`, 'Use an integer from 7 to 40.');
    }
    const gitRoot = findGitRoot(request.directory);
    const reader = GitReader.of(request.scope);
    let context: ContextState | undefined;
    let unreadable: GitUnreadableError | undefined;
    if (gitRoot) {
      try {
        context = contextStateOf(reader, gitRoot, request.directory, request.exclude, request.ignoreMode, request.file);
      } catch (error) {
        unreadable = unreadableOrThrow(error);
      }
    }
    const dirtyPaths = context?.dirtyPaths ?? [];
    if (unreadable && this.options.allowDirty === false) {
      throw invalidInput(path, `${unreadable.reason}, so whether the build context ${request.directory} holds changes the commit does not pin cannot be checked, and allowDirty is false`,
        `${unreadable.fix}.`);
    }
    if (dirtyPaths.length > 0 && this.options.allowDirty === false) {
      const shown = dirtyPaths.slice(0, 5).join(', ') + (dirtyPaths.length > 5 ? `, and ${dirtyPaths.length - 5} more` : '');
      throw invalidInput(path, `the build context ${request.directory} has changes the commit does not pin (${shown}) and allowDirty is false`,
        'Commit or remove them (or exclude them from the context), or allow dirty builds.');
    }
    const { sha, source } = this.findSha(request, context, reader, unreadable);
    if (sha.length < length) {
      throw invalidInput(path, `git SHA '${sha}' from ${source} is shorter than the tag length ${length}`, 'Pass the full commit SHA or a smaller length.');
    }
    return { mode: 'copy', version: sha.slice(0, length), dirty: dirtyPaths.length > 0 };
  }

  /**
   * Inside a readable checkout, git decides. Otherwise (no checkout, no commit yet, or git cannot read the
   * repository) the documented fallbacks apply in order: gitSha({ sha }), the CDK context value, the CI variables.
   */
  private findSha(request: TagRequest, context: ContextState | undefined, reader: GitReader,
    unreadable: GitUnreadableError | undefined): { sha: string; source: string } {
    const given = this.options.sha !== undefined && this.options.sha !== '';
    let noCommitIn: string | undefined;
    if (context && !given) {
      try {
        const commit = context.lastInputCommit();
        if (commit) {
          warnIfShallow(request.scope, reader, context.gitRoot);
          return { sha: checkSha(request.path, commit, 'git log'), source: 'git log' };
        }
        // No commit touched the context yet (it is new): the newest commit names it, with the dirty mark.
        const head = reader.headSha(context.gitRoot);
        if (head) return { sha: checkSha(request.path, head, 'git rev-parse HEAD'), source: 'git' };
        noCommitIn = context.gitRoot;
      } catch (error) {
        unreadable = unreadableOrThrow(error);
      }
    }
    const fallbacks: Array<[string, unknown]> = [
      ['ImageTag.gitSha({ sha })', this.options.sha],
      [`context '${GIT_SHA_CONTEXT_KEY}'`, request.scope.node.tryGetContext(GIT_SHA_CONTEXT_KEY)],
      ...CI_SHA_VARIABLES.map((name): [string, unknown] => [`$${name}`, process.env[name]]),
    ];
    for (const [source, value] of fallbacks) {
      if (value === undefined || value === '') continue;
      const sha = checkSha(request.path, String(value), source);
      if (unreadable) warnUnreadable(request.scope, unreadable, source);
      return { sha, source };
    }
    if (unreadable) {
      throw invalidInput(request.path, unreadable.reason,
        `${unreadable.fix}; or pass the commit with 'cdk synth -c ${GIT_SHA_CONTEXT_KEY}=<sha>', a CI variable such as GITHUB_SHA, or ImageTag.gitSha({ sha }).`);
    }
    if (noCommitIn) {
      throw invalidInput(request.path, `cannot read the git SHA of ${noCommitIn} (the repository has no commit yet)`,
        `Make a first commit, or pass a SHA with 'cdk synth -c ${GIT_SHA_CONTEXT_KEY}=<sha>' or ImageTag.gitSha({ sha }).`);
    }
    throw invalidInput(request.path, `cannot tag with a git SHA: ${request.directory} is not in a git checkout and no SHA was given`,
      `Pass one with 'cdk synth -c ${GIT_SHA_CONTEXT_KEY}=<sha>', ImageTag.gitSha({ sha }), or a CI variable such as GITHUB_SHA; or use ImageTag.of('<version>').`);
  }
}

/** Warning id for a repository git cannot read, where the tag falls back to a SHA passed another way. */
export const GIT_UNREADABLE_WARNING = 'cdk-container-function:GitUnreadable';

function unreadableOrThrow(error: unknown): GitUnreadableError {
  if (error instanceof GitUnreadableError) return error;
  throw error;
}

const WARNED_UNREADABLE = new WeakMap<IConstruct, Set<string>>();

/** Once per stack and repository: the tag uses a SHA passed in, and nothing checked the context against it. */
function warnUnreadable(scope: IConstruct, unreadable: GitUnreadableError, source: string): void {
  const stack = Stack.of(scope);
  const warned = WARNED_UNREADABLE.get(stack) ?? new Set<string>();
  WARNED_UNREADABLE.set(stack, warned);
  if (warned.has(unreadable.root)) return;
  warned.add(unreadable.root);
  Annotations.of(stack).addWarningV2(GIT_UNREADABLE_WARNING,
    `${unreadable.reason}: image tags use the SHA from ${source}, and no one checked that the build contexts match that commit. ${unreadable.fix}.`);
}

const WARNED_SHALLOW = new WeakSet<IConstruct>();

/** In a shallow clone every context's last commit looks like the cut-off commit: every image would get a new tag each commit. */
function warnIfShallow(scope: IConstruct, reader: GitReader, gitRoot: string): void {
  const stack = Stack.of(scope);
  if (WARNED_SHALLOW.has(stack) || !reader.isShallow(gitRoot)) return;
  WARNED_SHALLOW.add(stack);
  Annotations.of(stack).addWarningV2(SHALLOW_CHECKOUT_WARNING,
    `${gitRoot} is a shallow git checkout, so the last commit that changed each image's inputs is unknown and image tags use the newest commit there: ` +
    'every deploy would update every function. Fetch the full history (e.g. actions/checkout with fetch-depth: 0, or git fetch --unshallow).');
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
