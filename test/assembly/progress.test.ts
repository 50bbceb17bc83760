import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { runWithProgress } from '../../lib/assembly/progress';
import { tempDir } from '../support/temp-dir';

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

  // listr2 draws only on a real terminal, and loads its renderer with a dynamic import that jest's VM cannot run: the
  // display is checked on a pseudo-terminal (script(1)) around a plain Node process, frame by frame.
  test('in a terminal (listr2): rows redraw in place, the clock ticks while building, and each row ends with its result', () => {
    const runner = path.join(tempDir('ccf-progress-'), 'run.js');
    fs.writeFileSync(runner, `
const { runWithProgress } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'assembly', 'progress.ts'))});
runWithProgress([
  { title: 'App/One', run: async p => { p.building('building'); await new Promise(r => setTimeout(r, 2300)); return { value: 1, summary: 'measured 10 MB' }; } },
  { title: 'App/Two', run: async p => { p.cached('unchanged'); throw new Error('docker build exited with code 1:\\ntail'); } },
], { interactive: true }).then(r => process.stderr.write('RESULTS ' + JSON.stringify(r) + '\\n'));
`);
    const command = `stty cols 100 rows 30; ${process.execPath} -r ts-node/register/transpile-only ${runner}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TERM: 'xterm' } });
    expect(result.status).toBe(0);
    // Each redraw erases the rows and returns to column 1 (ESC[G); the text after the last one is what stays on screen.
    const frames = result.stdout.split('\x1b[G').map(frame => frame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, ''));
    const rows = (frame: string) => frame.split('\n').filter(line => !line.startsWith('RESULTS')).map(line => line.replace(/^\S+ /, '').trimEnd()).filter(line => line);
    // The elapsed time starts at 0 and is redrawn as it grows (timers may fire late on a loaded machine: 1.x s).
    expect(frames.some(frame => rows(frame).join('|') === 'App/One: building 0.0 s|App/Two: queued')).toBe(true);
    expect(frames.some(frame => /^App\/One: building 1\.\d s\|App\/Two: queued$/.test(rows(frame).join('|')))).toBe(true);
    const last = frames[frames.length - 1];
    expect(rows(last)).toEqual(['App/One: measured 10 MB', 'App/Two: failed: docker build exited with code 1:']);
    expect(last).toMatch(/✔ App\/One/);
    expect(last).toMatch(/✖ App\/Two/);
    // The cursor listr2 hid is shown again, and every item settled.
    expect(result.stdout.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.stdout.lastIndexOf('\x1b[?25l'));
    const settled = JSON.parse(/RESULTS (.*)/.exec(result.stdout)![1]);
    expect(settled).toEqual([{ ok: true, value: 1 }, { ok: false, error: {} }]);
  });
});
