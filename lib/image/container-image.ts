import * as fs from 'fs';
import * as path from 'path';
import { IgnoreMode, Token, aws_ecr as ecr, aws_ecr_assets as ecr_assets } from 'aws-cdk-lib';
import { SourceImageOptions } from '../dockerfile/options';
import { StagedSourceImage, stageSourceImage } from '../dockerfile/stage-source';
import { invalidInput, requireResolved } from '../errors';
import { describeValue, execFormProblem, firstProblem, hasMembers, stringListProblem, stringMapProblem, stringProblem } from '../input-shape';
import { checkEcrTag } from './ecr-tag';
import { IMAGE_DIGEST } from '../lambda-facts';

/**
 * Options for {@link ContainerImage.fromDockerfile}: what `DockerImageAssetOptions` and
 * `AssetImageCodeProps` offer, except `platform`, which always follows the function's architecture.
 */
export interface DockerfileImageOptions {
  /**
   * Path to the Dockerfile, relative to the directory.
   * @default 'Dockerfile'
   */
  readonly file?: string;
  /**
   * Build args passed to `docker build --build-arg`. Never put credentials here: they end up in the
   * image history; use `buildSecrets`.
   * @default - no build args
   */
  readonly buildArgs?: { [key: string]: string };
  /**
   * BuildKit secrets (`docker build --secret id=...`), e.g. `DockerBuildSecret.fromSrc('.npmrc')`,
   * read by `RUN --mount=type=secret,id=...` and never stored in a layer.
   * @default - no secrets
   */
  readonly buildSecrets?: { [key: string]: string };
  /**
   * SSH agent socket or keys to pass to `docker build --ssh`.
   * @default - no ssh
   */
  readonly buildSsh?: string;
  /**
   * Docker target stage to build.
   * @default - the last stage
   */
  readonly target?: string;
  /**
   * Glob patterns to exclude from the build context, on top of `.dockerignore`.
   * @default - only `.dockerignore`
   */
  readonly exclude?: string[];
  /**
   * How `exclude` patterns are interpreted.
   * @default IgnoreMode.DOCKER
   */
  readonly ignoreMode?: IgnoreMode;
  /**
   * Cache sources for `docker build --cache-from`.
   * @default - no cache sources
   */
  readonly cacheFrom?: ecr_assets.DockerCacheOption[];
  /**
   * Cache destination for `docker build --cache-to`.
   * @default - no cache export
   */
  readonly cacheTo?: ecr_assets.DockerCacheOption;
  /**
   * Disable the build cache (`docker build --no-cache`).
   * @default false
   */
  readonly cacheDisabled?: boolean;
  /**
   * Network mode for `RUN` steps during the build.
   * @default - Docker's default
   */
  readonly networkMode?: ecr_assets.NetworkMode;
  /**
   * Extra data mixed into the asset hash.
   * @default - the hash covers the context and build options only
   */
  readonly extraHash?: string;
  /**
   * Override the image's CMD (exec form), e.g. `['app.handler']`.
   * @default - the Dockerfile's CMD
   */
  readonly cmd?: string[];
  /**
   * Override the image's ENTRYPOINT (exec form).
   * @default - the Dockerfile's ENTRYPOINT
   */
  readonly entrypoint?: string[];
  /**
   * Override the image's WORKDIR.
   * @default - the Dockerfile's WORKDIR
   */
  readonly workingDirectory?: string;
}

/**
 * Options for {@link ContainerImage.fromEcr}.
 */
export interface EcrImageOptions {
  /**
   * The image's tag, or its digest (`sha256:` + 64 hex). Required: there is no silent `latest`.
   */
  readonly tagOrDigest: string;
  /**
   * Override the image's CMD (exec form).
   * @default - the image's CMD
   */
  readonly cmd?: string[];
  /**
   * Override the image's ENTRYPOINT (exec form).
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];
  /**
   * Override the image's WORKDIR.
   * @default - the image's WORKDIR
   */
  readonly workingDirectory?: string;
}

/**
 * What an image resolves to for a function: a build (directory + Dockerfile) or an existing ECR image.
 * Internal: the function consumes it; users pick a factory.
 */
export interface ContainerImageConfig {
  /** Absolute path of the build context, for built images. @default - not built */
  readonly directory?: string;
  /** The user's directory the build context comes from (git state is read there). @default - `directory` */
  readonly sourceDirectory?: string;
  /** Patterns that keep files out of the context, for the git dirty check. @default - `buildOptions.exclude` */
  readonly contextExclude?: string[];
  /** Synth-time warnings about the image (e.g. a deprecated base). @default - none */
  readonly warnings?: Array<{ id: string; message: string }>;
  /** The Dockerfile, relative to `directory`. @default - not built */
  readonly file?: string;
  /** Build options passed to the `DockerImageAsset` (platform is set by the function). @default - not built */
  readonly buildOptions?: DockerfileImageOptions;
  /** Dockerfile text when the library generated it. @default - the user's Dockerfile */
  readonly generatedDockerfile?: string;
  /** Repository of a prebuilt image. @default - built */
  readonly repository?: ecr.IRepository;
  /** Tag or digest of a prebuilt image. @default - built */
  readonly tagOrDigest?: string;
  /** CMD override. @default - the image's */
  readonly cmd?: string[];
  /** ENTRYPOINT override. @default - the image's */
  readonly entrypoint?: string[];
  /** WORKDIR override. @default - the image's */
  readonly workingDirectory?: string;
}

/**
 * The image a {@link ContainerFunction} runs: built from a Dockerfile, or an existing ECR image.
 */
export abstract class ContainerImage {
  /**
   * Build from a directory holding a Dockerfile.
   * @param directory the build context
   */
  public static fromDockerfile(directory: string, options?: DockerfileImageOptions): ContainerImage {
    // null from JavaScript means "no options", as undefined does.
    return new DockerfileImage(directory, options ?? {});
  }

  /**
   * Use an image that is already in ECR. The tag or digest is required.
   */
  public static fromEcr(repository: ecr.IRepository, options: EcrImageOptions): ContainerImage {
    return new EcrImage(repository, options);
  }

  /**
   * Build from source with a Dockerfile the library generates: multi-stage, dependencies before
   * code, no caches or build tools in the final image, secrets only as BuildKit secrets.
   * @param directory the function's source
   */
  public static fromSource(directory: string, options: SourceImageOptions): ContainerImage {
    return new SourceImage(directory, options);
  }

  /**
   * The Dockerfile the library generates for this image (`fromSource`), so it can be reviewed
   * without deploying; undefined for images that bring their own.
   */
  public get generatedDockerfile(): string | undefined {
    return undefined;
  }

  /**
   * Validates the image and returns what the function needs. Throws with `constructPath` and a fix.
   * @internal
   */
  public abstract _bind(constructPath: string): ContainerImageConfig;
}

class SourceImage extends ContainerImage {
  private staged?: StagedSourceImage;

  constructor(private readonly directory: string, private readonly options: SourceImageOptions) {
    super();
  }

  public override get generatedDockerfile(): string | undefined {
    return this.stage('ContainerImage.fromSource').dockerfile;
  }

  public _bind(constructPath: string): ContainerImageConfig {
    const staged = this.stage(constructPath);
    const ignored = staged.dockerignore.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
    return {
      directory: staged.directory,
      file: staged.file,
      sourceDirectory: path.resolve(this.directory),
      contextExclude: [...ignored, ...(this.options.exclude ?? [])],
      buildOptions: { buildSecrets: staged.buildSecrets },
      generatedDockerfile: staged.dockerfile,
      warnings: staged.warnings,
    };
  }

  // Staging is deterministic (content-addressed temp directory), so one staging serves every bind.
  private stage(constructPath: string): StagedSourceImage {
    if (!this.staged) this.staged = stageSourceImage(constructPath, this.directory, this.options);
    return this.staged;
  }
}

class DockerfileImage extends ContainerImage {
  constructor(private readonly directory: string, private readonly options: DockerfileImageOptions) {
    super();
  }

  public _bind(constructPath: string): ContainerImageConfig {
    if (typeof this.directory !== 'string') {
      throw invalidInput(constructPath, `ContainerImage.fromDockerfile() needs the directory that holds the Dockerfile, got ${describeValue(this.directory)}`,
        "Pass its path, e.g. ContainerImage.fromDockerfile(path.join(__dirname, 'fn')).");
    }
    const shape = firstProblem(
      stringProblem('file', this.options.file, "Pass the Dockerfile's name relative to the directory, e.g. { file: 'Dockerfile.lambda' }."),
      stringListProblem('exclude', this.options.exclude, 'patterns'),
      stringMapProblem('buildArgs', this.options.buildArgs),
      execFormProblem('cmd', this.options.cmd),
      execFormProblem('entrypoint', this.options.entrypoint),
      stringProblem('workingDirectory', this.options.workingDirectory, "Pass a path, e.g. { workingDirectory: '/var/task' }."),
    );
    if (shape) throw invalidInput(constructPath, ...shape);
    requireResolved(constructPath, this.directory, 'the Dockerfile directory');
    const directory = path.resolve(this.directory);
    if (!fs.existsSync(directory)) {
      throw invalidInput(constructPath, `no directory at ${this.directory}`, 'Pass the path of the build context that holds the Dockerfile.');
    }
    if (!fs.statSync(directory).isDirectory()) {
      throw invalidInput(constructPath, `${this.directory} is a file, not a directory`, 'Pass the directory that holds the Dockerfile and pass the file name as { file }.');
    }
    const file = this.options.file ?? 'Dockerfile';
    requireResolved(constructPath, file, 'file');
    const dockerfile = path.resolve(directory, file);
    const relative = path.relative(directory, dockerfile);
    // Outside means a leading '..' path segment, not a name that starts with two dots ('..Dockerfile' is inside).
    if (relative.split(path.sep)[0] === '..' || path.isAbsolute(relative)) {
      throw invalidInput(constructPath, `file '${file}' is outside the build context ${this.directory}`,
        'Docker only sees the context: move the Dockerfile into the directory, or use a parent directory as the context.');
    }
    if (!fs.existsSync(dockerfile)) {
      throw invalidInput(constructPath, `no Dockerfile at ${path.join(this.directory, file)}`,
        'Pass { file } if it has another name, or use ContainerImage.fromSource() to have one generated.');
    }
    if (!fs.statSync(dockerfile).isFile()) {
      throw invalidInput(constructPath, `${path.join(this.directory, file)} is a directory, not a Dockerfile`,
        `Pass the file inside it, e.g. { file: '${path.join(file, 'Dockerfile')}' }.`);
    }
    if (!hasInstructions(fs.readFileSync(dockerfile, 'utf8'))) {
      throw invalidInput(constructPath, `the Dockerfile ${path.join(this.directory, file)} is empty (no instructions)`,
        'Write at least a FROM line, or use ContainerImage.fromSource() to have a Dockerfile generated.');
    }
    for (const [name, list] of [['cmd', this.options.cmd], ['entrypoint', this.options.entrypoint]] as const) {
      if (list && list.length === 0) {
        throw invalidInput(constructPath, `${name} is empty`, `Omit ${name} to keep the image's, or give the exec form, e.g. ['app.handler'].`);
      }
    }
    return {
      directory,
      file: path.relative(directory, dockerfile),
      buildOptions: this.options,
      cmd: this.options.cmd,
      entrypoint: this.options.entrypoint,
      workingDirectory: this.options.workingDirectory,
    };
  }
}

/** True when a Dockerfile holds at least one instruction (not only blank lines, comments and parser directives). */
function hasInstructions(text: string): boolean {
  return text.split(/\r?\n/).some(line => line.trim() !== '' && !line.trim().startsWith('#'));
}

class EcrImage extends ContainerImage {
  constructor(private readonly repository: ecr.IRepository, private readonly options: EcrImageOptions) {
    super();
  }

  public _bind(constructPath: string): ContainerImageConfig {
    // An imported or owned repository: a construct with a repository name (checked by shape, so another copy of aws-cdk-lib fits).
    if (!hasMembers(this.repository, 'node', 'repositoryName')) {
      const example = typeof this.repository === 'string' && this.repository ? this.repository : 'my-images';
      throw invalidInput(constructPath, `ContainerImage.fromEcr() needs a repository, got ${describeValue(this.repository)}`,
        `Pass an ECR repository, e.g. ecr.Repository.fromRepositoryName(this, 'Images', '${example}').`);
    }
    if (this.options !== undefined && (typeof this.options !== 'object' || this.options === null)) {
      const example = typeof this.options === 'string' ? this.options : '1.2.3';
      throw invalidInput(constructPath, `ContainerImage.fromEcr() takes options, got ${describeValue(this.options)}`, `Pass { tagOrDigest: '${example}' }.`);
    }
    const value = this.options?.tagOrDigest;
    if (value !== undefined && typeof value !== 'string') {
      throw invalidInput(constructPath, `ContainerImage.fromEcr() tagOrDigest must be a string, got ${describeValue(value)}`,
        `Pass the tag as text, e.g. { tagOrDigest: '${typeof value === 'number' ? value : '1.2.3'}' }.`);
    }
    const shape = firstProblem(
      execFormProblem('cmd', this.options?.cmd),
      execFormProblem('entrypoint', this.options?.entrypoint),
      stringProblem('workingDirectory', this.options?.workingDirectory, "Pass a path, e.g. { workingDirectory: '/var/task' }."),
    );
    if (shape) throw invalidInput(constructPath, ...shape);
    if (value === undefined || value === '') {
      throw invalidInput(constructPath, 'ContainerImage.fromEcr() needs tagOrDigest',
        "Pass the image's immutable tag or digest ({ tagOrDigest: '1.2.3' } or 'sha256:...'): there is no default, because 'latest' silently stops updating functions.");
    }
    if (Token.isUnresolved(value)) {
      throw invalidInput(constructPath, 'fromEcr tagOrDigest is an unresolved token', 'Pass a literal tag or digest.');
    }
    if (value.startsWith('sha256:')) {
      if (!IMAGE_DIGEST.test(value)) {
        throw invalidInput(constructPath, `digest '${value}' is not valid`, "A digest is 'sha256:' followed by 64 lowercase hex characters (see docker inspect or the ECR console).");
      }
    } else if (value.includes(':') || value.includes('@')) {
      throw invalidInput(constructPath, `tagOrDigest '${value}' is neither a tag nor a sha256 digest`, "Pass only the tag ('1.2.3') or 'sha256:<64 hex>', not a full image reference.");
    } else {
      checkEcrTag(constructPath, value, 'tag', 'Reference an immutable tag or the digest, so every deployment runs a known image.');
    }
    return {
      repository: this.repository,
      tagOrDigest: value,
      cmd: this.options.cmd,
      entrypoint: this.options.entrypoint,
      workingDirectory: this.options.workingDirectory,
    };
  }
}
