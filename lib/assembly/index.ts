// Cloud assembly tools shared by `measure` (lib/measure) and local invoke (lib/local): resolve --app, read image
// assets and their functions, build an asset's image as CDK's publishing would, with one progress display for those
// builds (progress.ts). Internal: not exported from lib/index.ts.
export * from './build-image';
export * from './docker';
export * from './image-asset';
export * from './read-assembly';
export * from './resolve-app';
