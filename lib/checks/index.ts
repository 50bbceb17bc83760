// Synth-time checks (ContainerImageChecks Aspect and its rules).
export * from './container-image-checks';
export { DockerfileFlag, DockerfileInstruction, DockerfileOutline, DockerfileStage } from './dockerfile-outline';
export { MeasuredImage, MeasuredImageLayer } from '../measure/measurement';
export * from './rule';
export * from './subject';
export * from './rules';
