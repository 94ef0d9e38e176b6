import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankEdges } from './rank-edges.js';
import { selectEdge } from './select-edge.js';
import { edge, fleet, segmentKey } from './test-support/fleet.js';
import type { EdgeCandidate } from './types.js';

/** A key whose first choice among `edges` is `wantedFirst`, to build load scenarios around it. */
function keyWithFirstChoice(edges: readonly EdgeCandidate[], wantedFirst: string): string {
  for (let i = 0; ; i += 1) {
    if (rankEdges(segmentKey(i), edges)[0]?.id === wantedFirst) return segmentKey(i);
  }
}

/** Same fleet with new loads by id; other edges keep theirs. */
const withLoads = (edges: readonly EdgeCandidate[], loads: Record<string, number>): EdgeCandidate[] =>
  edges.map((e) => ({ ...e, load: loads[e.id] ?? e.load }));

describe('selectEdge', () => {
  it('returns undefined when no edge can take keys', () => {
    expect(selectEdge('k', [])).toBeUndefined();
    expect(selectEdge('k', [edge('a', { state: 'draining' }), edge('b', { weight: 0 })])).toBeUndefined();
    expect(selectEdge('k', [], { zone: 'eu' })).toBeUndefined();
  });

  it('picks the same edge for the same key and fleet, whatever the order', () => {
    const edges = fleet(7).map((e, i) => ({ ...e, load: (i * 37) % 11, weight: 1 + (i % 3) }));
    fc.assert(
      fc.property(fc.string(), fc.shuffledSubarray(edges, { minLength: edges.length }), (key, shuffled) => {
        const a = selectEdge(key, edges);
        const b = selectEdge(key, shuffled);
        expect(b?.edge.id).toBe(a?.edge.id);
        expect(b?.rank).toBe(a?.rank);
      }),
    );
  });

  it('takes the first HRW choice while it is within its bound', () => {
    const edges = withLoads(fleet(4), { 'edge-0': 10, 'edge-1': 10, 'edge-2': 10, 'edge-3': 10 });
    for (let i = 0; i < 100; i += 1) {
      const selection = selectEdge(segmentKey(i), edges);
      expect(selection).toMatchObject({ rank: 0, spilled: false });
      expect(selection?.edge).toBe(rankEdges(segmentKey(i), edges)[0]);
    }
  });

  it('overflows to the second choice when the first is over c x its share', () => {
    const base = fleet(4);
    const key = keyWithFirstChoice(base, 'edge-0');
    const second = rankEdges(key, base)[1]!.id;
    // Total 130 (+1): bound 1.25 x 131 / 4 = 40.9; edge-0 at 101 is over, the rest at 11 fit.
    const edges = withLoads(base, { 'edge-0': 100, 'edge-1': 10, 'edge-2': 10, 'edge-3': 10 });
    expect(selectEdge(key, edges)).toMatchObject({ edge: { id: second }, rank: 1, spilled: false });
  });

  it('accepts an edge that lands exactly on its bound and refuses one just past it', () => {
    const base = fleet(2);
    const key = keyWithFirstChoice(base, 'edge-0');
    // 1.25 x (4 + 3 + 1) / 2 = 5 = 4 + 1.
    expect(selectEdge(key, withLoads(base, { 'edge-0': 4, 'edge-1': 3 }))?.rank).toBe(0);
    // 1.25 x (5 + 3 + 1) / 2 = 5.625 < 5 + 1.
    expect(selectEdge(key, withLoads(base, { 'edge-0': 5, 'edge-1': 3 }))).toMatchObject({
      edge: { id: 'edge-1' },
      rank: 1,
    });
  });

  it('scales the bound with weight', () => {
    const base = [edge('heavy', { weight: 2 }), edge('light')];
    const key = keyWithFirstChoice(base, 'heavy');
    // heavy: 1.25 x 16 x 2/3 = 13.3 >= 11, although 11 is more than half of the total.
    expect(selectEdge(key, withLoads(base, { heavy: 10, light: 5 }))?.edge.id).toBe('heavy');
    // With equal weights the same loads overflow: 1.25 x 16 / 2 = 10 < 11.
    const equal = withLoads([edge('heavy'), edge('light')], { heavy: 10, light: 5 });
    const equalKey = keyWithFirstChoice(equal, 'heavy');
    expect(selectEdge(equalKey, equal)?.edge.id).toBe('light');
  });

  it('never leaves the first choice when the bound is off', () => {
    const edges = withLoads(fleet(5), { 'edge-0': 1_000, 'edge-1': 1_000 });
    for (let i = 0; i < 200; i += 1) {
      const selection = selectEdge(segmentKey(i), edges, { balanceFactor: Infinity });
      expect(selection).toMatchObject({ rank: 0, spilled: false });
      expect(selection?.edge.id).toBe(rankEdges(segmentKey(i), edges)[0]?.id);
    }
  });

  it('keeps a quiet fleet on first choices thanks to minCapacity', () => {
    const idle = fleet(4);
    for (let i = 0; i < 50; i += 1) expect(selectEdge(segmentKey(i), idle)).toMatchObject({ rank: 0, spilled: false });

    const key = keyWithFirstChoice(idle, 'edge-0');
    // Bound 1.25 x 3 / 4 = 0.94, so only the minimum capacity decides.
    const quiet = withLoads(idle, { 'edge-0': 2 });
    expect(selectEdge(key, quiet)?.rank).toBe(1);
    expect(selectEdge(key, quiet, { minCapacity: 3 })?.rank).toBe(0);
  });

  it('spills to the least loaded edge per weight when every edge is over its bound', () => {
    const edges = [edge('a', { load: 3 }), edge('b', { weight: 2, load: 6.5 }), edge('c', { load: 4 })];
    // c = 1, total 13.5 + 1: bounds 3.625 / 7.25 / 3.625, loads + 1 are 4 / 7.5 / 5.
    const options = { balanceFactor: 1, minCapacity: 0 };
    for (let i = 0; i < 30; i += 1) {
      const selection = selectEdge(segmentKey(i), edges, options);
      expect(selection).toMatchObject({ edge: { id: 'a' }, spilled: true });
      expect(selection?.rank).toBe(rankEdges(segmentKey(i), edges).findIndex((e) => e.id === 'a'));
    }
  });

  it('breaks spill ties by HRW rank', () => {
    // Without a minimum capacity an idle fleet is "over" everywhere: equal loads, first choice wins.
    const idle = fleet(4);
    for (let i = 0; i < 30; i += 1) {
      const selection = selectEdge(segmentKey(i), idle, { minCapacity: 0 });
      expect(selection).toMatchObject({ rank: 0, spilled: true });
    }
  });

  it('never chooses a draining or weightless edge, however idle', () => {
    const edges = [
      edge('busy-1', { load: 500 }),
      edge('busy-2', { load: 500 }),
      edge('draining', { state: 'draining' }),
      edge('zero', { weight: 0 }),
    ];
    fc.assert(
      fc.property(fc.string(), (key) => {
        expect(['busy-1', 'busy-2']).toContain(selectEdge(key, edges)?.edge.id);
      }),
    );
  });

  it('reads a negative or non-finite load as 0', () => {
    const base = fleet(3);
    const key = keyWithFirstChoice(base, 'edge-0');
    for (const load of [-50, Number.NaN, Infinity]) {
      const edges = withLoads(base, { 'edge-0': load, 'edge-1': 1, 'edge-2': 1 });
      expect(selectEdge(key, edges)).toMatchObject({ edge: { id: 'edge-0' }, rank: 0, spilled: false });
    }
  });

  it('returns the caller object', () => {
    const edges = fleet(3);
    expect(edges).toContain(selectEdge('k', edges)?.edge);
  });
});

describe('selectEdge zones', () => {
  const edges = [
    edge('eu-1', { zone: 'eu', load: 40 }),
    edge('eu-2', { zone: 'eu', load: 40 }),
    edge('us-1', { zone: 'us' }),
    edge('us-2', { zone: 'us', state: 'draining' }),
    edge('ap-1', { zone: 'ap', state: 'draining' }),
    edge('none'),
  ];

  it('keeps keys in the preferred zone, with bounds relative to that zone alone', () => {
    for (let i = 0; i < 200; i += 1) {
      const selection = selectEdge(segmentKey(i), edges, { zone: 'eu' });
      expect(selection?.edge.zone).toBe('eu');
      // The idle us and unzoned edges do not count: 41 <= 1.25 x 81 / 2.
      expect(selection?.spilled).toBe(false);
    }
  });

  it('uses only the active edges of the zone', () => {
    for (let i = 0; i < 100; i += 1) expect(selectEdge(segmentKey(i), edges, { zone: 'us' })?.edge.id).toBe('us-1');
  });

  it('falls back to every active edge when the zone has none', () => {
    const idle = edges.map((e) => ({ ...e, load: 0 }));
    for (const zone of ['ap', 'nowhere']) {
      const chosen = new Set(Array.from({ length: 300 }, (_, i) => selectEdge(segmentKey(i), idle, { zone })?.edge.id));
      expect([...chosen].sort()).toEqual(['eu-1', 'eu-2', 'none', 'us-1']);
    }
  });

  it('bounds a fallback against the whole fleet', () => {
    // eu at 41 is over 1.25 x 81 / 4 = 25.3 once the idle edges count, so it gets nothing.
    for (let i = 0; i < 200; i += 1) {
      expect(['none', 'us-1']).toContain(selectEdge(segmentKey(i), edges, { zone: 'ap' })?.edge.id);
    }
  });
});
