import { LambdaBaseImage } from './base-image';
import { SourceBuildSecret } from './build-secret';

/**
 * What `ContainerImage.fromSource(directory, options)` needs to write a Dockerfile for a source
 * directory: the base, the handler and, where needed, a build command, system packages and secrets.
 */
export interface SourceImageOptions {
  /** Base image: `LambdaBaseImage.PYTHON_3_13`, `LambdaBaseImage.NODEJS_22`, ... or `LambdaBaseImage.custom(...)`. */
  readonly base: LambdaBaseImage;

  /**
   * The function handler, in the base's form: `app.lambda_handler` (Python: needs `app.py`),
   * `index.handler` (Node.js: needs `index.js`/`.mjs`/`.cjs`, or TypeScript with a `buildCommand`),
   * `com.example.Handler::handleRequest` (Java), or the executable's name for `PROVIDED_AL2023`.
   */
  readonly handler: string;

  /**
   * Command run in a build stage after the dependencies and the source are copied, e.g. `npm run build`.
   * Its tools (dev dependencies, compilers) never reach the final image.
   * @default - no build step (interpreted code is copied as is; Java, Go and Rust use their standard build)
   */
  readonly buildCommand?: string;

  /**
   * Directory (relative to the source directory) holding the runtime code after `buildCommand`,
   * copied into the task root, e.g. `dist`.
   * @default - the whole build directory (without `node_modules`)
   */
  readonly buildOutput?: string;

  /**
   * System packages installed in the build stages only (compilers, headers), with the base's
   * package manager (`dnf` on AWS bases, `apt-get` on Debian customs), e.g. `['gcc', 'python3-devel']`.
   * @default - none
   */
  readonly systemPackages?: string[];

  /**
   * System packages installed in the final image (shared libraries the function loads at run time).
   * @default - none
   */
  readonly runtimeSystemPackages?: string[];

  /**
   * Secrets for private package indexes, mounted with `RUN --mount=type=secret` on the install
   * steps only (never ARG or ENV, never in a layer).
   * @default - none
   */
  readonly buildSecrets?: SourceBuildSecret[];

  /**
   * Environment variables set in the final image (not secrets: they are visible in the image config).
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Extra `.dockerignore` patterns. The defaults exclude `.git`, `node_modules`, `__pycache__`,
   * `*.pyc`, `.pytest_cache`, `cdk.out`, `.env*` and test folders; re-include with `!pattern`.
   * @default - only the defaults
   */
  readonly exclude?: string[];

  /**
   * Image used for the build stage of Java, Go and Rust builds.
   * @default - Maven/Gradle with Amazon Corretto (Java), `golang` (Go), the base itself with `dnf install rust cargo` (Rust)
   */
  readonly buildImage?: string;
}
