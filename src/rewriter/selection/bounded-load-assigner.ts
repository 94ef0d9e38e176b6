/**
 * Assigns many keys in one pass (all segments of one playlist, or a simulation) with
 * the same rule as `selectEdge`, counting each assignment's cost against the chosen
 * edge so later keys see the load earlier ones added. Pure: a private copy of the
 * loads, no timers, no I/O.
 */
import { candidateEdges } from './candidates.js';
import { chooseWithinBound, sanitizeLoad, totalsOf, type FleetTotals } from './bounded-load.js';
import { rankCandidates } from './rank-edges.js';
import { resolveSelectOptions, type ResolvedSelectOptions } from './select-options.js';
import type { EdgeCandidate, SelectOptions, Selection } from './types.js';

export class BoundedLoadAssigner {
  private readonly options: ResolvedSelectOptions;
  /** Frozen copies used for ranking, so later changes to the caller's objects have no effect. */
  private readonly candidates: readonly EdgeCandidate[];
  private readonly callerEdges = new Map<string, EdgeCandidate>();
  private readonly currentLoads = new Map<string, number>();
  private readonly totals: FleetTotals;

  /**
   * Takes a snapshot of which edges compete (state, weight, zone) and of their loads;
   * later changes to the caller's objects do not affect this assigner.
   */
  constructor(edges: readonly EdgeCandidate[], options?: SelectOptions) {
    this.options = resolveSelectOptions(options);
    const chosen = candidateEdges(edges, this.options.zone);
    this.candidates = chosen.map((edge) => Object.freeze({ ...edge }));
    this.totals = totalsOf(this.candidates);
    for (const edge of chosen) {
      this.callerEdges.set(edge.id, edge);
      this.currentLoads.set(edge.id, sanitizeLoad(edge.load));
    }
  }

  /**
   * Chooses the edge for `key` and adds `cost` to its load. `edge` in the result is the
   * caller's own object, whose `load` field this assigner never updates: read
   * {@link loads} for the current load. Undefined when no edge can take keys.
   */
  assign(key: string): Selection | undefined {
    const selection = chooseWithinBound(rankCandidates(key, this.candidates), (edge) => this.loadOf(edge.id), {
      totals: this.totals,
      options: this.options,
    });
    if (selection === undefined) return undefined;
    const { id } = selection.edge;
    this.currentLoads.set(id, this.loadOf(id) + this.options.cost);
    this.totals.totalLoad += this.options.cost;
    return { ...selection, edge: this.callerEdges.get(id) ?? selection.edge };
  }

  /** Current load of every candidate edge by id: the starting load plus what this assigner added. */
  loads(): ReadonlyMap<string, number> {
    return new Map(this.currentLoads);
  }

  private loadOf(id: string): number {
    return this.currentLoads.get(id) ?? 0;
  }
}
