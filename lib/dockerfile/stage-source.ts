import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { replacementAdvice } from '../lambda-facts';
import { CopyContextOptions, copyContext } from './copy-context';
import { excludedBy } from './dockerignore';
import { generate, secretLookingVariables } from './generator';
import { validateHandler } from './handler';
import { detectProject } from './manifests';
import { SourceImageOptions } from './options';
import { ShapeProblem, describeValue, hasMembers, stringListProblem, stringMapProblem, stringProblem, throwFirst } from '../input-shape';
import { makeStagingDirectory, removeStagingDirectory } from './staging-directory';

/** A source directory made ready for `docker build`: filtered copy + generated Dockerfile. Internal. */
export interface StagedSourceImage {
  /**
   * A fresh private directory (see staging-directory.ts) holding the build context, never the user's directory. Copied on
   * first read: callers that only want the Dockerfile text (`generatedDockerfile`) copy nothing.
   */
  readonly directory: string;
  /** Dockerfile name inside `directory`. */
  readonly file: string;
  /** The generated Dockerfile text. */
  readonly dockerfile: string;
  /** The generated .dockerignore text. */
  readonly dockerignore: string;
  /** Build secrets as `DockerImageAsset` takes them: id → `src=<absolute path>` (`DockerBuildSecret.fromSrc`). */
  readonly buildSecrets?: { [id: string]: string };
  /** Synth-time warnings (id for `Annotations.addWarningV2`). */
  readonly warnings: { id: string; message: string }[];
}

const WARN = 'cdk-container-function:';

/**
 * Validates the options against the directory, generates the Dockerfile and stages a filtered copy
 * of the source with it. Errors start with the construct path and say the fix.
 */
export function stageSourceImage(constructPath: string, directory: string, options: SourceImageOptions): StagedSourceImage {
  return withPath(constructPath, () => stage(constructPath, directory, options));
}

function withPath<T>(constructPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${constructPath}: ${(e as Error).message}`);
  }
}

function stage(constructPath: string, directory: string, options: SourceImageOptions): StagedSourceImage {
  if (typeof directory !== 'string') {
    throw new Error(`ContainerImage.fromSource() needs the directory that holds the function's source, got ${describeValue(directory)}. `
      + "Pass its path, e.g. ContainerImage.fromSource(path.join(__dirname, 'src'), { base, handler }).");
  }
  if (Token.isUnresolved(directory)) {
    throw new Error('the source directory is an unresolved token. Pass a literal path known at synth time.');
  }
  if (!options || !options.base) throw new Error(`fromSource(${directory}) needs options.base, e.g. LambdaBaseImage.PYTHON_3_13.`);
  if (!hasMembers(options.base, 'family', 'runtimeName', 'image')) {
    throw new Error(`options.base is not a LambdaBaseImage (got ${describeValue(options.base)}). Use one of its constants, e.g. LambdaBaseImage.PYTHON_3_13, or LambdaBaseImage.custom(...).`);
  }
  if (typeof options.handler !== 'string' || options.handler === '' || Token.isUnresolved(options.handler)) {
    throw new Error(`fromSource(${directory}) needs a literal handler, e.g. "${handlerExample(options.base.family)}".`);
  }
  const abs = path.resolve(directory);
  if (!fs.existsSync(abs)) throw new Error(`source directory ${directory} does not exist. Create it or fix the path.`);
  if (!fs.statSync(abs).isDirectory()) throw new Error(`source path ${directory} is a file. Pass the directory that holds the function's code.`);

  throwFirst(
    stringListProblem('exclude', options.exclude, 'patterns'),
    stringListProblem('systemPackages', options.systemPackages),
    stringListProblem('runtimeSystemPackages', options.runtimeSystemPackages),
    stringMapProblem('environment', options.environment),
    buildSecretsProblem(options.buildSecrets),
    stringProblem('buildCommand', options.buildCommand, "Pass the command as one string, e.g. { buildCommand: 'npm run build' }."),
    stringProblem('buildOutput', options.buildOutput, "Pass a directory relative to the source, e.g. { buildOutput: 'dist' }."),
    stringProblem('buildImage', options.buildImage, 'Pass an image reference, e.g. { buildImage: \'golang:1.23\' }.'),
  );
  const exclude = options.exclude ?? [];
  for (const pattern of exclude) {
    // Each entry becomes one line of the generated .dockerignore: a line break would smuggle in a line of its own.
    if (typeof pattern !== 'string' || /[\r\n]/.test(pattern)) {
      throw new Error(`exclude entry ${JSON.stringify(pattern)} is not one .dockerignore pattern (${typeof pattern !== 'string' ? 'not a string' : 'it holds a line break'}). `
        + 'Pass each pattern as its own entry.');
    }
  }
  const isExcluded = excludedBy(exclude);
  const base = options.base;
  const project = detectProject(abs, base.family, isExcluded);
  validateHandler({
    directory: abs,
    displayDirectory: directory,
    family: base.family,
    runtimeName: base.runtimeName,
    handler: options.handler,
    project,
    hasBuildCommand: options.buildCommand !== undefined,
    isExcluded,
  });

  const warnings: { id: string; message: string }[] = [];
  const secrets = options.buildSecrets ?? [];
  const buildSecrets: { [id: string]: string } = {};
  const realAbs = fs.realpathSync(abs);
  for (const s of secrets) {
    const src = path.resolve(s.src);
    // Compared by real path: a secret reached through a link (or a link to it) is still the same file.
    const rel = path.relative(realAbs, realPathOf(src));
    if (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel) && !isExcluded(rel.split(path.sep).join('/'))) {
      throw new Error(`build secret "${s.id}" (${s.src}) is inside the source directory and would be sent with the build context. `
        + 'Move it out of the directory or add it to the exclude option.');
    }
    if (!fs.existsSync(src)) {
      warnings.push({ id: `${WARN}BuildSecretMissing`, message: `build secret "${s.id}" file ${src} does not exist; the image build fails unless it exists when cdk deploy builds it.` });
    }
    buildSecrets[s.id] = `src=${src}`; // DockerBuildSecret.fromSrc(src)
  }

  const files = generate({
    base,
    handler: options.handler,
    project,
    buildCommand: options.buildCommand,
    buildOutput: options.buildOutput?.replace(/\/+$/, ''),
    systemPackages: options.systemPackages ?? [],
    runtimeSystemPackages: options.runtimeSystemPackages ?? [],
    secrets,
    environment: options.environment ?? {},
    exclude,
    buildImage: options.buildImage,
  });

  if (base.deprecationDate) {
    warnings.push({
      id: `${WARN}DeprecatedBaseImage`,
      message: `${base.runtimeName} was deprecated by AWS Lambda on ${base.deprecationDate}: `
      + `it gets no security patches and function updates will be blocked. Move to ${replacementAdvice(base.family)}.`,
    });
  }
  if (fs.existsSync(path.join(abs, 'Dockerfile'))) {
    warnings.push({ id: `${WARN}DockerfileIgnored`, message: `${directory}/Dockerfile is ignored: fromSource generates its own. Use fromDockerfile() to build yours.` });
  }
  for (const k of secretLookingVariables(options.environment ?? {})) {
    warnings.push({
      id: `${WARN}SecretInEnvironment`,
      message: `environment variable ${k} looks like a secret and is readable in the image config. `
      + 'Use buildSecrets for build-time secrets and Secrets Manager/SSM for run-time ones.',
    });
  }

  // Links are checked now, so a context that cannot be staged fails here, with this construct's path; the copy itself
  // waits until someone needs the directory.
  const copyOptions = { source: abs, displaySource: directory, isExcluded, canPrune: !exclude.some(p => p.trim().startsWith('!')), replaced: REPLACED };
  copyContext(copyOptions);
  let staged: string | undefined;
  return {
    get directory(): string {
      if (staged === undefined) {
        staged = withPath(constructPath, () => copyToStaging(copyOptions, files.dockerfile, files.dockerignore));
      }
      return staged;
    },
    file: 'Dockerfile',
    dockerfile: files.dockerfile,
    dockerignore: files.dockerignore,
    buildSecrets: secrets.length > 0 ? buildSecrets : undefined,
    warnings,
  };
}

function handlerExample(family: string): string {
  return { python: 'app.lambda_handler', nodejs: 'index.handler', java: 'com.example.Handler::handleRequest' }[family] ?? 'bootstrap';
}

/** The real path of a file, or its resolved path when it does not exist (yet). */
function realPathOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The generated files replace any of the same name in the source. */
const REPLACED = ['Dockerfile', '.dockerignore'];

/** Copies the files Docker would send (the .dockerignore applied) into a fresh private directory, with the generated files. */
function copyToStaging(options: Omit<CopyContextOptions, 'destination'>, dockerfile: string, dockerignore: string): string {
  const dir = makeStagingDirectory();
  try {
    copyContext({ ...options, destination: dir });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    fs.writeFileSync(path.join(dir, '.dockerignore'), dockerignore);
  } catch (e) {
    removeStagingDirectory(dir);
    throw e;
  }
  return dir;
}

/** A list of SourceBuildSecret (each has an id and a file), or absent. */
function buildSecretsProblem(value: unknown): ShapeProblem | undefined {
  if (value === undefined || (Array.isArray(value) && value.every(s => hasMembers(s, 'id', 'src')))) return undefined;
  const file = hasMembers(value, 'npmrc') && typeof (value as { npmrc: unknown }).npmrc === 'string' ? (value as { npmrc: string }).npmrc : '/home/me/.npmrc';
  return [`buildSecrets must be a list of SourceBuildSecret, got ${describeValue(value)}`, `Pass e.g. [SourceBuildSecret.npmrc('${file}')].`];
}
