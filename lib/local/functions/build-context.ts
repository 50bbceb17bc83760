// Where a function's image is built from: the build context cdk.out staged for its image asset, and its Dockerfile.
// (The user's own directory behind that copy is found by lib/local/watch/user-context.ts.)
import * as path from 'path';
import { AppFunction } from '../../assembly';

export interface StagedContext {
  readonly directory: string;
  readonly dockerfile: string;
}

/** The staged build context of a function's image asset, when the app builds it from a directory. */
export function stagedContextOf(fn: AppFunction): StagedContext | undefined {
  if (fn.image.kind !== 'asset' || fn.image.asset.source.directory === undefined || fn.image.asset.source.executable) return undefined;
  return {
    directory: path.resolve(fn.image.asset.baseDirectory, fn.image.asset.source.directory),
    dockerfile: fn.image.asset.source.dockerFile ?? 'Dockerfile',
  };
}
