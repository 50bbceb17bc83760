export { ContainerFunction } from './container-function';
export { ContainerFunctionProps } from './container-function-props';
export { ContainerImage, DockerfileImageOptions, EcrImageOptions } from './image/container-image';
export { ImageTag, GitShaTagOptions } from './image/image-tag';
export { ImageRepository, ImageRepositoryProps } from './image/image-repository';
export * from './checks';
export * from './dockerfile';
