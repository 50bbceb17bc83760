// The built-in rules, one file each and one line here: this list is both what the package exports and what
// ContainerImageChecks.defaultRules() runs (every rule class exported here, in order of rule id).
export * from './mutable-image-tag';
export * from './mutable-repository';
export * from './repository-scan-on-push';
export * from './repository-lifecycle-policy';
export * from './image-size-budget';
export * from './lambda-image-size-limit';
export * from './platform-mismatch';
export * from './platform-not-pinned';
export * from './unpinned-base-image';
export * from './build-secret';
export * from './pip-cache';
export * from './copy-before-install';
export * from './add-instead-of-copy';
export * from './missing-lambda-cmd';
export * from './shell-form-command';
export * from './package-cache';
export * from './deprecated-lambda-base-image';
