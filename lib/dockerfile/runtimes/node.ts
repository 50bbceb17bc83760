import { SystemPackageManager } from '../base-image';
import { InstallTool } from '../project';
import { GeneratorSpec, Stage } from '../spec';
import { installRun, secretEnv, secretMounts, systemPackagesRun, taskRootRef } from '../text';
import { RuntimeParts, copyCode, copyManifests } from './common';

const RIC_DIR = '/opt/aws-lambda-ric';

/** Packages aws-lambda-ric's native build needs (it compiles aws-lambda-cpp with node-gyp). */
const RIC_BUILD_PACKAGES: { [pm: string]: string[] } = {
  [SystemPackageManager.APT]: ['g++', 'make', 'cmake', 'unzip', 'autoconf', 'automake', 'libtool', 'xz-utils', 'libcurl4-openssl-dev', 'python3'],
  [SystemPackageManager.DNF]: ['gcc-c++', 'make', 'cmake', 'unzip', 'autoconf', 'automake', 'libtool', 'xz', 'libcurl-devel', 'python3'],
  [SystemPackageManager.NONE]: [],
};

interface Installer {
  /** Cache directory mounted with `--mount=type=cache` (never in a layer) and the variable that points the tool at it. */
  readonly cache: string;
  readonly cacheVariable: string;
  readonly production: string;
  readonly all: string;
}

const INSTALLERS: { [tool: string]: Installer } = {
  [InstallTool.NPM]: {
    cache: '/tmp/.npm-cache',
    cacheVariable: 'NPM_CONFIG_CACHE',
    production: 'npm ci --omit=dev --no-audit --no-fund',
    all: 'npm ci --no-audit --no-fund',
  },
  [InstallTool.YARN]: {
    cache: '/tmp/.yarn-cache',
    cacheVariable: 'YARN_CACHE_FOLDER',
    production: 'corepack yarn install --frozen-lockfile --production --non-interactive',
    all: 'corepack yarn install --frozen-lockfile --non-interactive',
  },
  [InstallTool.PNPM]: {
    cache: '/tmp/.pnpm-store',
    cacheVariable: 'NPM_CONFIG_STORE_DIR',
    production: 'corepack pnpm install --frozen-lockfile --prod',
    all: 'corepack pnpm install --frozen-lockfile',
  },
};

/**
 * Node.js: production dependencies in a `deps` stage; with a build command, a `build` stage
 * installs all dependencies (dev included), builds, and only its output reaches the final image.
 */
export function nodeParts(spec: GeneratorSpec): RuntimeParts {
  const stages: Stage[] = [];
  const copies: string[] = [];
  const setup: string[] = [];
  const root = taskRootRef(spec.base);
  const installer = INSTALLERS[spec.project.tool];
  const install = (command: string) => installRun(
    secretMounts(spec.secrets) + ` --mount=type=cache,target=${installer.cache},id=ccf-${spec.project.tool},sharing=locked`,
    [`${installer.cacheVariable}=${installer.cache}`, ...(command.startsWith('corepack') ? ['COREPACK_ENABLE_DOWNLOAD_PROMPT=0'] : []),
      ...secretEnv(spec.secrets, 'npm')],
    command);

  if (installer) {
    stages.push({
      name: 'deps',
      from: spec.base.image,
      lines: [
        ...systemPackagesRun(spec.base, spec.systemPackages),
        'WORKDIR /build',
        ...copyManifests(spec.project.manifests),
        ...install(installer.production),
      ],
    });
    copies.push(`COPY --from=deps /build/node_modules/ ${root}/node_modules/`);
  }

  if (spec.buildCommand) {
    const lines = [...systemPackagesRun(spec.base, spec.systemPackages), 'WORKDIR /build'];
    if (installer) lines.push(...copyManifests(spec.project.manifests), ...install(installer.all));
    lines.push('COPY . .', `RUN ${spec.buildCommand}`);
    // Without a buildOutput the whole build directory is copied: drop the dev dependencies first.
    if (!spec.buildOutput) lines.push('RUN rm -rf node_modules');
    stages.push({ name: 'build', from: spec.base.image, lines });
  }

  let entrypoint: string[] | undefined;
  if (!spec.base.includesRuntimeInterfaceClient) {
    const npm = INSTALLERS[InstallTool.NPM];
    stages.push({
      name: 'ric',
      from: spec.base.image,
      lines: [
        ...systemPackagesRun(spec.base, [...RIC_BUILD_PACKAGES[spec.base.packageManager], ...spec.systemPackages]),
        `WORKDIR ${RIC_DIR}`,
        ...installRun(secretMounts(spec.secrets) + ` --mount=type=cache,target=${npm.cache},id=ccf-npm,sharing=locked`,
          [`${npm.cacheVariable}=${npm.cache}`, ...secretEnv(spec.secrets, 'npm')],
          `npm install --omit=dev --no-audit --no-fund --no-package-lock aws-lambda-ric@${spec.base.runtimeInterfaceClientVersion}`),
      ],
    });
    setup.push(`COPY --from=ric ${RIC_DIR}/node_modules/ ${RIC_DIR}/node_modules/`);
    entrypoint = ['node', `${RIC_DIR}/node_modules/aws-lambda-ric/bin/index.mjs`];
  }

  // A buildOutput holds only compiled code: bring package.json along, Node reads its "type" field.
  if (spec.buildCommand && spec.buildOutput && spec.project.manifests.includes('package.json')) {
    copies.push(`COPY package.json ${root}/package.json`);
  }
  copies.push(copyCode(spec));
  return { stages, copies, setup, entrypoint };
}
