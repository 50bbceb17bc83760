// The one Docker client of the tools (internal: not exported from lib/index.ts): command resolution (CDK_DOCKER), run,
// spawn, one error type, one engine probe, one image inspection, and the container questions of the local runtime.
export * from './client';
export * from './containers';
export * from './engine';
export * from './inspect';
