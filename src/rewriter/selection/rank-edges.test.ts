import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rankEdges } from './rank-edges.js';
import { edge, fleet, segmentKey } from './test-support/fleet.js';

const ids = (edges: readonly { id: string }[]): string[] => edges.map((e) => e.id);

describe('rankEdges', () => {
  it('ranks the same key the same way whatever the order of the edges', () => {
    const edges = [...fleet(6), edge('heavy', { weight: 3 }), edge('light', { weight: 0.5 })];
    fc.assert(
      fc.property(fc.string(), fc.shuffledSubarray(edges, { minLength: edges.length }), (key, shuffled) => {
        expect(ids(rankEdges(key, shuffled))).toEqual(ids(rankEdges(key, edges)));
      }),
    );
  });

  it('gives different keys different first choices', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, i) => rankEdges(segmentKey(i), fleet(8))[0]?.id));
    expect(firsts.size).toBe(8);
  });

  it('splits keys in proportion to weight (1:1:2 -> 25/25/50)', () => {
    const edges = [edge('a'), edge('b'), edge('c', { weight: 2 })];
    const keys = 100_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < keys; i += 1) {
      const first = rankEdges(segmentKey(i), edges)[0]!.id;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(Math.abs((counts.get('a') ?? 0) / keys - 0.25)).toBeLessThan(0.02);
    expect(Math.abs((counts.get('b') ?? 0) / keys - 0.25)).toBeLessThan(0.02);
    expect(Math.abs((counts.get('c') ?? 0) / keys - 0.5)).toBeLessThan(0.02);
  });

  it('leaves out draining edges and edges without a usable weight', () => {
    const edges = [
      edge('ok'),
      edge('draining', { state: 'draining' }),
      edge('zero', { weight: 0 }),
      edge('negative', { weight: -1 }),
      edge('nan', { weight: Number.NaN }),
      edge('infinite', { weight: Infinity }),
    ];
    for (let i = 0; i < 50; i += 1) expect(ids(rankEdges(segmentKey(i), edges))).toEqual(['ok']);
  });

  it('returns an empty ranking for an empty fleet', () => {
    expect(rankEdges('k', [])).toEqual([]);
  });

  it('keeps the first occurrence of a repeated id', () => {
    const first = edge('dup', { weight: 1, zone: 'first' });
    const second = edge('dup', { weight: 5, zone: 'second' });
    const ranked = rankEdges('k', [first, edge('other'), second]);
    expect(ranked).toHaveLength(2);
    expect(ranked).toContain(first);
    expect(ranked).not.toContain(second);
  });

  it('returns the caller objects, not copies', () => {
    const edges = fleet(3);
    for (const ranked of rankEdges('k', edges)) expect(edges).toContain(ranked);
  });
});

describe('rankEdges when the fleet changes', () => {
  const keys = 100_000;
  const firstChoices = (edges: ReturnType<typeof fleet>): string[] =>
    Array.from({ length: keys }, (_, i) => rankEdges(segmentKey(i), edges)[0]!.id);

  const tenEdges = fleet(10);
  let before: string[] = [];
  beforeAll(() => {
    before = firstChoices(tenEdges);
  });

  it('moves about 1/11 of keys when an 11th edge joins, all of them to the new edge', () => {
    const after = firstChoices([...tenEdges, edge('newcomer')]);
    let moved = 0;
    let movedElsewhere = 0;
    for (let i = 0; i < keys; i += 1) {
      if (after[i] === before[i]) continue;
      moved += 1;
      if (after[i] !== 'newcomer') movedElsewhere += 1;
    }
    expect(movedElsewhere).toBe(0);
    expect(moved / keys).toBeGreaterThan(0.07);
    expect(moved / keys).toBeLessThan(0.11);
  });

  it('moves only the leaving edge keys when an edge leaves', () => {
    const after = firstChoices(tenEdges.filter((e) => e.id !== 'edge-3'));
    let moved = 0;
    let othersMoved = 0;
    for (let i = 0; i < keys; i += 1) {
      if (before[i] === 'edge-3') moved += 1;
      else if (after[i] !== before[i]) othersMoved += 1;
    }
    expect(after).not.toContain('edge-3');
    expect(othersMoved).toBe(0);
    expect(moved / keys).toBeGreaterThan(0.08);
    expect(moved / keys).toBeLessThan(0.12);
  });

  it('sends a leaving edge keys to their former second choice', () => {
    for (let i = 0; i < 2_000; i += 1) {
      const ranking = rankEdges(segmentKey(i), tenEdges);
      const withoutFirst = rankEdges(
        segmentKey(i),
        tenEdges.filter((e) => e.id !== ranking[0]!.id),
      );
      expect(ids(withoutFirst)).toEqual(ids(ranking.slice(1)));
    }
  });
});
