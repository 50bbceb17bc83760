import { SystemPackageManager } from '../base-image';
import { InstallTool } from '../project';
import { GeneratorSpec, Stage } from '../spec';
import { installRun, packagesRun, secretEnv, secretMounts, systemPackagesRun, taskRootRef } from '../text';
import { RuntimeParts, buildCommandStage, copyManifests } from './common';

const ECR_LIBRARY = 'public.ecr.aws/docker/library';

/**
 * OS-only runtime: the handler names an executable that talks to the Runtime API itself
 * (aws-lambda-go, lambda_runtime for Rust, or your own). Go and Rust are built in a `build`
 * stage; anything else with `buildCommand`, or copied as a prebuilt file.
 * Go and Rust are text-tested only: their registries are not reachable on this project's machines.
 */
export function providedParts(spec: GeneratorSpec): RuntimeParts {
  const root = taskRootRef(spec.base);
  const exe = `${spec.base.taskRoot}/${spec.handler}`;
  const entrypoint = [exe];
  const mounts = secretMounts(spec.secrets);
  let stage: Stage | undefined;
  let copy: string;

  switch (spec.project.tool) {
    case InstallTool.GO:
      stage = {
        name: 'build',
        // Runs natively on the building machine and cross-compiles for the function's architecture
        // (TARGETOS/TARGETARCH are BuildKit's automatic platform args, not user input): no emulation for arm64.
        from: `--platform=$BUILDPLATFORM ${spec.buildImage ?? `${ECR_LIBRARY}/golang:1.25-bookworm`}`,
        lines: [
          'ARG TARGETOS TARGETARCH',
          // The golang image is Debian: build-time packages (e.g. for cgo-free tools) come from apt.
          ...packagesRun(SystemPackageManager.APT, spec.systemPackages, 'golang'),
          'WORKDIR /build',
          ...copyManifests(spec.project.manifests),
          ...installRun(mounts, secretEnv(spec.secrets, 'go'), 'go mod download'),
          'COPY . .',
          // Static binary: the final image (Amazon Linux) does not share the build image's libc.
          `RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -tags lambda.norpc -o /out/${spec.handler} .`,
        ],
      };
      copy = `COPY --from=build /out/${spec.handler} ${root}/${spec.handler}`;
      break;
    case InstallTool.CARGO: {
      // Built on the base itself so the binary links against the same glibc it runs with.
      const toolchain = spec.buildImage ? [] : spec.base.packageManager === SystemPackageManager.DNF
        ? ['rust', 'cargo', 'gcc'] : ['cargo', 'gcc', 'libc6-dev'];
      stage = {
        name: 'build',
        from: spec.buildImage ?? spec.base.image,
        lines: [
          ...systemPackagesRun(spec.base, [...toolchain, ...spec.systemPackages]),
          'WORKDIR /build',
          ...copyManifests(spec.project.manifests),
          // Build the dependencies against a stub main so a code change reuses this layer.
          ...installRun(mounts, secretEnv(spec.secrets, 'cargo'),
            "mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo build --release --locked && rm -rf src"),
          'COPY . .',
          `RUN touch src/main.rs && cargo build --release --locked && mkdir -p /out && cp target/release/${spec.handler} /out/${spec.handler}`,
        ],
      };
      copy = `COPY --from=build /out/${spec.handler} ${root}/${spec.handler}`;
      break;
    }
    default:
      if (spec.buildCommand) {
        stage = buildCommandStage(spec, spec.base.image);
        copy = spec.buildOutput
          ? `COPY --from=build /build/${spec.buildOutput}/ ${root}/`
          : `COPY --from=build /build/${spec.handler} ${root}/${spec.handler}`;
      } else {
        copy = `COPY ${spec.handler} ${root}/${spec.handler}`;
      }
  }
  return { stages: stage ? [stage] : [], copies: [copy], entrypoint };
}
