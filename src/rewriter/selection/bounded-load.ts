/**
 * The bounded-load rule applied down an HRW ranking (consistent hashing with bounded
 * loads, Mirrokni, Thorup, Zadimoghaddam 2016, as HAProxy's `hash-balance-factor` does
 * it): take the first edge that stays within c x its weighted share of the fleet's load
 * after this assignment, so a hot key overflows to its stable second choice instead of
 * melting its first.
 */
import type { ResolvedSelectOptions } from './select-options.js';
import type { EdgeCandidate, Selection } from './types.js';

/** Fleet-wide sums over the candidates the ranking was built from. */
export interface FleetTotals {
  totalLoad: number;
  totalWeight: number;
}

/** Reads an edge's load as the rule needs it: a negative, NaN or infinite load counts as 0. */
export function sanitizeLoad(load: number): number {
  return Number.isFinite(load) && load > 0 ? load : 0;
}

export function totalsOf(candidates: readonly EdgeCandidate[]): FleetTotals {
  let totalLoad = 0;
  let totalWeight = 0;
  for (const edge of candidates) {
    totalLoad += sanitizeLoad(edge.load);
    totalWeight += edge.weight;
  }
  return { totalLoad, totalWeight };
}

/**
 * Highest load `edge` may reach: max(minCapacity, c x (totalLoad + cost) x weight / totalWeight).
 * Counting this assignment's cost in the total (as HAProxy counts the incoming request)
 * lets an idle fleet take its first key; minCapacity keeps a quiet fleet on first choices.
 */
export function loadBound(weight: number, totals: FleetTotals, options: ResolvedSelectOptions): number {
  if (options.balanceFactor === Infinity) return Infinity;
  const share = (options.balanceFactor * (totals.totalLoad + options.cost) * weight) / totals.totalWeight;
  return Math.max(options.minCapacity, share);
}

/**
 * Picks from `ranked` (first choice first) the first edge whose load + cost fits its
 * bound. When none fits (only possible while the fleet is nearly idle, or with loads
 * the caller's registry reported above the bound), takes the edge with the lowest
 * load per weight, earliest in the ranking on ties, and marks the selection spilled.
 */
export function chooseWithinBound(
  ranked: readonly EdgeCandidate[],
  loadOf: (edge: EdgeCandidate) => number,
  context: { totals: FleetTotals; options: ResolvedSelectOptions },
): Selection | undefined {
  const { totals, options } = context;
  for (const [rank, edge] of ranked.entries()) {
    if (loadOf(edge) + options.cost <= loadBound(edge.weight, totals, options)) {
      return { edge, rank, spilled: false };
    }
  }
  let best: Selection | undefined;
  let bestRelativeLoad = Infinity;
  for (const [rank, edge] of ranked.entries()) {
    const relativeLoad = loadOf(edge) / edge.weight;
    if (best === undefined || relativeLoad < bestRelativeLoad) {
      best = { edge, rank, spilled: true };
      bestRelativeLoad = relativeLoad;
    }
  }
  return best;
}
