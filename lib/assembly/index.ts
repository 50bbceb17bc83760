// Cloud assembly tools shared by `measure` (lib/measure), local invoke (lib/local) and the coming HTTP front doors:
// resolve --app, read the app's stacks, functions and image assets once (read-app.ts), look up what a user names,
// build an asset's image as CDK's publishing would (through the one Docker client, lib/docker), with one progress display for those builds (progress.ts).
// Internal: not exported from lib/index.ts.
export * from './app-function';
export * from './build-image';
export * from './function-lookup';
export * from './image-asset';
export * from './read-app';
export * from './resolve-app';
