/**
 * When the dashboard first saw each edge unhealthy. A record dates the probe's
 * verdict (`probe.since`) but not its agent's own "unhealthy", so the
 * dashboard, which looks every second, remembers when that began. An edge
 * already unhealthy the first time it is seen began failing at or before then.
 * Pure: the time comes in with the edges.
 */
import { describeEdgeHealth, type EdgeRecord, type ObservedUnhealthy } from '../edge-registry/index.js';

export class HealthWatch {
  private readonly unhealthy = new Map<string, Required<ObservedUnhealthy>>();
  private readonly seen = new Set<string>();

  observe(edges: readonly EdgeRecord[], at: number): void {
    const present = new Set<string>();
    for (const edge of edges) {
      present.add(edge.id);
      if (describeEdgeHealth(edge, at).verdict !== 'unhealthy') this.unhealthy.delete(edge.id);
      else if (!this.unhealthy.has(edge.id)) this.unhealthy.set(edge.id, { at, atOrBefore: !this.seen.has(edge.id) });
      this.seen.add(edge.id);
    }
    for (const id of this.seen) {
      if (present.has(id)) continue;
      this.seen.delete(id);
      this.unhealthy.delete(id);
    }
  }

  /** When the edge was first seen unhealthy in its current spell; undefined if it is not (or was never observed). */
  unhealthySince(id: string): ObservedUnhealthy | undefined {
    return this.unhealthy.get(id);
  }
}
