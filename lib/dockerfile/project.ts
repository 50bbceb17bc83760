/**
 * What the generator needs to know about a source directory, found by `detectProject()`
 * (manifests.ts) and consumed by the pure generator. Internal: not exported from the barrel.
 */
export enum InstallTool {
  NONE = 'none',
  PIP = 'pip',
  NPM = 'npm',
  YARN = 'yarn',
  PNPM = 'pnpm',
  MAVEN = 'maven',
  GRADLE = 'gradle',
  GO = 'go',
  CARGO = 'cargo',
}

export interface DetectedProject {
  /** How dependencies are installed. */
  readonly tool: InstallTool;
  /** Files copied (in this order, relative POSIX paths) before the dependency install, so code changes keep its layer. */
  readonly manifests: string[];
  /** Directories referenced by the manifests (local pip packages), copied with the manifests. */
  readonly localPackages: string[];
}
