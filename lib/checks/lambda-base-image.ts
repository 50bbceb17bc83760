// Internal: recognises AWS Lambda base images in FROM; which runtimes AWS deprecated lives in lib/lambda-facts.ts.
import { awsBaseImageRepository, isDeprecatedOn, replacementAdvice, runtimeDeprecation } from '../lambda-facts';

/** An AWS Lambda base image reference: `public.ecr.aws/lambda/<runtime>:<tag>`. */
export interface LambdaBaseImageRef {
  readonly runtime: string;
  readonly tag?: string;
}

/** The Lambda base image named by a FROM image reference, if it is one. */
export function lambdaBaseImage(image: { readonly name: string; readonly tag?: string } | undefined): LambdaBaseImageRef | undefined {
  const runtime = image ? awsBaseImageRepository(image.name) : undefined;
  return runtime ? { runtime, tag: image!.tag } : undefined;
}

/** A Lambda runtime AWS has deprecated, with the base image tags that carry it (a view of lib/lambda-facts.ts). */
export interface Deprecation {
  readonly runtime: string;
  /** Lambda runtime identifier, e.g. `python3.9`. */
  readonly identifier: string;
  /** ISO date from which AWS no longer applies security patches. */
  readonly deprecatedOn: string;
  /** What to move to. */
  readonly replacement: string;
}

/** The deprecation that applies to a Lambda base image on a date, if any. */
export function deprecationOf(image: LambdaBaseImageRef, asOf: Date): Deprecation | undefined {
  if (!image.tag) return undefined;
  const row = runtimeDeprecation(image.runtime, image.tag);
  if (!row || !isDeprecatedOn(row, asOf)) return undefined;
  return { runtime: row.repository, identifier: row.identifier, deprecatedOn: row.deprecatedOn, replacement: replacementAdvice(row.repository) };
}
