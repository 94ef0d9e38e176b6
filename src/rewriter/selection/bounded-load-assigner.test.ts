import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedLoadAssigner } from './bounded-load-assigner.js';
import { rankEdges } from './rank-edges.js';
import { selectEdge } from './select-edge.js';
import { edge, fleet, segmentKey } from './test-support/fleet.js';
import type { EdgeCandidate, Selection } from './types.js';

const WEIGHTS = [1, 1, 1, 1, 2, 2, 3, 1];
const mixedFleet = (): EdgeCandidate[] => WEIGHTS.map((weight, i) => edge(`edge-${i}`, { weight }));
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, w) => sum + w, 0);
const HOT_KEY = 'live/channel-1/720p/init.mp4';

/** The bound the brief sets for a finished run: ceil(c x total x weightShare) + 1. */
function expectWithinBound(loads: ReadonlyMap<string, number>, edges: readonly EdgeCandidate[], c: number): void {
  const total = [...loads.values()].reduce((sum, load) => sum + load, 0);
  const weight = edges.reduce((sum, e) => sum + e.weight, 0);
  for (const e of edges) {
    expect(loads.get(e.id) ?? 0).toBeLessThanOrEqual(Math.ceil((c * total * e.weight) / weight) + 1);
  }
}

function run(assigner: BoundedLoadAssigner, keys: readonly string[]): Selection[] {
  return keys.map((key) => {
    const selection = assigner.assign(key);
    if (selection === undefined) throw new Error('expected a selection');
    return selection;
  });
}

describe('BoundedLoadAssigner', () => {
  it('keeps every edge within c x its weighted share over 10k keys', () => {
    for (const edges of [fleet(8), mixedFleet()]) {
      const assigner = new BoundedLoadAssigner(edges, { balanceFactor: 1.25 });
      const selections = run(
        assigner,
        Array.from({ length: 10_000 }, (_, i) => segmentKey(i)),
      );
      const loads = assigner.loads();
      expect([...loads.values()].reduce((sum, load) => sum + load, 0)).toBe(10_000);
      expectWithinBound(loads, edges, 1.25);
      // Uniform keys need the bound only rarely: locality is kept.
      expect(selections.filter((s) => s.rank === 0).length).toBeGreaterThan(9_900);
    }
  });

  describe('with one hot key (every third request)', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? HOT_KEY : segmentKey(i)));

    it('needs the bound: pure HRW would overload the hot key edge', () => {
      const unbounded = new BoundedLoadAssigner(mixedFleet(), { balanceFactor: Infinity });
      run(unbounded, keys);
      const first = rankEdges(HOT_KEY, mixedFleet())[0]!;
      const share = (10_000 * first.weight) / TOTAL_WEIGHT;
      expect(unbounded.loads().get(first.id)).toBeGreaterThan(2 * share);
    });

    it('still keeps every edge within its bound', () => {
      const edges = mixedFleet();
      const assigner = new BoundedLoadAssigner(edges, { balanceFactor: 1.25 });
      run(assigner, keys);
      expectWithinBound(assigner.loads(), edges, 1.25);
    });

    it('overflows the hot key to its second choice, then down its own ranking', () => {
      const edges = mixedFleet();
      const ranking = rankEdges(HOT_KEY, edges);
      const assigner = new BoundedLoadAssigner(edges, { balanceFactor: 1.25 });
      const hot = run(assigner, keys).filter((_, i) => keys[i] === HOT_KEY);

      const firstOverflow = hot.find((s) => s.rank !== 0);
      expect(firstOverflow).toMatchObject({ rank: 1, spilled: false, edge: { id: ranking[1]!.id } });
      for (const selection of hot) {
        if (!selection.spilled) expect(selection.edge.id).toBe(ranking[selection.rank]!.id);
      }
      // Overflow stays on a few stable edges, so only they fetch the hot object.
      const onTopThree = hot.filter((s) => s.rank <= 2).length;
      expect(onTopThree / hot.length).toBeGreaterThan(0.99);
      expect(hot.filter((s) => s.rank === 1).length).toBeGreaterThan(hot.length / 4);
    });
  });

  it('makes the same choices as selectEdge fed the loads it has accumulated', () => {
    const edges = mixedFleet().map((e, i) => ({ ...e, load: i % 4 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(HOT_KEY), fc.string()), { maxLength: 200 }), (keys) => {
        const assigner = new BoundedLoadAssigner(edges, { cost: 2 });
        const loads = new Map(edges.map((e) => [e.id, e.load]));
        for (const key of keys) {
          const current = edges.map((e) => ({ ...e, load: loads.get(e.id) ?? 0 }));
          const expected = selectEdge(key, current, { cost: 2 });
          const actual = assigner.assign(key);
          expect(actual?.edge.id).toBe(expected?.edge.id);
          expect(actual?.rank).toBe(expected?.rank);
          expect(actual?.spilled).toBe(expected?.spilled);
          loads.set(expected!.edge.id, (loads.get(expected!.edge.id) ?? 0) + 2);
        }
        expect(assigner.loads()).toEqual(loads);
      }),
      { numRuns: 50 },
    );
  });

  it('starts from the loads it is given and adds the cost of each assignment', () => {
    const edges = [edge('a', { load: 5 }), edge('b', { load: -3 }), edge('off', { state: 'draining', load: 9 })];
    const assigner = new BoundedLoadAssigner(edges, { cost: 0.5 });
    expect(assigner.loads()).toEqual(
      new Map([
        ['a', 5],
        ['b', 0],
      ]),
    );
    const chosen = assigner.assign('k')!.edge.id;
    expect(assigner.loads().get(chosen)).toBe(chosen === 'a' ? 5.5 : 0.5);
  });

  it('hands out a copy of its loads', () => {
    const assigner = new BoundedLoadAssigner(fleet(2));
    (assigner.loads() as Map<string, number>).set('edge-0', 1_000);
    expect(assigner.loads().get('edge-0')).toBe(0);
  });

  it('ignores later changes to the caller edges but returns the caller objects', () => {
    const edges = fleet(3);
    const assigner = new BoundedLoadAssigner(edges, { balanceFactor: Infinity });
    const expected = rankEdges('k', edges)[0]!;
    expected.state = 'draining';
    expected.weight = 0;
    const selection = assigner.assign('k');
    expect(selection?.edge).toBe(expected);
    expect(selection?.rank).toBe(0);
  });

  it('never assigns to draining or weightless edges and honours the zone', () => {
    const edges = [
      edge('eu-1', { zone: 'eu' }),
      edge('eu-2', { zone: 'eu', state: 'draining' }),
      edge('eu-3', { zone: 'eu', weight: 0 }),
      edge('us-1', { zone: 'us' }),
    ];
    const assigner = new BoundedLoadAssigner(edges, { zone: 'eu' });
    const chosen = new Set(
      run(
        assigner,
        Array.from({ length: 100 }, (_, i) => segmentKey(i)),
      ).map((s) => s.edge.id),
    );
    expect([...chosen]).toEqual(['eu-1']);
    expect([...assigner.loads().keys()]).toEqual(['eu-1']);
  });

  it('returns undefined for an empty fleet', () => {
    const assigner = new BoundedLoadAssigner([edge('gone', { state: 'draining' })]);
    expect(assigner.assign('k')).toBeUndefined();
    expect(assigner.loads().size).toBe(0);
  });
});
