import { AppFunction } from '../../../lib/assembly/app-function';

/** A function as the app reader describes it: an image URI, 256 MB, 1 s, x86_64; `s` overrides. */
export const appFunction = (s: Partial<AppFunction> = {}): AppFunction => ({
  stackName: 'S',
  stackId: 'S',
  logicalId: 'Fn',
  path: 'S/Fn',
  functionName: 'S-Fn',
  memoryMb: 256,
  timeoutSeconds: 1,
  architecture: 'x86_64',
  environment: {},
  unresolvedEnvironment: [],
  image: { kind: 'uri', uri: 'img' },
  ...s,
});
