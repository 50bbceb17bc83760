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
  if (!spec.buildCommand && spec.project.localPackages.length > 0) {
    // Local packages are installed (compiled) by the deps stage; their sources are not runtime artifacts.
    stages.push({
      name: 'code',
      from: spec.base.image,
      lines: ['WORKDIR /code', 'COPY . .', removeLocalPackages(spec.project.localPackages)],
    });
    copies.push(`COPY --from=code /code/ ${root}/`);
  } else {
    copies.push(copyCode(spec));
  }
  return { stages, copies, setup, entrypoint };
}

/** `rm -rf` the package directories, then their parents if that left them empty (e.g. `vendor/`). */
function removeLocalPackages(dirs: string[]): string {
  const q = (p: string) => `'${p}'`;
  const parents = [...new Set(dirs.map(d => d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '').filter(p => p))].sort();
  const rmdir = parents.length > 0 ? ` && rmdir -p --ignore-fail-on-non-empty ${parents.map(q).join(' ')}` : '';
  return `RUN rm -rf ${dirs.map(q).join(' ')}${rmdir}`;
}
