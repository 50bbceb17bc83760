import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { excludedBy } from './dockerignore';
import { generate, secretLookingVariables } from './generator';
import { validateHandler } from './handler';
import { detectProject } from './manifests';
import { SourceImageOptions } from './options';

/** A source directory made ready for `docker build`: filtered copy + generated Dockerfile. Internal. */
export interface StagedSourceImage {
  /** A fresh directory under os.tmpdir() (named from the content hash) holding the build context. Never the user's directory. */
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

/** Bumped when the staging layout changes, so old staged directories are not reused. */
const STAGING_VERSION = '1';
const WARN = 'cdk-container-function:';

/**
 * Validates the options against the directory, generates the Dockerfile and stages a filtered copy
 * of the source with it. Errors start with the construct path and say the fix.
 */
export function stageSourceImage(constructPath: string, directory: string, options: SourceImageOptions): StagedSourceImage {
  try {
    return stage(directory, options);
  } catch (e) {
    throw new Error(`${constructPath}: ${(e as Error).message}`);
  }
}

function stage(directory: string, options: SourceImageOptions): StagedSourceImage {
  if (Token.isUnresolved(directory)) {
    throw new Error('the source directory is an unresolved token. Pass a literal path known at synth time.');
  }
  if (!options || !options.base) throw new Error(`fromSource(${directory}) needs options.base, e.g. LambdaBaseImage.PYTHON_3_13.`);
  if (typeof options.handler !== 'string' || options.handler === '' || Token.isUnresolved(options.handler)) {
    throw new Error(`fromSource(${directory}) needs a literal handler, e.g. "${handlerExample(options.base.family)}".`);
  }
  const abs = path.resolve(directory);
  if (!fs.existsSync(abs)) throw new Error(`source directory ${directory} does not exist. Create it or fix the path.`);
  if (!fs.statSync(abs).isDirectory()) throw new Error(`source path ${directory} is a file. Pass the directory that holds the function's code.`);

  const exclude = options.exclude ?? [];
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
  for (const s of secrets) {
    const src = path.resolve(s.src);
    const rel = path.relative(abs, src);
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && !isExcluded(rel.split(path.sep).join('/'))) {
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
      + 'it gets no security patches and function updates will be blocked. Move to a newer LambdaBaseImage.',
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

  const dir = copyToStaging(abs, exclude, isExcluded, files.dockerfile, files.dockerignore);
  return {
    directory: dir,
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

/**
 * Copies the files Docker would send (the .dockerignore applied) into a temporary directory,
 * hashing them on the way, then moves it to a name derived from the hash: the same source and
 * options always stage to the same directory, which is reused when it already exists.
 */
function copyToStaging(src: string, exclude: string[], isExcluded: (p: string) => boolean, dockerfile: string, dockerignore: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(`ccf-staging:${STAGING_VERSION}\0${dockerfile}\0${dockerignore}\0`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-staging-'));
  // Without negations an excluded directory cannot contain included files, so it need not be walked.
  const canPrune = !exclude.some(p => p.trim().startsWith('!'));

  const walk = (rel: string, depth: number) => {
    if (depth > 64) throw new Error(`${rel} is nested too deep (a symlink loop?). Exclude it.`);
    const entries = fs.readdirSync(path.join(src, rel)).sort();
    for (const name of entries) {
      const relPath = rel ? `${rel}/${name}` : name;
      const from = path.join(src, relPath);
      const st = fs.statSync(from); // follows symlinks: the staged context holds real files
      const excluded = isExcluded(relPath);
      if (st.isDirectory()) {
        if (excluded && canPrune) continue;
        walk(relPath, depth + 1);
      } else if (st.isFile() && !excluded) {
        if (relPath === 'Dockerfile' || relPath === '.dockerignore') continue; // replaced by the generated ones
        const data = fs.readFileSync(from);
        // eslint-disable-next-line no-bitwise
        const exec = (st.mode & 0o111) !== 0;
        hash.update(`${relPath}\0${exec ? 'x' : '-'}\0${data.length}\0`).update(data);
        const to = path.join(tmp, relPath);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, data, { mode: exec ? 0o755 : 0o644 });
      }
    }
  };
  try {
    walk('', 0);
    fs.writeFileSync(path.join(tmp, 'Dockerfile'), dockerfile);
    fs.writeFileSync(path.join(tmp, '.dockerignore'), dockerignore);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const dest = path.join(os.tmpdir(), `ccf-source-${hash.digest('hex').slice(0, 24)}`);
  if (fs.existsSync(path.join(dest, 'Dockerfile'))) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return dest;
  }
  fs.rmSync(dest, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dest);
  } catch (e) {
    // Another process staged the same content first.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dest, 'Dockerfile'))) throw e;
  }
  return dest;
}
