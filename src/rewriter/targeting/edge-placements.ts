/**
 * Where each media object was placed, remembered so it stays there. Bounded
 * loads decide where a NEW object goes; an object already placed stays on its
 * edge, as a ball stays in its bin in consistent hashing with bounded loads
 * (Mirrokni et al. 2016). Without this, a flash crowd on a fresh segment raises
 * its edge's request rate, the next rewrite finds that edge over its bound and
 * sends the rest of the crowd for the SAME segment to a second edge, which
 * fetches it from the origin again (docs/benchmarks.md, "Origin offload").
 *
 * The edge's base URL is remembered too: a URI written into a playlist must stay
 * the same while the playlist lists it, even after its edge died and left the
 * registry (hls.js treats a changed URI for the same media sequence number as a
 * fatal levelParsingError, "media sequence mismatch"). A plain Map in insertion
 * order gives the LRU bound.
 */
import type { FallbackReason } from './fleet.js';

export interface Placement {
  edgeId: string;
  /** The edge's base URL when the object was placed. */
  base: string;
  /**
   * Set when a playlist listed the object at the fallback base (no usable fleet then): it stays
   * there while listed, edges back or not. `edgeId` is then FALLBACK_PLACEMENT.
   */
  fallback?: FallbackReason;
}

/** The edgeId of a fallback placement: not a valid edge id (EDGE_ID_PATTERN), so no edge can take it. */
export const FALLBACK_PLACEMENT = '#fallback';

export class EdgePlacements {
  private readonly placed = new Map<string, Placement>();

  /** @param maxEntries objects remembered; live windows need far fewer. @defaultValue 100_000 */
  constructor(private readonly maxEntries = 100_000) {}

  get(key: string): Placement | undefined {
    const placement = this.placed.get(key);
    if (placement !== undefined) {
      // Refresh its place in the LRU order.
      this.placed.delete(key);
      this.placed.set(key, placement);
    }
    return placement;
  }

  remember(key: string, placement: Placement): void {
    this.placed.delete(key);
    this.placed.set(key, placement);
    if (this.placed.size > this.maxEntries) this.placed.delete(this.placed.keys().next().value as string);
  }

  get size(): number {
    return this.placed.size;
  }
}
