import * as fs from 'fs';
import * as path from 'path';
import { BaseImageFamily } from './base-image';
import { DetectedProject, InstallTool } from './project';

/** Manifests that identify a language family (used to detect manifests that do not fit the base). */
const FAMILY_MANIFESTS: { [file: string]: BaseImageFamily } = {
  'requirements.txt': BaseImageFamily.PYTHON,
  'pyproject.toml': BaseImageFamily.PYTHON,
  'Pipfile': BaseImageFamily.PYTHON,
  'package.json': BaseImageFamily.NODEJS,
  'pom.xml': BaseImageFamily.JAVA,
  'build.gradle': BaseImageFamily.JAVA,
  'build.gradle.kts': BaseImageFamily.JAVA,
  'go.mod': BaseImageFamily.PROVIDED,
  'Cargo.toml': BaseImageFamily.PROVIDED,
};

const NODE_LOCKS: { [file: string]: InstallTool } = {
  'package-lock.json': InstallTool.NPM,
  'yarn.lock': InstallTool.YARN,
  'pnpm-lock.yaml': InstallTool.PNPM,
};

/**
 * Finds the dependency manifests of a source directory for a base family.
 * Throws an Error (message without the construct path) that says the fix.
 *
 * @param isExcluded files the `.dockerignore` excludes are invisible here, as they are to Docker
 */
export function detectProject(directory: string, family: BaseImageFamily, isExcluded: (p: string) => boolean): DetectedProject {
  const has = (p: string) => !isExcluded(p) && fs.existsSync(path.join(directory, p));

  for (const [file, owner] of Object.entries(FAMILY_MANIFESTS)) {
    if (owner !== family && has(file)) {
      throw new Error(`${file} is a ${owner} manifest but the base is a ${family} image. `
        + `Choose a ${owner} base, or add '${file}' to the exclude option if it is not the function's.`);
    }
  }

  switch (family) {
    case BaseImageFamily.PYTHON: return detectPython(directory, has);
    case BaseImageFamily.NODEJS: return detectNode(directory, has);
    case BaseImageFamily.JAVA: return detectJava(has);
    case BaseImageFamily.PROVIDED: return detectProvided(has);
  }
}

function detectPython(directory: string, has: (p: string) => boolean): DetectedProject {
  if (!has('requirements.txt')) {
    for (const other of ['pyproject.toml', 'Pipfile']) {
      if (has(other)) {
        throw new Error(`${other} is not supported without a requirements.txt. Export pinned requirements `
          + '(e.g. `uv export --no-hashes -o requirements.txt` or `poetry export -o requirements.txt`) into the directory.');
      }
    }
    return { tool: InstallTool.NONE, manifests: [], localPackages: [] };
  }
  const manifests: string[] = [];
  const localPackages: string[] = [];
  readRequirements(directory, 'requirements.txt', has, manifests, localPackages);
  return { tool: InstallTool.PIP, manifests, localPackages: [...new Set(localPackages)] };
}

/** Follows `-r`/`-c` includes and collects local package paths (`./pkg`, `-e ./pkg`, `name @ file:./pkg`). */
function readRequirements(directory: string, file: string, has: (p: string) => boolean, manifests: string[], local: string[]) {
  if (manifests.includes(file)) return;
  if (!has(file)) {
    throw new Error(`requirements file ${file} (included from requirements.txt) is missing. Add it or remove the include.`);
  }
  manifests.push(file);
  const text = fs.readFileSync(path.join(directory, file), 'utf8');
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)$/.exec(line);
    if (include) {
      readRequirements(directory, inside(path.posix.join(path.posix.dirname(file), include[1]), file), has, manifests, local);
      continue;
    }
    if (/^(-e|--editable)\s/.test(line)) {
      throw new Error(`${file}: "${line}" is an editable install, which points into a build directory the image does not have. `
        + 'Drop the -e (install the package normally).');
    }
    const pathRef = /^(\.{1,2}\/\S*)$/.exec(line) ?? /@\s*file:(?:\/\/)?(\.{1,2}\/\S*)$/.exec(line);
    if (pathRef) {
      const rel = inside(pathRef[1].replace(/\/+$/, ''), file);
      if (!has(rel)) throw new Error(`${file} refers to ${pathRef[1]}, which is not in the directory (or is excluded). Add it or fix the line.`);
      local.push(rel);
    }
  }
}

/** Normalises a relative path and rejects paths that leave the source directory. */
function inside(rel: string, from: string): string {
  const norm = path.posix.normalize(rel);
  if (norm.startsWith('..') || path.posix.isAbsolute(norm)) {
    throw new Error(`${from} refers to ${rel}, outside the source directory. Move the package into the directory.`);
  }
  return norm;
}

function detectNode(directory: string, has: (p: string) => boolean): DetectedProject {
  const locks = Object.keys(NODE_LOCKS).filter(has);
  if (!has('package.json')) {
    if (locks.length > 0) throw new Error(`${locks[0]} without package.json. Add package.json or remove the lock file.`);
    return { tool: InstallTool.NONE, manifests: [], localPackages: [] };
  }
  if (locks.length === 0) {
    throw new Error('package.json has no lock file, so installs are not reproducible. '
      + 'Run `npm install` to create package-lock.json (or use yarn.lock / pnpm-lock.yaml).');
  }
  if (locks.length > 1) {
    // package.json's "packageManager" (corepack) says which one the project means.
    const declared = declaredPackageManager(directory);
    const keep = locks.find(l => declared !== undefined && NODE_LOCKS[l] === declared);
    const advice = keep
      ? `package.json declares packageManager ${declared}: keep ${keep} and delete ${locks.filter(l => l !== keep).join(' and ')}`
      : 'Keep the lock file of the manager you use and delete the other';
    throw new Error(`found ${locks.join(' and ')}: one package manager per function. ${advice} (or add it to the exclude option).`);
  }
  const manifests = ['package.json', locks[0]];
  // A project-level .npmrc holds registry settings (tokens belong in a build secret, not here).
  if (has('.npmrc')) manifests.push('.npmrc');
  if (locks[0] === 'yarn.lock' && has('.yarnrc.yml')) manifests.push('.yarnrc.yml');
  return { tool: NODE_LOCKS[locks[0]], manifests, localPackages: [] };
}

function detectJava(has: (p: string) => boolean): DetectedProject {
  const maven = has('pom.xml');
  const gradle = ['build.gradle', 'build.gradle.kts'].filter(has);
  if (maven && gradle.length > 0) {
    throw new Error(`found pom.xml and ${gradle[0]}: one build tool per function. Keep the one you build with.`);
  }
  if (maven) return { tool: InstallTool.MAVEN, manifests: ['pom.xml'], localPackages: [] };
  if (gradle.length > 0) {
    const extras = ['settings.gradle', 'settings.gradle.kts', 'gradle.properties'].filter(has);
    return { tool: InstallTool.GRADLE, manifests: [...gradle, ...extras], localPackages: [] };
  }
  throw new Error('a Java function needs pom.xml or build.gradle(.kts) in the directory. Add one, or build the jar yourself and use fromDockerfile().');
}

function detectProvided(has: (p: string) => boolean): DetectedProject {
  const go = has('go.mod');
  const cargo = has('Cargo.toml');
  if (go && cargo) {
    throw new Error('found go.mod and Cargo.toml: one language per function. Keep the one the function is written in.');
  }
  if (go) return { tool: InstallTool.GO, manifests: ['go.mod', ...(has('go.sum') ? ['go.sum'] : [])], localPackages: [] };
  if (cargo) {
    if (!has('Cargo.lock')) throw new Error('Cargo.toml has no Cargo.lock, so builds are not reproducible. Run `cargo generate-lockfile`.');
    return { tool: InstallTool.CARGO, manifests: ['Cargo.toml', 'Cargo.lock'], localPackages: [] };
  }
  return { tool: InstallTool.NONE, manifests: [], localPackages: [] };
}

/** The tool named by package.json's `packageManager` field (`yarn@4.1.0` → yarn), if any. */
function declaredPackageManager(directory: string): InstallTool | undefined {
  try {
    const pm = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')).packageManager;
    const name = typeof pm === 'string' ? pm.split('@')[0] : undefined;
    return Object.values(NODE_LOCKS).find(t => t === name);
  } catch {
    return undefined; // unreadable package.json: npm ci reports it with its own message
  }
}
