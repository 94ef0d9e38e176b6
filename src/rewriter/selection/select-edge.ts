/**
 * Picks the nginx edge whose URL goes into the playlist for one media object (segment,
 * init segment, key, part): every viewer of the object lands on the same edge, so the
 * fleet fetches it from the origin about once, while no edge goes past its bounded share.
 */
import { candidateEdges } from './candidates.js';
import { chooseWithinBound, sanitizeLoad, totalsOf } from './bounded-load.js';
import { rankCandidates } from './rank-edges.js';
import { resolveSelectOptions } from './select-options.js';
import type { EdgeCandidate, SelectOptions, Selection } from './types.js';

/**
 * First edge down the key's weighted HRW ranking whose load + cost stays within
 * max(minCapacity, c x (totalLoad + cost) x weight / totalWeight), totals taken over the
 * candidates (the zone's edges when the zone has active ones). When every candidate is
 * over its bound, the least loaded per weight is returned with `spilled: true`.
 * Undefined when no edge is active with a positive weight.
 *
 * `load` comes from the caller (the service passes the registry's utilisation, e.g.
 * requests/s); the bound is relative, so any unit works as long as `cost` shares it.
 * The returned `edge` is the caller's own object.
 */
export function selectEdge(key: string, edges: readonly EdgeCandidate[], options?: SelectOptions): Selection | undefined {
  const resolved = resolveSelectOptions(options);
  const candidates = candidateEdges(edges, resolved.zone);
  if (candidates.length === 0) return undefined;
  return chooseWithinBound(rankCandidates(key, candidates), (edge) => sanitizeLoad(edge.load), {
    totals: totalsOf(candidates),
    options: resolved,
  });
}
