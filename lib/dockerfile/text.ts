import { LambdaBaseImage, SystemPackageManager } from './base-image';
import { BuildSecretKind, SourceBuildSecret } from './build-secret';

/** Where the final stage copies code: `${LAMBDA_TASK_ROOT}` on AWS bases, the literal task root on custom ones. */
export function taskRootRef(base: LambdaBaseImage): string {
  return base.isCustom ? base.taskRoot : '${LAMBDA_TASK_ROOT}';
}

/** JSON form (exec form) of CMD/ENTRYPOINT. */
export function execForm(args: string[]): string {
  return JSON.stringify(args);
}

/** A RUN line installing system packages, cleaning the package manager's cache in the same layer. */
export function systemPackagesRun(base: LambdaBaseImage, packages: string[]): string[] {
  return packagesRun(base.packageManager, packages, base.image);
}

/** As systemPackagesRun, for a stage whose image is not the base (e.g. the Debian-based golang image). */
export function packagesRun(manager: SystemPackageManager, packages: string[], image: string): string[] {
  if (packages.length === 0) return [];
  const list = packages.join(' ');
  switch (manager) {
    case SystemPackageManager.DNF:
      return [`RUN dnf install -y ${list} && dnf clean all && rm -rf /var/cache/dnf /var/cache/yum`];
    case SystemPackageManager.APT:
      return ['RUN apt-get update \\',
        ` && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${list} \\`,
        ' && rm -rf /var/lib/apt/lists/*'];
    case SystemPackageManager.NONE:
      throw new Error(`base ${image} has no package manager, so systemPackages cannot be installed. Remove them or use a base with dnf or apt.`);
  }
}

/** Tools whose install steps receive secrets, for secret-to-variable mapping. */
export type SecretConsumer = 'npm' | 'pip' | 'maven' | 'gradle' | 'go' | 'cargo';

const MOUNT_DIR = '/run/secrets';

/** `--mount=type=secret,...` flags for a RUN line (one per secret, sorted by id for determinism). */
export function secretMounts(secrets: SourceBuildSecret[]): string {
  return [...secrets].sort(byId).map(s => ` --mount=type=secret,id=${s.id}`).join('');
}

/**
 * Shell variable assignments (prefixing the install command, so they live for that command only)
 * that point the tool at the mounted secrets. Values are paths or `$(cat path)`: the secret's
 * content never appears in the Dockerfile, the image config or `docker history`.
 */
export function secretEnv(secrets: SourceBuildSecret[], tool: SecretConsumer): string[] {
  const env: string[] = [];
  for (const s of [...secrets].sort(byId)) {
    const p = `${MOUNT_DIR}/${s.id}`;
    switch (s.kind) {
      case BuildSecretKind.NPMRC:
        if (tool === 'npm') env.push(`NPM_CONFIG_USERCONFIG=${p}`);
        break;
      case BuildSecretKind.CA_BUNDLE:
        if (tool === 'npm') env.push(`NPM_CONFIG_CAFILE=${p}`);
        if (tool === 'pip') env.push(`PIP_CERT=${p}`);
        if (tool === 'cargo') env.push(`CARGO_HTTP_CAINFO=${p}`);
        if (tool === 'go') env.push(`SSL_CERT_FILE=${p}`);
        break;
      case BuildSecretKind.PIP_INDEX_URL:
        if (tool === 'pip') env.push(`PIP_INDEX_URL="$(cat ${p})"`);
        break;
      case BuildSecretKind.PIP_CONFIG:
        if (tool === 'pip') env.push(`PIP_CONFIG_FILE=${p}`);
        break;
      case BuildSecretKind.MAVEN_SETTINGS:
        // consumed as `mvn -s`, see mavenSettingsFlag()
        break;
      case BuildSecretKind.FILE:
        if (s.pathVariable) env.push(`${s.pathVariable}=${p}`);
        break;
    }
  }
  return env;
}

export function mavenSettingsFlag(secrets: SourceBuildSecret[]): string {
  const s = secrets.find(x => x.kind === BuildSecretKind.MAVEN_SETTINGS);
  return s ? ` -s ${MOUNT_DIR}/${s.id}` : '';
}

/**
 * One install RUN: mounts (secrets and caches), then `VAR=... command`. Multi-line with
 * continuations so the text stays readable.
 */
export function installRun(mounts: string, env: string[], command: string): string[] {
  if (!mounts && env.length === 0) return [`RUN ${command}`];
  const prefix = env.length > 0 ? env.join(' ') + ' \\\n    ' : '';
  return [`RUN${mounts} \\\n    ${prefix}${command}`];
}

/** ENV lines for the final image, sorted by key; values quoted so spaces and `$` are literal. */
export function envLines(environment: { [key: string]: string }): string[] {
  return Object.keys(environment).sort().map(k => `ENV ${k}=${quote(environment[k])}`);
}

function quote(v: string): string {
  // Line breaks are rejected by the generator; inside double quotes Docker unescapes \\, \" and \$.
  return '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$') + '"';
}

function byId(a: SourceBuildSecret, b: SourceBuildSecret): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
