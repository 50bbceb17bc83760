import { PassThrough } from 'stream';
import { runWithProgress } from '../../lib/assembly/progress';

function sink(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', d => { text += d; });
  return { stream, text: () => text };
}

describe('runWithProgress', () => {
  test('not a terminal: one plain line per state; a failure does not stop the others; results keep their order', async () => {
    const out = sink(false);
    const results = await runWithProgress([
      { title: 'App/A', run: async p => { p.building(); return { value: 1, summary: 'measured 10 MB' }; } },
      { title: 'App/B', run: async () => { throw new Error('docker build exited with code 1:\ntail'); } },
      { title: 'App/C', run: async p => { p.cached('unchanged'); return { value: 3, summary: 'cached 5 MB' }; } },
    ], { stream: out.stream });
    expect(results).toEqual([{ ok: true, value: 1 }, { ok: false, error: expect.any(Error) }, { ok: true, value: 3 }]);
    expect(out.text().split('\n').map(l => l.replace(/ in \d+\.\d s$/, ' in N s'))).toEqual([
      'App/A: queued',
      'App/B: queued',
      'App/C: queued',
      'App/A: building…',
      'App/A: measured 10 MB in N s',
      'App/B: failed: docker build exited with code 1:',
      'App/C: cached (unchanged)',
      'App/C: cached 5 MB',
      '',
    ]);
  });

  test('an error that already names the item is not prefixed twice', async () => {
    const out = sink(false);
    await runWithProgress([{ title: 'App/B', run: async () => { throw new Error('App/B: image x is not built yet.'); } }], { stream: out.stream });
    expect(out.text()).toContain('App/B: failed: image x is not built yet.\n');
    expect(out.text()).not.toContain('App/B: failed: App/B:');
  });

  test('in a terminal (listr2): every item runs and reports its result', async () => {
    const results = await runWithProgress([
      { title: 'one', run: async p => { p.building('building'); return { value: 'a', summary: 'done' }; } },
      { title: 'two', run: async () => { throw new Error('boom'); } },
    ], { interactive: true, concurrency: 2 });
    expect(results).toEqual([{ ok: true, value: 'a' }, { ok: false, error: new Error('boom') }]);
  });
});
