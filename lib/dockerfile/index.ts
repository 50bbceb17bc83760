// Dockerfile generation for ContainerImage.fromSource. Only jsii-visible types are exported here;
// the generator and stageSourceImage (./stage-source) are internal and imported by path.
export * from './base-image';
export * from './build-secret';
export * from './options';
