/**
 * Weighted rendezvous (highest random weight) ranking of edges for one key.
 *
 * Each edge scores `-weight / ln(h)` with h = hashToUnit(key, edge.id). -ln(h) is
 * exponentially distributed, so an edge's chance of the top score is exactly
 * weight / totalWeight, and an edge's score does not depend on the other edges: when an
 * edge joins it takes only the keys it now wins, and when one leaves only its keys move
 * (Thaler & Ravishankar 1998; weighted form per Schindelhauer & Schomaker 2005). The
 * ranking past the first place is stable too, which keeps overflow cache-friendly.
 */
import { eligibleEdges } from './candidates.js';
import { createKeyHasher } from './hash-to-unit.js';
import type { EdgeCandidate } from './types.js';

interface ScoredEdge {
  edge: EdgeCandidate;
  score: number;
}

/**
 * Orders `candidates` (already filtered) by descending score for `key`. Ties, which
 * need equal weights and a 52-bit hash collision, fall back to the id so the result
 * never depends on input order.
 */
export function rankCandidates(key: string, candidates: readonly EdgeCandidate[]): EdgeCandidate[] {
  const hashFor = createKeyHasher(key);
  const scored: ScoredEdge[] = candidates.map((edge) => ({ edge, score: -edge.weight / Math.log(hashFor(edge.id)) }));
  scored.sort((a, b) => b.score - a.score || compareIds(a.edge.id, b.edge.id));
  return scored.map(({ edge }) => edge);
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Active edges with a usable weight, ordered by weighted HRW score for the key (first = first choice). */
export function rankEdges(key: string, edges: readonly EdgeCandidate[]): EdgeCandidate[] {
  return rankCandidates(key, eligibleEdges(edges));
}
