/**
 * Which edges may receive new keys: active ones with a usable weight, narrowed to the
 * requested zone when that zone has any.
 */
import type { EdgeCandidate } from './types.js';

/** Draining edges only finish what they serve; a weight that is not finite and > 0 has no share to give. */
export function isEligible(edge: EdgeCandidate): boolean {
  return edge.state === 'active' && Number.isFinite(edge.weight) && edge.weight > 0;
}

/**
 * Eligible edges, the first occurrence of each id only (ids are meant to be unique; a
 * repeated id would otherwise tie with itself and make the order of the input matter).
 */
export function eligibleEdges(edges: readonly EdgeCandidate[]): EdgeCandidate[] {
  const seen = new Set<string>();
  const eligible: EdgeCandidate[] = [];
  for (const edge of edges) {
    if (!isEligible(edge) || seen.has(edge.id)) continue;
    seen.add(edge.id);
    eligible.push(edge);
  }
  return eligible;
}

/**
 * The edges that compete for a key: the eligible edges of `zone` when there is at least
 * one, otherwise every eligible edge, so losing a whole zone degrades to cross-zone
 * traffic instead of failing.
 */
export function candidateEdges(edges: readonly EdgeCandidate[], zone?: string): EdgeCandidate[] {
  const eligible = eligibleEdges(edges);
  if (zone === undefined) return eligible;
  const inZone = eligible.filter((edge) => edge.zone === zone);
  return inZone.length > 0 ? inZone : eligible;
}
