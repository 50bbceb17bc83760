import { IConstruct } from 'constructs';
import { DockerfileOutline, outlineOf } from './dockerfile-outline';
import { SizeEstimator } from './size-estimate';
import { ParsedDockerfile } from '../dockerfile/parsed-dockerfile';
import type { ImageMeasurement, MeasuredImage } from '../measure/measurement';

/** What a subject of the checks is. */
export enum SubjectKind {
  /** A Lambda function whose package type is `Image`. */
  FUNCTION = 'function',
  /** A `DockerImageAsset` that no function in the app uses (e.g. for ECS). */
  IMAGE_ASSET = 'image-asset',
  /** An ECR repository defined in the app. */
  REPOSITORY = 'repository',
}

/** Everything the checks know about one subject; built by the Aspect, or by tests and custom tooling. */
export interface ImageSubjectProps {
  /** What the subject is. */
  readonly kind: SubjectKind;

  /** The construct findings are reported on (and suppressions are looked up from). */
  readonly construct: IConstruct;

  /**
   * Dockerfile path as shown in messages (relative to the working directory when possible).
   *
   * @default - no Dockerfile known
   */
  readonly dockerfilePath?: string;

  /**
   * Dockerfile text.
   *
   * @default - no Dockerfile known (Dockerfile rules do not apply)
   */
  readonly dockerfileText?: string;

  /**
   * Build context directory the size estimate reads.
   *
   * @default - no context known (size rules do not apply)
   */
  readonly contextDirectory?: string;

  /**
   * .dockerignore-style patterns still to apply to `contextDirectory`; empty for a staged asset
   * directory, which CDK has already filtered.
   *
   * @default []
   */
  readonly contextIgnorePatterns?: string[];

  /**
   * Docker platform the image is built for, e.g. `linux/arm64`.
   *
   * @default - not specified (Docker builds for the building machine)
   */
  readonly platform?: string;

  /**
   * Lambda architecture of the function, `x86_64` or `arm64`.
   *
   * @default - not a function
   */
  readonly architecture?: string;

  /**
   * Image URI the function is created from; may contain unresolved tokens.
   *
   * @default - not a function
   */
  readonly imageUri?: string;

  /**
   * True when the image comes from an asset of this app (content-addressed tag).
   *
   * @default false
   */
  readonly fromAsset?: boolean;

  /**
   * True when the library guarantees that the tag never names two different images.
   *
   * @default false
   */
  readonly immutableTag?: boolean;

  /**
   * Command given in CDK props (overrides the Dockerfile's CMD).
   *
   * @default - none
   */
  readonly cmd?: string[];

  /**
   * Build args given in CDK props.
   *
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };

  /**
   * Size budget in bytes.
   *
   * @default - no budget
   */
  readonly maxImageSizeBytes?: number;

  /**
   * Image size in bytes measured from a built image; preferred over the static estimate.
   *
   * @default - not measured (the size rules use the static estimate)
   */
  readonly measuredSizeBytes?: number;

  /**
   * The ECR repository in the app that the function pulls from, if any (for a function),
   * or the repository itself (for a repository subject).
   *
   * @default - none in the app
   */
  readonly repository?: IConstruct;

  /**
   * Tag mutability of `repository`: `MUTABLE`, `IMMUTABLE`, …
   *
   * @default - MUTABLE (the ECR default)
   */
  readonly tagMutability?: string;

  /**
   * True when only the library's copier may push to `repository`.
   *
   * @default false
   */
  readonly pushRestricted?: boolean;

  /**
   * True when `repository` scans images on push.
   *
   * @default false
   */
  readonly scanOnPush?: boolean;

  /**
   * True when `repository` has a lifecycle policy.
   *
   * @default false
   */
  readonly hasLifecyclePolicy?: boolean;
}

/** One thing the checks review: a container-image function, an image asset, or an ECR repository. */
export class ImageSubject {
  /** What the subject is. */
  public readonly kind: SubjectKind;
  /** The construct findings are reported on. */
  public readonly construct: IConstruct;
  /** Dockerfile path as shown in messages. */
  public readonly dockerfilePath?: string;
  /** Dockerfile text. */
  public readonly dockerfileText?: string;
  /** Build context directory. */
  public readonly contextDirectory?: string;
  /** Patterns still to apply to the context directory. */
  public readonly contextIgnorePatterns: string[];
  /** Docker platform of the image. */
  public readonly platform?: string;
  /** Lambda architecture of the function. */
  public readonly architecture?: string;
  /** Image URI of the function (may contain tokens). */
  public readonly imageUri?: string;
  /** True when the image comes from an asset of this app. */
  public readonly fromAsset: boolean;
  /** True when the tag is guaranteed immutable. */
  public readonly immutableTag: boolean;
  /** Command given in CDK props. */
  public readonly cmd?: string[];
  /** Build args given in CDK props. */
  public readonly buildArgs?: { [key: string]: string };
  /** Size budget in bytes. */
  public readonly maxImageSizeBytes?: number;
  /** Measured image size in bytes. */
  public readonly measuredSizeBytes?: number;
  /** The ECR repository in the app the subject refers to. */
  public readonly repository?: IConstruct;
  /** Tag mutability of the repository. */
  public readonly tagMutability?: string;
  /** True when only the library's copier may push to the repository. */
  public readonly pushRestricted: boolean;
  /** True when the repository scans on push. */
  public readonly scanOnPush: boolean;
  /** True when the repository has a lifecycle policy. */
  public readonly hasLifecyclePolicy: boolean;

  private parsed?: ParsedDockerfile | null;
  private sizeBytes?: number | null;
  private sizeEstimator?: (subject: ImageSubject, dockerfile: ParsedDockerfile) => number | undefined;
  private measurementRecord?: ImageMeasurement;
  private outline?: DockerfileOutline | null;

  constructor(props: ImageSubjectProps) {
    this.kind = props.kind;
    this.construct = props.construct;
    this.dockerfilePath = props.dockerfilePath;
    this.dockerfileText = props.dockerfileText;
    this.contextDirectory = props.contextDirectory;
    this.contextIgnorePatterns = props.contextIgnorePatterns ?? [];
    this.platform = props.platform;
    this.architecture = props.architecture;
    this.imageUri = props.imageUri;
    this.fromAsset = props.fromAsset ?? false;
    this.immutableTag = props.immutableTag ?? false;
    this.cmd = props.cmd;
    this.buildArgs = props.buildArgs;
    this.maxImageSizeBytes = props.maxImageSizeBytes;
    this.measuredSizeBytes = props.measuredSizeBytes;
    this.repository = props.repository;
    this.tagMutability = props.tagMutability;
    this.pushRestricted = props.pushRestricted ?? false;
    this.scanOnPush = props.scanOnPush ?? false;
    this.hasLifecyclePolicy = props.hasLifecyclePolicy ?? false;
  }

  /**
   * The Dockerfile, parsed once and shared by all rules: its stages with their `FROM` images (variables expanded with
   * the build args, then ARG defaults) and instructions, each with its line. The built-in rules read the same parse.
   *
   * @returns undefined when the subject has no Dockerfile
   */
  public parsedDockerfile(): DockerfileOutline | undefined {
    if (this.outline === undefined) {
      const parsed = this._dockerfile();
      this.outline = parsed ? outlineOf(parsed) : null;
    }
    return this.outline ?? undefined;
  }

  /**
   * The parsed Dockerfile with its dockerfile-ast syntax tree, for the built-in rules ({@link parsedDockerfile} is
   * the same parse as public data).
   * @internal
   */
  public _dockerfile(): ParsedDockerfile | undefined {
    if (this.parsed === undefined) {
      this.parsed = this.dockerfileText === undefined ? null : ParsedDockerfile.parse(this.dockerfileText, this.buildArgs);
    }
    return this.parsed ?? undefined;
  }

  /**
   * Sets how the image size is estimated (the Aspect shares one context listing cache).
   * @internal
   */
  public _useSizeEstimator(estimator: (subject: ImageSubject, dockerfile: ParsedDockerfile) => number | undefined): void {
    this.sizeEstimator = estimator;
    this.sizeBytes = undefined;
  }

  /**
   * Sets the measurement of the built image (ContainerImageChecks with measuring on); its size wins over
   * `measuredSizeBytes`, and its layers name what to cut.
   * @internal
   */
  public _useMeasurement(measurement: ImageMeasurement): void {
    this.measurementRecord = measurement;
  }

  /**
   * The measurement of the built image: its size, base and own bytes, and its layers with their Dockerfile lines.
   *
   * @returns undefined unless the image was built and measured (ContainerImageChecks with measuring on)
   */
  public measurement(): MeasuredImage | undefined {
    return this.measurementRecord;
  }

  /**
   * A lower bound of the image size in bytes, estimated without building: the files its COPY and ADD instructions
   * take from the context (the base image and RUN output not counted); computed once.
   *
   * @returns undefined when there is no Dockerfile or no context to estimate from
   */
  public estimatedSizeBytes(): number | undefined {
    if (this.sizeBytes === undefined) {
      const dockerfile = this._dockerfile();
      const estimator = this.sizeEstimator ?? estimateWithoutCache;
      this.sizeBytes = dockerfile ? estimator(this, dockerfile) ?? null : null;
    }
    return this.sizeBytes ?? undefined;
  }
}

function estimateWithoutCache(subject: ImageSubject, dockerfile: ParsedDockerfile): number | undefined {
  if (subject.contextDirectory === undefined) return undefined;
  const estimator = new SizeEstimator();
  return estimator.estimate(dockerfile, estimator.list(subject.contextDirectory, subject.contextIgnorePatterns));
}
