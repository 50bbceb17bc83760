import { runSynchronously } from '../../lib/measure/sync-worker';

// Each function below runs from its source text in a worker: it may use only its arguments and globals.
describe('runSynchronously: an async function awaited from synchronous code', () => {
  test('returns what the function resolves to, after real asynchronous work', () => {
    const result = runSynchronously(async (arg: { n: number }) => {
      await new Promise(resolve => setTimeout(resolve, 200));
      return { doubled: arg.n * 2, list: [arg.n] };
    }, { n: 21 });
    expect(result).toEqual({ doubled: 42, list: [21] });
  });

  test('the function can load modules through the loader it is given', () => {
    expect(runSynchronously(async (name: string, load) => load('path').join('a', name), 'b')).toBe('a/b');
  });

  test('an error the function throws is thrown here with its message', () => {
    expect(() => runSynchronously(async () => { throw new Error('layer 3 is not a tar'); }, null)).toThrow('layer 3 is not a tar');
  });

  test('a function that never settles and reports no progress is given up on', () => {
    expect(() => runSynchronously(() => new Promise<never>(() => { setInterval(() => undefined, 1000); }), null, { stallMs: 1500 }))
      .toThrow(/a worker made no progress for 2 s and was stopped/);
  });

  test('a function that reports progress may take longer than the stall limit', () => {
    const result = runSynchronously(async (_arg: null, _load, progress) => {
      for (let i = 0; i < 10; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
        progress();
      }
      return 'done';
    }, null, { stallMs: 1200 });
    expect(result).toBe('done');
  });
});
