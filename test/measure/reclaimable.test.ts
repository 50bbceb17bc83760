import fc from 'fast-check';
import { LayerEntry } from '../../lib/measure/image-archive';
import { reclaimableBytesPerLayer } from '../../lib/measure/reclaimable';

const file = (path: string, size: number): LayerEntry => ({ path, kind: 'file', size });
const whiteout = (path: string): LayerEntry => ({ path, kind: 'whiteout', size: 0 });
const opaque = (path: string): LayerEntry => ({ path, kind: 'opaque', size: 0 });

describe('reclaimable bytes: superseded copies only', () => {
  test('a file written then deleted: its size once, on the layer that wrote it (dive would count it twice)', () => {
    expect(reclaimableBytesPerLayer([[file('tmp/big', 50)], [whiteout('tmp/big')]])).toEqual([50, 0]);
  });

  test('a file overwritten: the lower copy is reclaimable, the kept copy is not', () => {
    expect(reclaimableBytesPerLayer([[file('a', 10)], [file('a', 12)], [file('a', 7)]])).toEqual([10, 12, 0]);
  });

  test('a deleted directory takes everything below it; a sibling with a common prefix stays', () => {
    expect(reclaimableBytesPerLayer([[file('d/x', 1), file('d/y/z', 2), file('dd/k', 4)], [whiteout('d')]])).toEqual([3, 0]);
  });

  test('an opaque directory hides lower content, not the content its own layer writes', () => {
    expect(reclaimableBytesPerLayer([[file('cache/a', 5), file('keep', 1)], [opaque('cache'), file('cache/b', 3)]])).toEqual([5, 0]);
  });

  test('a top-level opaque marker hides every lower path', () => {
    expect(reclaimableBytesPerLayer([[file('a', 5), file('b/c', 6)], [opaque('')]])).toEqual([11, 0]);
  });

  test('untouched files are never reclaimable', () => {
    expect(reclaimableBytesPerLayer([[file('a', 5)], [file('b', 6)]])).toEqual([0, 0]);
  });

  test('any layers: reclaimable bytes never exceed the bytes written, and equal written minus visible', () => {
    const path = fc.constantFrom('a', 'b', 'd/x', 'd/y', 'd/y/z', 'e');
    const entry = fc.oneof(
      fc.record({ path, kind: fc.constant<'file'>('file'), size: fc.nat(1000) }),
      fc.record({ path, kind: fc.constant<'whiteout'>('whiteout'), size: fc.constant(0) }),
    );
    fc.assert(fc.property(fc.array(fc.array(entry, { maxLength: 6 }), { maxLength: 6 }), layers => {
      // Within one layer a path appears once (a tar layer is a diff, not a log).
      const diffs = layers.map(l => [...new Map(l.map(e => [e.path, e])).values()]);
      const perLayer = reclaimableBytesPerLayer(diffs);
      const written = diffs.flat().filter(e => e.kind === 'file').reduce((s, e) => s + e.size, 0);
      const total = perLayer.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(written);
      expect(total).toBe(written - visibleBytes(diffs));
    }));
  });
});

/** A direct model: replay the layers onto a file system and sum what is left. */
function visibleBytes(layers: LayerEntry[][]): number {
  const fsState = new Map<string, number>();
  for (const layer of layers) {
    for (const e of layer) {
      if (e.kind !== 'whiteout') continue;
      for (const p of [...fsState.keys()]) if (p === e.path || p.startsWith(`${e.path}/`)) fsState.delete(p);
    }
    for (const e of layer) if (e.kind === 'file') fsState.set(e.path, e.size);
  }
  return [...fsState.values()].reduce((a, b) => a + b, 0);
}
