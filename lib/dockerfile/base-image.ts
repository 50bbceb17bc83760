import { AWS_BASE_IMAGES, AWS_BASE_IMAGE_REGISTRY, IMAGE_DIGEST, isDeprecatedOn, runtimeDeprecation } from '../lambda-facts';

/**
 * The language family of a Lambda base image: decides how dependencies are installed,
 * how the handler is validated and how the final stage starts the function.
 */
export enum BaseImageFamily {
  /** Python: `requirements.txt`, handler `module.function`. */
  PYTHON = 'python',
  /** Node.js: `package.json` + a lock file, handler `file.export`. */
  NODEJS = 'nodejs',
  /** Java: `pom.xml` or `build.gradle(.kts)`, handler `com.example.Handler::handleRequest`. */
  JAVA = 'java',
  /** OS-only runtime: a `bootstrap`-style binary (Go with `go.mod`, Rust with `Cargo.toml`, or your own build). */
  PROVIDED = 'provided',
}

/** The package manager used to install `systemPackages` on a base image. */
export enum SystemPackageManager {
  /** `dnf` (AWS Lambda base images on Amazon Linux 2023). */
  DNF = 'dnf',
  /** `apt-get` (Debian and Ubuntu based images). */
  APT = 'apt',
  /** The image has no package manager; `systemPackages` is rejected. */
  NONE = 'none',
}

/** Options for {@link LambdaBaseImage.custom}. */
export interface CustomBaseImageOptions {
  /** Language family of the image (decides dependency install and handler shape). */
  readonly family: BaseImageFamily;

  /**
   * True when the image already carries a Lambda runtime interface client and an entrypoint
   * that takes the handler as its one argument (like AWS's base images do). When false, the
   * generated Dockerfile installs the runtime interface client (`awslambdaric` for Python,
   * `aws-lambda-ric` for Node.js) in a build stage and sets the entrypoint to it.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#images-ric
   * @default false
   */
  readonly includesRuntimeInterfaceClient?: boolean;

  /**
   * Version of the runtime interface client installed when `includesRuntimeInterfaceClient` is false.
   * @default - `3.1.1` (awslambdaric) for Python, `3.3.0` (aws-lambda-ric) for Node.js
   */
  readonly runtimeInterfaceClientVersion?: string;

  /**
   * Image digest (`sha256:...`) to pin the image to. Required when the image reference has no tag.
   * @default - the tag in the image reference
   */
  readonly digest?: string;

  /**
   * Directory the function code is copied to.
   * @default '/var/task'
   */
  readonly taskRoot?: string;

  /**
   * Package manager used for `systemPackages`.
   * @default SystemPackageManager.APT
   */
  readonly packageManager?: SystemPackageManager;

  /**
   * Runtime name shown in messages.
   * @default - the image reference
   */
  readonly runtimeName?: string;
}

interface BaseImageSpec {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly family: BaseImageFamily;
  readonly runtimeName: string;
  readonly custom: boolean;
  readonly includesRuntimeInterfaceClient: boolean;
  readonly runtimeInterfaceClientVersion?: string;
  readonly taskRoot: string;
  readonly packageManager: SystemPackageManager;
  readonly deprecationDate?: string;
}

/**
 * A base image for `ContainerImage.fromSource`: AWS Lambda's base images with pinned tags
 * (never `latest`), or any other image with `LambdaBaseImage.custom()`.
 *
 * Deprecated runtimes stay available (Lambda still creates them for a while) and carry their
 * deprecation date, so synthesis warns.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export class LambdaBaseImage {
  /**
   * Python 3.11 (Amazon Linux 2).
   * @deprecated Lambda has deprecated python3.11 (see `deprecationDate`). Use PYTHON_3_13.
   */
  public static readonly PYTHON_3_11 = LambdaBaseImage.aws('PYTHON_3_11');
  /** Python 3.12 (Amazon Linux 2023). */
  public static readonly PYTHON_3_12 = LambdaBaseImage.aws('PYTHON_3_12');
  /** Python 3.13 (Amazon Linux 2023). */
  public static readonly PYTHON_3_13 = LambdaBaseImage.aws('PYTHON_3_13');
  /** Python 3.14 (Amazon Linux 2023). */
  public static readonly PYTHON_3_14 = LambdaBaseImage.aws('PYTHON_3_14');
  /**
   * Node.js 20 (Amazon Linux 2023).
   * @deprecated Lambda has deprecated nodejs20.x (see `deprecationDate`). Use NODEJS_24.
   */
  public static readonly NODEJS_20 = LambdaBaseImage.aws('NODEJS_20');
  /** Node.js 22 (Amazon Linux 2023). */
  public static readonly NODEJS_22 = LambdaBaseImage.aws('NODEJS_22');
  /** Node.js 24 (Amazon Linux 2023). */
  public static readonly NODEJS_24 = LambdaBaseImage.aws('NODEJS_24');
  /** Java 21 (Amazon Linux 2023). */
  public static readonly JAVA_21 = LambdaBaseImage.aws('JAVA_21');
  /** Java 25 (Amazon Linux 2023). */
  public static readonly JAVA_25 = LambdaBaseImage.aws('JAVA_25');
  /** OS-only runtime on Amazon Linux 2023, for Go, Rust or any `bootstrap` binary. */
  public static readonly PROVIDED_AL2023 = LambdaBaseImage.aws('PROVIDED_AL2023');

  /**
   * A non-AWS base image ("alternative base image + runtime interface client").
   *
   * @param image an image reference with a tag (`python:3.12-slim-bookworm`), or without one when `options.digest` is given.
   *   `latest` is rejected: a mutable tag silently changes what you deploy.
   */
  public static custom(image: string, options: CustomBaseImageOptions): LambdaBaseImage {
    const { repository, tag, digest } = parseImageReference(image);
    const pinnedDigest = options.digest ?? digest;
    if (!tag && !pinnedDigest) {
      throw new Error(`custom base image "${image}" has no tag or digest. Pin a version tag (e.g. "${repository}:1.2.3") or pass { digest: 'sha256:...' }.`);
    }
    if (tag === 'latest') {
      throw new Error(`custom base image "${image}" uses the mutable tag "latest". Pin a version tag or a digest.`);
    }
    if (pinnedDigest !== undefined && !IMAGE_DIGEST.test(pinnedDigest)) {
      throw new Error(`custom base image "${image}": digest "${pinnedDigest}" is not of the form sha256:<64 hex digits>.`);
    }
    const taskRoot = options.taskRoot ?? '/var/task';
    if (!taskRoot.startsWith('/')) {
      throw new Error(`custom base image "${image}": taskRoot "${taskRoot}" must be an absolute path.`);
    }
    return new LambdaBaseImage({
      repository,
      tag,
      digest: pinnedDigest,
      family: options.family,
      runtimeName: options.runtimeName ?? image,
      custom: true,
      includesRuntimeInterfaceClient: options.includesRuntimeInterfaceClient ?? false,
      runtimeInterfaceClientVersion: options.runtimeInterfaceClientVersion,
      taskRoot,
      packageManager: options.packageManager ?? SystemPackageManager.APT,
    });
  }

  // Every AWS base comes from the one table of Lambda facts (lib/lambda-facts.ts), which the CLI lists too.
  private static aws(constant: string) {
    const row = AWS_BASE_IMAGES.find(b => b.constant === constant);
    if (!row) throw new Error(`internal: ${constant} is not in AWS_BASE_IMAGES`);
    const deprecation = runtimeDeprecation(row.repository, row.tag);
    return new LambdaBaseImage({
      repository: `${AWS_BASE_IMAGE_REGISTRY}/${row.repository}`,
      tag: row.tag,
      family: row.family as BaseImageFamily,
      runtimeName: row.runtime,
      custom: false,
      includesRuntimeInterfaceClient: true,
      taskRoot: '/var/task',
      packageManager: SystemPackageManager.DNF,
      // Judged when the library loads: a projected date becomes a deprecation once it has passed.
      deprecationDate: deprecation && isDeprecatedOn(deprecation, new Date()) ? deprecation.deprecatedOn : undefined,
    });
  }

  /** The image reference used in `FROM`, e.g. `public.ecr.aws/lambda/python:3.12` (with `@sha256:...` when pinned). */
  public readonly image: string;
  /** Language family. */
  public readonly family: BaseImageFamily;
  /** Lambda runtime identifier (e.g. `python3.12`), or the image reference for custom images. */
  public readonly runtimeName: string;
  /** True for images made with `custom()`. */
  public readonly isCustom: boolean;
  /** True when the image carries a runtime interface client and a Lambda-style entrypoint. */
  public readonly includesRuntimeInterfaceClient: boolean;
  /** Version of the runtime interface client the generated Dockerfile installs, if it installs one. */
  public readonly runtimeInterfaceClientVersion?: string;
  /** Directory the function code is copied to. */
  public readonly taskRoot: string;
  /** Package manager for `systemPackages`. */
  public readonly packageManager: SystemPackageManager;
  /** ISO date on which Lambda deprecated this runtime, if it did (judged against today's date). */
  public readonly deprecationDate?: string;
  /** Pinned digest, if any. */
  public readonly digest?: string;

  private readonly spec: BaseImageSpec;

  private constructor(spec: BaseImageSpec) {
    this.spec = spec;
    this.image = spec.repository + (spec.tag ? `:${spec.tag}` : '') + (spec.digest ? `@${spec.digest}` : '');
    this.family = spec.family;
    this.runtimeName = spec.runtimeName;
    this.isCustom = spec.custom;
    this.includesRuntimeInterfaceClient = spec.includesRuntimeInterfaceClient;
    this.runtimeInterfaceClientVersion = spec.includesRuntimeInterfaceClient ? undefined
      : spec.runtimeInterfaceClientVersion ?? defaultRicVersion(spec.family);
    this.taskRoot = spec.taskRoot;
    this.packageManager = spec.packageManager;
    this.deprecationDate = spec.deprecationDate;
    this.digest = spec.digest;
  }

  /**
   * The same base pinned to a digest, so a re-pushed tag cannot change what you build on.
   * @param digest `sha256:` followed by 64 hex digits (from `docker buildx imagetools inspect`)
   */
  public withDigest(digest: string): LambdaBaseImage {
    if (!IMAGE_DIGEST.test(digest)) {
      throw new Error(`base image ${this.image}: digest "${digest}" is not of the form sha256:<64 hex digits>.`);
    }
    return new LambdaBaseImage({ ...this.spec, digest });
  }

  /** The image reference. */
  public toString(): string {
    return this.image;
  }
}

function defaultRicVersion(family: BaseImageFamily): string | undefined {
  switch (family) {
    case BaseImageFamily.PYTHON: return '3.1.1';
    case BaseImageFamily.NODEJS: return '3.3.0';
    default: return undefined;
  }
}

/** Splits `registry:5000/repo/name:tag@sha256:...` into its parts. */
function parseImageReference(image: string): { repository: string; tag?: string; digest?: string } {
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(image)) {
    throw new Error(`custom base image "${image}" is not a valid image reference.`);
  }
  const [nameAndTag, digest] = image.split('@', 2);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: nameAndTag, digest };
  return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1) || undefined, digest };
}
