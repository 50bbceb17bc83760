import { InstallTool } from '../project';
import { GeneratorSpec } from '../spec';
import { installRun, mavenSettingsFlag, secretEnv, secretMounts, taskRootRef } from '../text';
import { RuntimeParts, copyManifests } from './common';

const ECR_LIBRARY = 'public.ecr.aws/docker/library';

/** Java version of the base: java21 → 21; custom bases default to 21. */
function javaVersion(spec: GeneratorSpec): string {
  return /^java(\d+)$/.exec(spec.base.runtimeName)?.[1] ?? '21';
}

/**
 * Java: Maven or Gradle in a `build` stage (dependencies resolved from the build file alone
 * first, so a code change reuses that layer); the final stage gets classes and runtime jars.
 * Text-tested only: Maven Central is not reachable on this project's machines.
 */
export function javaParts(spec: GeneratorSpec): RuntimeParts {
  const root = taskRootRef(spec.base);
  const v = javaVersion(spec);
  const mounts = secretMounts(spec.secrets);
  const env = secretEnv(spec.secrets, spec.project.tool === InstallTool.MAVEN ? 'maven' : 'gradle');
  let lines: string[];
  let copies: string[];
  let from: string;
  if (spec.project.tool === InstallTool.MAVEN) {
    from = spec.buildImage ?? `${ECR_LIBRARY}/maven:3.9.11-amazoncorretto-${v}`;
    const mvn = `mvn -B -q${mavenSettingsFlag(spec.secrets)}`;
    lines = [
      'WORKDIR /build',
      ...copyManifests(spec.project.manifests),
      ...installRun(mounts, env, `${mvn} dependency:go-offline`),
      'COPY src ./src',
      ...installRun(mounts, env,
        `${mvn} -DskipTests package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib`),
    ];
    copies = [`COPY --from=build /build/target/lib/ ${root}/lib/`, `COPY --from=build /build/target/classes/ ${root}/`];
  } else {
    from = spec.buildImage ?? `${ECR_LIBRARY}/gradle:8.14.3-jdk${v}`;
    lines = [
      'WORKDIR /build',
      ...copyManifests(spec.project.manifests),
      ...installRun(mounts, env, 'gradle --no-daemon -q dependencies'),
      'COPY src ./src',
      // Lambda puts ${LAMBDA_TASK_ROOT}/lib/*.jar on the classpath: the build must produce runtime jars in build/libs.
      ...installRun(mounts, env, 'gradle --no-daemon -q build -x test'),
    ];
    copies = [`COPY --from=build /build/build/libs/ ${root}/lib/`];
  }
  const entrypoint = spec.base.includesRuntimeInterfaceClient ? undefined
    // The runtime interface client must be a dependency of the project (com.amazonaws:aws-lambda-java-runtime-interface-client).
    : ['java', '-cp', `${spec.base.taskRoot}:${spec.base.taskRoot}/lib/*`, 'com.amazonaws.services.lambda.runtime.api.client.AWSLambda'];
  return { stages: [{ name: 'build', from, lines }], copies, entrypoint };
}
