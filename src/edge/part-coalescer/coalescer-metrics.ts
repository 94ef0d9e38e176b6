/**
 * Prometheus metrics of the part coalescer, on the agent's registry (served at the
 * agent's `/metrics`). `waiters_total{role="joined"}` over `upstream_fetches_total` is
 * how many viewers each origin fetch served.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RejectReason } from './flight-table.js';

export interface CoalescerMetrics {
  /** A request started a fetch ('lead') or rode one under way or lingering ('joined'). */
  waiter(role: 'lead' | 'joined'): void;
  /** An origin fetch ended: with an answer passed on ('answered') or without ('failed'). */
  fetchEnded(result: 'answered' | 'failed'): void;
  rejected(reason: RejectReason): void;
  /** Flights held (in flight or lingering). */
  flights(count: number): void;
}

export function coalescerMetrics(registry: Registry | undefined): CoalescerMetrics {
  const registers = registry ? [registry] : [];
  const waiters = new Counter({
    name: 'hlscdn_edge_part_coalescer_waiters_total',
    help: 'Part requests through the coalescer: role="lead" started an origin fetch, role="joined" was coalesced onto one',
    labelNames: ['role'],
    registers,
  });
  const fetches = new Counter({
    name: 'hlscdn_edge_part_coalescer_upstream_fetches_total',
    help: 'Origin fetches made by the part coalescer, by result (answered: a status was passed on; failed: 502 or cut)',
    labelNames: ['result'],
    registers,
  });
  const rejected = new Counter({
    name: 'hlscdn_edge_part_coalescer_rejected_total',
    help: 'Part requests refused with 503 because a coalescer bound was reached',
    labelNames: ['reason'],
    registers,
  });
  const flights = new Gauge({
    name: 'hlscdn_edge_part_coalescer_flights',
    help: 'Parts held by the coalescer (origin fetch under way, or lingering for late requests)',
    registers,
  });
  return {
    waiter: (role) => waiters.inc({ role }),
    fetchEnded: (result) => fetches.inc({ result }),
    rejected: (reason) => rejected.inc({ reason }),
    flights: (count) => flights.set(count),
  };
}
