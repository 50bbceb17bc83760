// ContentBuilds' bookkeeping with a recording Docker client: what is built and removed, and when.
import * as fs from 'fs';
import * as path from 'path';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { ContentBuilds } from '../../../lib/local/watch/content-rebuild';
import { ContextScope } from '../../../lib/local/watch/watch-scope';
import { tempDir } from '../../support/temp-dir';

const calls: string[] = [];
/** Builds wait here until the test lets them finish. */
let holdBuilds: Promise<void> = Promise.resolve();

jest.mock('../../../lib/docker', () => ({
  runDocker: async (args: string[]) => {
    calls.push(args.join(' '));
    if (args[0] === 'build') await holdBuilds;
    return { code: 0, stdout: '', stderr: '' };
  },
  inspectImage: async () => ({ id: 'sha256:2', architecture: 'amd64', entrypoint: [], cmd: ['index.handler'], workingDir: '/var/task', env: [] }),
}));
jest.mock('../../../lib/local/functions/local-function', () => ({
  LocalFunction: {
    prepare: async (o: { fn: unknown; imageInfo: unknown }) => ({ o, spec: o.fn, imageInfo: o.imageInfo, attachDebugger: () => undefined }),
  },
}));

function lastFunction(): { fn: LocalFunction; context: ContextScope } {
  const last = tempDir('ccf-content-builds-last-');
  fs.writeFileSync(path.join(last, 'Dockerfile'), 'FROM base\nCOPY index.js /var/task/\n');
  fs.writeFileSync(path.join(last, 'index.js'), 'one');
  const user = tempDir('ccf-content-builds-user-');
  fs.writeFileSync(path.join(user, 'index.js'), 'two');
  const spec = { path: 'S/Fn', image: { kind: 'asset', asset: { id: 'abc', source: { directory: 'asset.abc' }, baseDirectory: last } } };
  const fn = { o: { fn: spec, image: 'cdkasset-abc', buildContext: { directory: last, dockerfile: 'Dockerfile' } }, spec, imageInfo: { env: [] } } as unknown as LocalFunction;
  return { fn, context: { directory: user } as unknown as ContextScope };
}

const removed = () => calls.filter(c => c.startsWith('image rm')).map(c => c.split(' ').pop());

/** Holds the builds that start from now on; the returned function lets them finish. */
function holdNextBuilds(): () => void {
  let finish!: () => void;
  holdBuilds = new Promise(r => { finish = r; });
  return finish;
}

describe('ContentBuilds: images built behind a copied edit', () => {
  beforeEach(() => { calls.length = 0; holdBuilds = Promise.resolve(); });

  test('rebuildLater: the function at once, with the edit staged; new environments wait for build()', async () => {
    const builds = new ContentBuilds();
    const { fn, context } = lastFunction();
    const finish = holdNextBuilds();
    const later = await builds.rebuildLater(fn, context, ['index.js']);
    const staged = later.fresh.o.buildContext!.directory;
    expect(fs.readFileSync(path.join(staged, 'index.js'), 'utf8')).toBe('two');
    expect(calls).toEqual([]);
    let ready = false;
    void later.fresh.o.imageReady!.then(() => { ready = true; });
    const building = later.build();
    await new Promise(r => setTimeout(r, 10));
    expect(ready).toBe(false);
    finish();
    await building;
    await new Promise(r => setTimeout(r, 0));
    expect(ready).toBe(true);
    expect(calls.filter(c => c.startsWith('build '))).toHaveLength(1);
    await builds.removeAll();
  });

  test('retire waits for a build under way (it would tag the image after its removal), then removes image and copy', async () => {
    const builds = new ContentBuilds();
    const { fn, context } = lastFunction();
    const finish = holdNextBuilds();
    const later = await builds.rebuildLater(fn, context, ['index.js']);
    const building = later.build();
    const retiring = builds.retire(later.fresh);
    await new Promise(r => setTimeout(r, 10));
    expect(removed()).toEqual([]);
    finish();
    await Promise.all([building, retiring]);
    expect(removed()).toEqual([later.fresh.o.image]);
    expect(fs.existsSync(later.fresh.o.buildContext!.directory)).toBe(false);
  });

  test('cancel: a function whose image will not be built after all is retired without waiting for one', async () => {
    const builds = new ContentBuilds();
    const { fn, context } = lastFunction();
    const later = await builds.rebuildLater(fn, context, ['index.js']);
    later.cancel();
    await expect(later.fresh.o.imageReady).rejects.toThrow(/was not built/);
    await builds.retire(later.fresh);
    expect(removed()).toEqual([later.fresh.o.image]);
  });

  test('handOver: the image an adopted environment still runs goes with the new function, not with the old', async () => {
    const builds = new ContentBuilds();
    const { fn, context } = lastFunction();
    const first = await builds.rebuildLater(fn, context, ['index.js']);
    await first.build();
    const second = await builds.rebuildLater(first.fresh, context, ['index.js']);
    await second.build();
    builds.handOver(first.fresh, second.fresh);
    await builds.retire(first.fresh);
    expect(removed()).toEqual([]);
    await builds.retire(second.fresh);
    expect(removed()).toEqual([second.fresh.o.image, first.fresh.o.image]);
    expect(fs.existsSync(first.fresh.o.buildContext!.directory)).toBe(false);
  });
});
