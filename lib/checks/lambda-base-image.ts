// Internal: recognises AWS Lambda base images in FROM and knows which runtimes AWS deprecated.

/** An AWS Lambda base image reference: `public.ecr.aws/lambda/<runtime>:<tag>`. */
export interface LambdaBaseImageRef {
  readonly runtime: string;
  readonly tag?: string;
}

const LAMBDA_IMAGE = /^(?:public\.ecr\.aws\/lambda\/|(?:docker\.io\/)?amazon\/aws-lambda-)([a-z]+)$/;

/** The Lambda base image named by a FROM image reference, if it is one. */
export function lambdaBaseImage(image: { readonly name: string; readonly tag?: string } | undefined): LambdaBaseImageRef | undefined {
  const match = image ? LAMBDA_IMAGE.exec(image.name.toLowerCase()) : null;
  return match ? { runtime: match[1], tag: image!.tag } : undefined;
}

/** A Lambda runtime AWS has deprecated, with the base image tags that carry it. */
export interface Deprecation {
  readonly runtime: string;
  /** Matches the version part of the tag (before any `-x86_64`/`-arm64` suffix). */
  readonly version: RegExp;
  /** Lambda runtime identifier, e.g. `python3.9`. */
  readonly identifier: string;
  /** ISO date from which AWS no longer applies security patches. */
  readonly deprecatedOn: string;
  readonly replacement: string;
}

// Source: AWS Lambda "Runtime deprecation policy" table (deprecation dates). Keep ids stable; add rows.
export const DEPRECATIONS: Deprecation[] = [
  { runtime: 'python', version: /^3\.7(\.|$)/, identifier: 'python3.7', deprecatedOn: '2023-12-04', replacement: 'public.ecr.aws/lambda/python:3.13' },
  { runtime: 'python', version: /^3\.8(\.|$)/, identifier: 'python3.8', deprecatedOn: '2024-10-14', replacement: 'public.ecr.aws/lambda/python:3.13' },
  { runtime: 'python', version: /^3\.9(\.|$)/, identifier: 'python3.9', deprecatedOn: '2025-12-15', replacement: 'public.ecr.aws/lambda/python:3.13' },
  { runtime: 'python', version: /^3\.10(\.|$)/, identifier: 'python3.10', deprecatedOn: '2026-06-30', replacement: 'public.ecr.aws/lambda/python:3.13' },
  { runtime: 'python', version: /^3\.11(\.|$)/, identifier: 'python3.11', deprecatedOn: '2026-06-30', replacement: 'public.ecr.aws/lambda/python:3.13' },
  { runtime: 'nodejs', version: /^12(\.|$)/, identifier: 'nodejs12.x', deprecatedOn: '2023-03-31', replacement: 'public.ecr.aws/lambda/nodejs:22' },
  { runtime: 'nodejs', version: /^14(\.|$)/, identifier: 'nodejs14.x', deprecatedOn: '2023-12-04', replacement: 'public.ecr.aws/lambda/nodejs:22' },
  { runtime: 'nodejs', version: /^16(\.|$)/, identifier: 'nodejs16.x', deprecatedOn: '2024-06-12', replacement: 'public.ecr.aws/lambda/nodejs:22' },
  { runtime: 'nodejs', version: /^18(\.|$)/, identifier: 'nodejs18.x', deprecatedOn: '2025-09-01', replacement: 'public.ecr.aws/lambda/nodejs:22' },
  { runtime: 'nodejs', version: /^20(\.|$)/, identifier: 'nodejs20.x', deprecatedOn: '2026-04-30', replacement: 'public.ecr.aws/lambda/nodejs:22' },
  { runtime: 'java', version: /^8(\.\d{4}\.|$)/, identifier: 'java8 (Amazon Linux 1)', deprecatedOn: '2024-01-08', replacement: 'public.ecr.aws/lambda/java:21' },
  { runtime: 'go', version: /^1(\.|$)/, identifier: 'go1.x', deprecatedOn: '2023-12-31', replacement: 'public.ecr.aws/lambda/provided:al2023' },
  { runtime: 'provided', version: /^alami(\.|$)/, identifier: 'provided (Amazon Linux 1)', deprecatedOn: '2023-12-31', replacement: 'public.ecr.aws/lambda/provided:al2023' },
  { runtime: 'dotnet', version: /^6(\.|$)/, identifier: 'dotnet6', deprecatedOn: '2024-12-20', replacement: 'public.ecr.aws/lambda/dotnet:8' },
  { runtime: 'ruby', version: /^2\.7(\.|$)/, identifier: 'ruby2.7', deprecatedOn: '2023-12-07', replacement: 'public.ecr.aws/lambda/ruby:3.4' },
  { runtime: 'ruby', version: /^3\.2(\.|$)/, identifier: 'ruby3.2', deprecatedOn: '2026-03-31', replacement: 'public.ecr.aws/lambda/ruby:3.4' },
];

/** The deprecation that applies to a Lambda base image on a date, if any. */
export function deprecationOf(image: LambdaBaseImageRef, asOf: Date): Deprecation | undefined {
  if (!image.tag) return undefined;
  const version = image.tag.split('-')[0];
  const day = asOf.toISOString().slice(0, 10);
  return DEPRECATIONS.find(d => d.runtime === image.runtime && d.version.test(version) && d.deprecatedOn <= day);
}
