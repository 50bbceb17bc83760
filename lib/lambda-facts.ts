// Internal: AWS Lambda's facts, one home each. The generator (lib/dockerfile), the checks (lib/checks), the construct's
// validation, the local runtime (lib/local), the CLI and RULES.md (checked by test/checks/rules-md.test.ts) all read
// them from here, so one edit updates every place that states them. Imports nothing: it sits below every other module.

/**
 * Lambda's limit on a container image's uncompressed size, all layers included: 10 GiB. Messages show it through
 * `formatSize` (lib/size-format.ts), so no text states the number on its own.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html ("Container image code package size")
 */
export const LAMBDA_IMAGE_SIZE_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;

/** Memory Lambda accepts, in whole MB. */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10240 } as const;
/** Timeout Lambda accepts, in seconds (15 minutes at most). */
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;

// Invocation limits and defaults: what the local runtime enforces and assumes, as Lambda does.

/**
 * Synchronous (RequestResponse) request payload limit: 6 MB.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html ("Invocation payload (request and response)")
 * The Invoke API refuses a larger request with 413 RequestEntityTooLargeException before any function code runs.
 */
export const MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024; // 6,291,456

/**
 * Asynchronous (Event) request payload limit: 1 MB (raised from 256 KB in 2025).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_ASYNC_REQUEST_BYTES = 1024 * 1024;

/**
 * Response payload limit. Lambda's own error message names 6,291,556 bytes (6 MB + 100 bytes of
 * framing), so that is the number compared against and reported.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_BYTES = 6_291_556;

/**
 * The init phase is limited to 10 seconds for on-demand functions.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * Lambda's defaults when the template leaves them out (not the construct's own defaults, which are larger).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (MemorySize 128, Timeout 3)
 */
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 3;

/**
 * The log tail returned with `LogType: Tail`: the last 4 KB of the invocation's log.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html ("LogType")
 */
export const LOG_TAIL_BYTES = 4 * 1024;

/**
 * The Invoke API's ClientContext: up to 3,583 bytes of base64-encoded data.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * The names Lambda accepts for environment variables: a letter, then at least one letter, digit or underscore.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html (Variables: key pattern `[a-zA-Z]([a-zA-Z0-9_])+`)
 */
export const LAMBDA_ENVIRONMENT_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** The shortest reason a suppression (`ContainerImageChecks.suppress`) or a `# ccf-ignore=` pragma may give. */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

/** An instruction set architecture Lambda runs, and how Docker and OCI name it. */
export interface LambdaArchitecture {
  /** Lambda's name (`Architecture.X86_64.name`). */
  readonly name: string;
  /** Docker platform the image must be built for. */
  readonly platform: string;
  /** OCI architecture name (image manifests, cdk-ecr-deployment's `imageArch`). */
  readonly imageArch: string;
  /** Other spellings of the same architecture in platforms and tools (lower case). */
  readonly aliases: readonly string[];
}

/** The two architectures Lambda runs. There are no others: `Architecture.custom('riscv64')` cannot run. */
export const LAMBDA_ARCHITECTURES: readonly LambdaArchitecture[] = [
  { name: 'x86_64', platform: 'linux/amd64', imageArch: 'amd64', aliases: ['x86_64', 'x86-64', 'x64', 'x86', 'amd64'] },
  { name: 'arm64', platform: 'linux/arm64', imageArch: 'arm64', aliases: ['arm64', 'aarch64', 'arm64/v8'] },
];

/** The Lambda architecture with this name or alias (any case), if Lambda runs it. */
export function lambdaArchitecture(nameOrAlias: string): LambdaArchitecture | undefined {
  const wanted = nameOrAlias.trim().toLowerCase();
  return LAMBDA_ARCHITECTURES.find(a => a.name === wanted || a.aliases.includes(wanted));
}

/**
 * The architecture Lambda gives a function whose `Architectures` is left out.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html ("Architectures": default x86_64)
 */
export const DEFAULT_ARCHITECTURE = 'x86_64';

/**
 * The Docker platform an image for a Lambda architecture is built and run for (`arm64` → `linux/arm64`); Lambda's
 * default architecture when none is named. A name Lambda does not run also gets the default: the construct refuses such
 * names before this is asked (validateFunctionOptions), and the tools that read templates run what Lambda would.
 */
export function dockerPlatform(architecture: string = DEFAULT_ARCHITECTURE): string {
  return (lambdaArchitecture(architecture) ?? lambdaArchitecture(DEFAULT_ARCHITECTURE)!).platform;
}

/** `linux/arm64/v8` → `linux/arm64`; `amd64` → `linux/amd64`; other platforms lower-cased as they are. */
export function normalizePlatform(platform: string): string {
  const parts = platform.toLowerCase().trim().split('/');
  const [os, ...rest] = parts.length === 1 ? ['linux', parts[0]] : parts;
  const arch = lambdaArchitecture(rest.join('/')) ?? lambdaArchitecture(rest[0] ?? '');
  return `${os}/${arch ? arch.imageArch : rest.join('/')}`;
}

/**
 * An image digest as ECR and Lambda take it: `sha256:` and 64 lowercase hex characters.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageIdentifier.html
 */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Where AWS publishes its Lambda base images. */
export const AWS_BASE_IMAGE_REGISTRY = 'public.ecr.aws/lambda';

/**
 * The same images as AWS mirrors them on Docker Hub: `amazon/aws-lambda-<repository>`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html ("Using an AWS base image")
 */
const AWS_BASE_IMAGE_DOCKER_HUB_PREFIX = 'amazon/aws-lambda-';

/**
 * The runtime repository (`python`, `nodejs`, …) of an AWS Lambda base image name, in either place AWS publishes them
 * (`public.ecr.aws/lambda/python`, `amazon/aws-lambda-python`, `docker.io/amazon/aws-lambda-python`); undefined for
 * any other image.
 */
export function awsBaseImageRepository(imageName: string): string | undefined {
  const name = imageName.toLowerCase().replace(/^docker\.io\//, '');
  for (const prefix of [`${AWS_BASE_IMAGE_REGISTRY}/`, AWS_BASE_IMAGE_DOCKER_HUB_PREFIX]) {
    if (name.startsWith(prefix) && /^[a-z]+$/.test(name.slice(prefix.length))) return name.slice(prefix.length);
  }
  return undefined;
}

/** An AWS Lambda base image the library offers as a `LambdaBaseImage` constant (and the CLI as `--base`). */
export interface AwsBaseImage {
  /** The `LambdaBaseImage` constant's name. */
  readonly constant: string;
  /** Repository under `public.ecr.aws/lambda/`. */
  readonly repository: string;
  readonly tag: string;
  /** Language family (`BaseImageFamily` value). */
  readonly family: string;
  /** Lambda runtime identifier. */
  readonly runtime: string;
}

/** The bases `LambdaBaseImage` offers, in the order the CLI lists them. */
export const AWS_BASE_IMAGES: readonly AwsBaseImage[] = [
  { constant: 'PYTHON_3_11', repository: 'python', tag: '3.11', family: 'python', runtime: 'python3.11' },
  { constant: 'PYTHON_3_12', repository: 'python', tag: '3.12', family: 'python', runtime: 'python3.12' },
  { constant: 'PYTHON_3_13', repository: 'python', tag: '3.13', family: 'python', runtime: 'python3.13' },
  { constant: 'PYTHON_3_14', repository: 'python', tag: '3.14', family: 'python', runtime: 'python3.14' },
  { constant: 'NODEJS_20', repository: 'nodejs', tag: '20', family: 'nodejs', runtime: 'nodejs20.x' },
  { constant: 'NODEJS_22', repository: 'nodejs', tag: '22', family: 'nodejs', runtime: 'nodejs22.x' },
  { constant: 'NODEJS_24', repository: 'nodejs', tag: '24', family: 'nodejs', runtime: 'nodejs24.x' },
  { constant: 'JAVA_21', repository: 'java', tag: '21', family: 'java', runtime: 'java21' },
  { constant: 'JAVA_25', repository: 'java', tag: '25', family: 'java', runtime: 'java25' },
  { constant: 'PROVIDED_AL2023', repository: 'provided', tag: 'al2023', family: 'provided', runtime: 'provided.al2023' },
];

/** A Lambda runtime with its (past or projected) deprecation date and the base image tags that carry it. */
export interface RuntimeDeprecation {
  /** Repository under `public.ecr.aws/lambda/` (`amazon/aws-lambda-<repository>` on Docker Hub). */
  readonly repository: string;
  /** Matches the version part of the tag (before any `-x86_64`/`-arm64` suffix). */
  readonly version: RegExp;
  /** The tag as RULES.md shows it. */
  readonly tag: string;
  /** Lambda runtime identifier, e.g. `python3.9`. */
  readonly identifier: string;
  /** ISO date from which AWS no longer applies security patches (phase 1 of Lambda's deprecation). */
  readonly deprecatedOn: string;
}

// Source: the "Supported runtimes" and "Deprecated runtimes" tables of
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (dates in the future are AWS's projections; the
// checks judge them on the day of synth). Amazon Linux 2 reaches end of life on 2026-06-30, and with it every
// AL2-based runtime (java8.al2, java11, java17, python3.10, python3.11, provided.al2).
export const RUNTIME_DEPRECATIONS: readonly RuntimeDeprecation[] = [
  { repository: 'python', version: /^3\.7(\.|$)/, tag: '3.7', identifier: 'python3.7', deprecatedOn: '2023-12-04' },
  { repository: 'python', version: /^3\.8(\.|$)/, tag: '3.8', identifier: 'python3.8', deprecatedOn: '2024-10-14' },
  { repository: 'python', version: /^3\.9(\.|$)/, tag: '3.9', identifier: 'python3.9', deprecatedOn: '2025-12-15' },
  { repository: 'python', version: /^3\.10(\.|$)/, tag: '3.10', identifier: 'python3.10', deprecatedOn: '2026-06-30' },
  { repository: 'python', version: /^3\.11(\.|$)/, tag: '3.11', identifier: 'python3.11', deprecatedOn: '2026-06-30' },
  { repository: 'python', version: /^3\.12(\.|$)/, tag: '3.12', identifier: 'python3.12', deprecatedOn: '2028-10-31' },
  { repository: 'python', version: /^3\.13(\.|$)/, tag: '3.13', identifier: 'python3.13', deprecatedOn: '2029-06-30' },
  { repository: 'python', version: /^3\.14(\.|$)/, tag: '3.14', identifier: 'python3.14', deprecatedOn: '2029-06-30' },
  { repository: 'nodejs', version: /^12(\.|$)/, tag: '12', identifier: 'nodejs12.x', deprecatedOn: '2023-03-31' },
  { repository: 'nodejs', version: /^14(\.|$)/, tag: '14', identifier: 'nodejs14.x', deprecatedOn: '2023-12-04' },
  { repository: 'nodejs', version: /^16(\.|$)/, tag: '16', identifier: 'nodejs16.x', deprecatedOn: '2024-06-12' },
  { repository: 'nodejs', version: /^18(\.|$)/, tag: '18', identifier: 'nodejs18.x', deprecatedOn: '2025-09-01' },
  { repository: 'nodejs', version: /^20(\.|$)/, tag: '20', identifier: 'nodejs20.x', deprecatedOn: '2026-04-30' },
  { repository: 'nodejs', version: /^22(\.|$)/, tag: '22', identifier: 'nodejs22.x', deprecatedOn: '2027-04-30' },
  { repository: 'nodejs', version: /^24(\.|$)/, tag: '24', identifier: 'nodejs24.x', deprecatedOn: '2028-04-30' },
  { repository: 'java', version: /^8(\.\d{4}\.|$)/, tag: '8', identifier: 'java8 (Amazon Linux 1)', deprecatedOn: '2024-01-08' },
  { repository: 'java', version: /^8\.al2(\.|$)/, tag: '8.al2', identifier: 'java8.al2', deprecatedOn: '2026-06-30' },
  { repository: 'java', version: /^11(\.|$)/, tag: '11', identifier: 'java11', deprecatedOn: '2026-06-30' },
  { repository: 'java', version: /^17(\.|$)/, tag: '17', identifier: 'java17', deprecatedOn: '2026-06-30' },
  { repository: 'java', version: /^21(\.|$)/, tag: '21', identifier: 'java21', deprecatedOn: '2029-06-30' },
  { repository: 'java', version: /^25(\.|$)/, tag: '25', identifier: 'java25', deprecatedOn: '2029-06-30' },
  { repository: 'go', version: /^1(\.|$)/, tag: '1', identifier: 'go1.x', deprecatedOn: '2024-01-08' },
  { repository: 'provided', version: /^alami(\.|$)/, tag: 'alami', identifier: 'provided (Amazon Linux 1)', deprecatedOn: '2024-01-08' },
  { repository: 'provided', version: /^al2(\.|$)/, tag: 'al2', identifier: 'provided.al2', deprecatedOn: '2026-06-30' },
  { repository: 'provided', version: /^al2023(\.|$)/, tag: 'al2023', identifier: 'provided.al2023', deprecatedOn: '2029-06-30' },
  { repository: 'dotnet', version: /^6(\.|$)/, tag: '6', identifier: 'dotnet6', deprecatedOn: '2024-12-20' },
  { repository: 'dotnet', version: /^8(\.|$)/, tag: '8', identifier: 'dotnet8', deprecatedOn: '2026-11-10' },
  { repository: 'dotnet', version: /^9(\.|$)/, tag: '9', identifier: 'dotnet9 (container only)', deprecatedOn: '2026-11-10' },
  { repository: 'ruby', version: /^2\.7(\.|$)/, tag: '2.7', identifier: 'ruby2.7', deprecatedOn: '2023-12-07' },
  { repository: 'ruby', version: /^3\.2(\.|$)/, tag: '3.2', identifier: 'ruby3.2', deprecatedOn: '2026-03-31' },
  { repository: 'ruby', version: /^3\.3(\.|$)/, tag: '3.3', identifier: 'ruby3.3', deprecatedOn: '2027-03-31' },
  { repository: 'ruby', version: /^3\.4(\.|$)/, tag: '3.4', identifier: 'ruby3.4', deprecatedOn: '2028-03-31' },
];

/** What to move to from a deprecated runtime of each repository: the supported base with the longest support. */
const REPLACEMENTS: { readonly [repository: string]: { readonly image: string; readonly constant?: string } } = {
  python: { image: `${AWS_BASE_IMAGE_REGISTRY}/python:3.13`, constant: 'PYTHON_3_13' },
  nodejs: { image: `${AWS_BASE_IMAGE_REGISTRY}/nodejs:24`, constant: 'NODEJS_24' },
  java: { image: `${AWS_BASE_IMAGE_REGISTRY}/java:21`, constant: 'JAVA_21' },
  go: { image: `${AWS_BASE_IMAGE_REGISTRY}/provided:al2023`, constant: 'PROVIDED_AL2023' },
  provided: { image: `${AWS_BASE_IMAGE_REGISTRY}/provided:al2023`, constant: 'PROVIDED_AL2023' },
  dotnet: { image: `${AWS_BASE_IMAGE_REGISTRY}/dotnet:10` },
  ruby: { image: `${AWS_BASE_IMAGE_REGISTRY}/ruby:3.4` },
};

/** The one piece of advice for a deprecated runtime, the same in the generator's warning and in CCF109. */
export function replacementAdvice(repository: string): string {
  const replacement = REPLACEMENTS[repository];
  if (!replacement) return 'a supported AWS Lambda base image';
  return replacement.constant ? `${replacement.image} (LambdaBaseImage.${replacement.constant})` : replacement.image;
}

/** The deprecation row of a base image tag in a repository (`python`, `3.11-arm64`), whatever its date. */
export function runtimeDeprecation(repository: string, tag: string): RuntimeDeprecation | undefined {
  const version = tag.split('-')[0];
  return RUNTIME_DEPRECATIONS.find(d => d.repository === repository && d.version.test(version));
}

/** True when the deprecation date has come on `asOf` (UTC day). */
export function isDeprecatedOn(deprecation: RuntimeDeprecation, asOf: Date): boolean {
  return deprecation.deprecatedOn <= asOf.toISOString().slice(0, 10);
}
