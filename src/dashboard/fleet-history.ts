/**
 * A bounded history of fleet samples for the dashboard's charts: edge count,
 * utilization and traffic over time, plus the autoscaler's decisions to mark on
 * them. Pure: samples come in with their timestamps.
 */
import type { EdgeRecord } from '../edge-registry/index.js';

export interface FleetSample {
  at: number;
  edges: number;
  draining: number;
  /** Higher of egress/capacity and connections/capacity over active edges, 0..1+. */
  utilization: number;
  requestsPerSec: number;
  egressBytesPerSec: number;
}

export interface DecisionMark {
  at: number;
  action: string;
  current: number;
  desired: number;
  reason: string;
}

export function sampleFleet(edges: readonly EdgeRecord[], at: number): FleetSample {
  const active = edges.filter((e) => e.state === 'active');
  let egress = 0;
  let egressCapacity = 0;
  let connections = 0;
  let connectionCapacity = 0;
  let requests = 0;
  for (const e of active) {
    egress += e.load.egressBytesPerSec;
    egressCapacity += e.capacity.egressBytesPerSec;
    connections += e.load.activeConnections;
    connectionCapacity += e.capacity.connections;
    requests += e.load.requestsPerSec;
  }
  const utilization = Math.max(
    egressCapacity > 0 ? egress / egressCapacity : 0,
    connectionCapacity > 0 ? connections / connectionCapacity : 0,
  );
  return {
    at,
    edges: active.length,
    draining: edges.length - active.length,
    utilization,
    requestsPerSec: requests,
    egressBytesPerSec: egress,
  };
}

export class FleetHistory {
  private readonly samples: FleetSample[] = [];
  private readonly decisions: DecisionMark[] = [];

  /** @param limit samples kept (one a second: 10 minutes by default). */
  constructor(private readonly limit = 600) {}

  add(sample: FleetSample): void {
    this.samples.push(sample);
    if (this.samples.length > this.limit) this.samples.shift();
  }

  /** Records decisions not seen yet (by timestamp), keeping the same bound. */
  addDecisions(marks: readonly DecisionMark[]): void {
    const last = this.decisions.at(-1)?.at ?? -Infinity;
    for (const mark of marks) if (mark.at > last) this.decisions.push(mark);
    this.decisions.sort((a, b) => a.at - b.at);
    while (this.decisions.length > this.limit) this.decisions.shift();
  }

  view(): { samples: FleetSample[]; decisions: DecisionMark[] } {
    const since = this.samples[0]?.at ?? -Infinity;
    return { samples: [...this.samples], decisions: this.decisions.filter((d) => d.at >= since) };
  }
}
