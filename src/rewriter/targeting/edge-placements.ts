/**
 * Where each media object was placed, remembered so it stays there. Bounded
 * loads decide where a NEW object goes; an object already placed stays on its
 * edge while that edge is active, as a ball stays in its bin in consistent
 * hashing with bounded loads (Mirrokni et al. 2016). Without this, a flash crowd
 * on a fresh segment raises its edge's request rate, the next rewrite finds that
 * edge over its bound and sends the rest of the crowd for the SAME segment to
 * a second edge, which fetches it from the origin again (docs/benchmarks.md,
 * "Origin offload"). A plain Map in insertion order gives the LRU bound.
 */
export class EdgePlacements {
  private readonly placed = new Map<string, string>();

  /** @param maxEntries objects remembered; live windows need far fewer. @defaultValue 100_000 */
  constructor(private readonly maxEntries = 100_000) {}

  get(key: string): string | undefined {
    const edgeId = this.placed.get(key);
    if (edgeId !== undefined) {
      // Refresh its place in the LRU order.
      this.placed.delete(key);
      this.placed.set(key, edgeId);
    }
    return edgeId;
  }

  remember(key: string, edgeId: string): void {
    this.placed.delete(key);
    this.placed.set(key, edgeId);
    if (this.placed.size > this.maxEntries) this.placed.delete(this.placed.keys().next().value as string);
  }

  get size(): number {
    return this.placed.size;
  }
}
