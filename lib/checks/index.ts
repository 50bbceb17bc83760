// Synth-time checks (ContainerImageChecks Aspect and its rules).
export {};
