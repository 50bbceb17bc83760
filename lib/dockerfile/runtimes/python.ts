import { InstallTool } from '../project';
import { GeneratorSpec, Stage } from '../spec';
import { installRun, secretEnv, secretMounts, systemPackagesRun, taskRootRef } from '../text';
import { RuntimeParts, buildCommandStage, copyCode, copyLocalPackages, copyManifests } from './common';

const DEPS_DIR = '/build/python';
const RIC_DIR = '/opt/awslambdaric';

/**
 * Python: requirements installed with `pip --target` in a `deps` stage (compilers from
 * systemPackages stay there), copied into the task root before the code.
 */
export function pythonParts(spec: GeneratorSpec): RuntimeParts {
  const stages: Stage[] = [];
  const copies: string[] = [];
  const setup: string[] = [];
  const root = taskRootRef(spec.base);
  const pip = (args: string) => installRun(secretMounts(spec.secrets), secretEnv(spec.secrets, 'pip'),
    `python3 -m pip install --no-cache-dir --disable-pip-version-check ${args}`);

  if (spec.project.tool === InstallTool.PIP) {
    stages.push({
      name: 'deps',
      from: spec.base.image,
      lines: [
        ...systemPackagesRun(spec.base, spec.systemPackages),
        'WORKDIR /build',
        ...copyManifests(spec.project.manifests),
        ...copyLocalPackages(spec.project.localPackages),
        ...pip(`--target ${DEPS_DIR} -r requirements.txt`),
      ],
    });
    copies.push(`COPY --from=deps ${DEPS_DIR}/ ${root}/`);
  }
  if (spec.buildCommand) stages.push(buildCommandStage(spec, spec.base.image));

  let entrypoint: string[] | undefined;
  if (!spec.base.includesRuntimeInterfaceClient) {
    stages.push({
      name: 'ric',
      from: spec.base.image,
      lines: [
        ...systemPackagesRun(spec.base, spec.systemPackages),
        ...pip(`--target ${RIC_DIR} awslambdaric==${spec.base.runtimeInterfaceClientVersion}`),
      ],
    });
    setup.push(`COPY --from=ric ${RIC_DIR}/ ${RIC_DIR}/`, `ENV PYTHONPATH=${RIC_DIR}`);
    entrypoint = ['python3', '-m', 'awslambdaric'];
  }
  copies.push(copyCode(spec));
  return { stages, copies, setup, entrypoint };
}
