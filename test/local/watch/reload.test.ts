import * as fs from 'fs';
import * as path from 'path';
import { AppAssembly, AppFunction } from '../../../lib/assembly';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { reloadFunctions } from '../../../lib/local/watch/reload';
import { tempDir } from '../../support/temp-dir';

const spec = (constructPath: string, assetId: string, memoryMb = 128) =>
  ({ path: constructPath, memoryMb, image: { kind: 'asset', asset: { id: assetId, source: { directory: `asset.${assetId}` }, baseDirectory: '/out', imageTags: [] } } }) as unknown as AppFunction;
const local = (fn: AppFunction, overrides = {}) =>
  ({ spec: fn, o: { overrides }, debug: undefined, attachDebugger: jest.fn() }) as unknown as LocalFunction;
const APP = {} as AppAssembly;
const OPTS = { build: true, note: () => undefined };

describe('reloadFunctions: only what changed is prepared again', () => {
  test('unchanged: kept as is (no prepare: no build, no inspection); changed, added, removed, settings-only', async () => {
    const same = local(spec('S/Same', 'a'));
    const edited = local(spec('S/Edited', 'b'));
    const settings = local(spec('S/Settings', 'c'));
    const gone = local(spec('S/Gone', 'd'));
    const prepare = jest.fn(async (_app: AppAssembly, chosen: readonly AppFunction[]) => chosen.map(local));
    const r = await reloadFunctions(APP, [spec('S/Same', 'a'), spec('S/Edited', 'b2'), spec('S/Settings', 'c', 256), spec('S/New', 'e')],
      [same, edited, settings, gone], OPTS, prepare);
    expect(prepare.mock.calls.map(([, chosen]) => chosen.map(f => f.path))).toEqual([['S/Edited'], ['S/Settings'], ['S/New']]);
    expect(r.served[0]).toBe(same);
    expect(r.served.map(f => f.spec.path)).toEqual(['S/Same', 'S/Edited', 'S/Settings', 'S/New']);
    expect(r.replaced.map(x => [x.old.spec.path, x.rebuilt])).toEqual([['S/Edited', true], ['S/Settings', false]]);
    expect(r.added.map(f => f.spec.path)).toEqual(['S/New']);
    expect(r.removed).toEqual([gone]);
    expect(r.failed).toEqual([]);
  });

  test('a failed build: that function keeps its last good version; the others go ahead', async () => {
    const a = local(spec('S/A', 'a'));
    const b = local(spec('S/B', 'b'));
    const prepare = jest.fn(async (_app: AppAssembly, chosen: readonly AppFunction[]) => {
      if (chosen[0].path === 'S/A') throw new Error('docker build exited with code 1: exit 7');
      return chosen.map(local);
    });
    const r = await reloadFunctions(APP, [spec('S/A', 'a2'), spec('S/B', 'b2'), spec('S/C', 'c')], [a, b], OPTS, prepare);
    expect(r.failed.map(f => [f.path, f.kept, f.error.message])).toEqual([['S/A', a, 'docker build exited with code 1: exit 7']]);
    expect(r.served[0]).toBe(a);
    expect(r.served.map(f => f.spec.path)).toEqual(['S/A', 'S/B', 'S/C']);
    expect(r.replaced.map(x => x.fresh.spec.path)).toEqual(['S/B']);
  });

  test('the --env-vars file is read again: a function whose values changed is reloaded (same image); the others are kept', async () => {
    const file = path.join(tempDir('ccf-reload-env-'), 'env.json');
    fs.writeFileSync(file, JSON.stringify({ 'S/Changed': { AA: 'two' }, 'S/Same': { AA: 'one' }, 'S/Dropped': {} }));
    const changed = local(spec('S/Changed', 'a'), { AA: 'one' });
    const same = local(spec('S/Same', 'b'), { AA: 'one' });
    const dropped = local(spec('S/Dropped', 'c'), { BB: 'x' });
    const prepare = jest.fn(async (_app: AppAssembly, chosen: readonly AppFunction[]) => chosen.map(f => local(f)));
    const r = await reloadFunctions(APP, [spec('S/Changed', 'a'), spec('S/Same', 'b'), spec('S/Dropped', 'c')],
      [changed, same, dropped], { ...OPTS, envVarsFile: file }, prepare);
    expect(prepare.mock.calls.map(([, chosen]) => chosen.map(f => f.path))).toEqual([['S/Changed'], ['S/Dropped']]);
    expect(r.served[1]).toBe(same);
    expect(r.replaced.map(x => [x.old.spec.path, x.rebuilt])).toEqual([['S/Changed', false], ['S/Dropped', false]]);
  });
});
