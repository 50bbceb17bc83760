// Dockerfile generation for ContainerImage.fromSource (LambdaBaseImage, generator).
export {};
