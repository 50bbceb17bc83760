import { GeneratorSpec, Stage } from '../spec';
import { systemPackagesRun, taskRootRef } from '../text';

/** What a runtime contributes: build stages, what the final stage copies, and how it starts. */
export interface RuntimeParts {
  readonly stages: Stage[];
  /** Lines of the final stage that bring in runtime artifacts (dependencies first, code last). */
  readonly copies: string[];
  /** Lines placed before the copies (e.g. the runtime interface client). */
  readonly setup?: string[];
  /** ENTRYPOINT in exec form, when the base's own does not start the function. */
  readonly entrypoint?: string[];
}

/** COPY lines for the dependency manifests (and local packages), preserving their relative paths. */
export function copyManifests(files: string[]): string[] {
  return files.map(f => {
    const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/') + 1) : '';
    return `COPY ${f} ./${dir}`;
  });
}

export function copyLocalPackages(dirs: string[]): string[] {
  return dirs.map(d => `COPY ${d} ./${d}/`);
}

/** A generic build stage: the whole source, then the user's build command. */
export function buildCommandStage(spec: GeneratorSpec, from: string, before: string[] = []): Stage {
  return {
    name: 'build',
    from,
    lines: [
      ...systemPackagesRun(spec.base, spec.systemPackages),
      'WORKDIR /build',
      ...before,
      'COPY . .',
      `RUN ${spec.buildCommand}`,
    ],
  };
}

/** Final-stage COPY of the code: from the build stage after a build command, else straight from the context. */
export function copyCode(spec: GeneratorSpec, defaultFromBuild = '/build/'): string {
  const root = taskRootRef(spec.base);
  if (spec.buildCommand) {
    const from = spec.buildOutput ? `/build/${spec.buildOutput}/` : defaultFromBuild;
    return `COPY --from=build ${from} ${root}/`;
  }
  return `COPY . ${root}/`;
}
