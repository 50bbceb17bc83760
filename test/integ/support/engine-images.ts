/**
 * What the tests may leave in the user's Docker engine, and the check that they leave nothing else.
 *
 * Kept between runs, on purpose (built once, reused; each tag carries a hash of its inputs): the stand-in bases
 * (`ccf-standin/*`), the local-runtime test functions (`ccf-local-fixture/*`) and the Debian base they are built from
 * (`local/debian:bookworm`, made only where absent). `docker images 'ccf-*'` lists them; `docker rmi` removes them.
 *
 * Borrowed: an AWS base image name (`public.ecr.aws/lambda/...`) is tagged (or pulled) only while it is absent, and the
 * suite's teardown removes it again, so the user's own `FROM public.ecr.aws/lambda/...` never builds on a stand-in.
 */
import { spawnSync } from 'child_process';
import { DOCKER } from './provision';

/** Repositories the suite keeps as caches (see above). */
const CACHE_REPOSITORY = /^(ccf-standin|ccf-local-fixture)\/|^local\/debian$/;
/** Names the suite may borrow while they are absent. */
const BORROWABLE = /^public\.ecr\.aws\/lambda\//;

/** `repository:tag` → image id, for every tagged image; undefined when no engine answers. */
export type ImageTags = Record<string, string>;

export function imageTags(): ImageTags | undefined {
  const r = spawnSync(DOCKER, ['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  const tags: ImageTags = {};
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [name, id] = line.split(' ');
    if (!name.includes('<none>')) tags[name] = id;
  }
  return tags;
}

function untag(name: string): void {
  spawnSync(DOCKER, ['image', 'rm', name], { encoding: 'utf8', timeout: 60_000 });
}

/**
 * Before a run: an AWS base name that points at one of the suite's own images was borrowed by a run that was killed
 * before its teardown. It was absent before that run, so it is removed. Returns the names removed.
 */
export function removeLeftoverBorrowedNames(tags: ImageTags): string[] {
  const ours = new Set(Object.entries(tags).filter(([name]) => CACHE_REPOSITORY.test(name.replace(/:[^:]*$/, ''))).map(([, id]) => id));
  const leftovers = Object.keys(tags).filter(name => BORROWABLE.test(name) && ours.has(tags[name]));
  leftovers.forEach(untag);
  return leftovers;
}

/** After a run: removes the AWS base names that were absent before it. Returns the names removed. */
export function returnBorrowedNames(before: ImageTags, after: ImageTags): string[] {
  const borrowed = Object.keys(after).filter(name => BORROWABLE.test(name) && !(name in before));
  borrowed.forEach(untag);
  return borrowed;
}

/** Every tag that appeared, disappeared or points at another image, apart from the suite's caches. */
export function tagChanges(before: ImageTags, after: ImageTags): string[] {
  const cache = (name: string) => CACHE_REPOSITORY.test(name.replace(/:[^:]*$/, ''));
  const changes: string[] = [];
  for (const [name, id] of Object.entries(after)) {
    if (cache(name)) continue;
    if (!(name in before)) changes.push(`added ${name}`);
    else if (before[name] !== id) changes.push(`moved ${name} (${before[name].slice(7, 19)} -> ${id.slice(7, 19)})`);
  }
  for (const name of Object.keys(before)) if (!cache(name) && !(name in after)) changes.push(`removed ${name}`);
  return changes.sort();
}
