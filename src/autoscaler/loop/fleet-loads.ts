/**
 * From what the registry shows and what the actuator says it runs, to the rows
 * the policy decides on. Pure: the caller passes the time and keeps the returned
 * `pendingSince` for the next tick.
 *
 * - A live registry record is a ready edge, with its reported load.
 * - An edge the actuator launched that has no record yet is *pending*: booting
 *   capacity with zero load (the policy counts it as current, so it does not ask
 *   for the same edges again while they start).
 * - A pending edge that has not registered after `bootTimeoutMs` is *stuck*: it
 *   no longer counts as capacity, so the policy replaces it. It is reported,
 *   not removed: an operator should look at why it never came up.
 * - An edge that registered at an earlier tick and has no record now is *lost*
 *   (its heartbeats stopped: a hung or dead edge the actuator still lists): no
 *   capacity, and not pending again. plan-replacements.ts replaces it.
 * - Edges being drained or removed by the autoscaler count as draining.
 * - An edge reporting itself unhealthy (or found down by the viewers' probes)
 *   stays unhealthy: not capacity, so the policy adds capacity if the rest is
 *   too little, and plan-replacements.ts replaces it if it stays so.
 */
import type { EdgeRecord } from '../../edge-registry/index.js';
import type { ActuatorEdge } from '../actuators/edge-actuator.js';
import type { EdgeLoad } from '../policy/index.js';

export type EdgeCapacity = EdgeLoad['capacity'];

export interface FleetLoadsInput {
  records: readonly EdgeRecord[];
  owned: readonly ActuatorEdge[];
  /** Ids the autoscaler is draining or removing. */
  removing: ReadonlySet<string>;
  /** First time each id was seen pending, from the previous tick. */
  pendingSince: ReadonlyMap<string, number>;
  /** Owned ids seen registered at an earlier tick, from the previous tick's `registered`. @defaultValue none */
  registered?: ReadonlySet<string>;
  now: number;
  bootTimeoutMs: number;
  /** Capacity assumed for a pending edge when no registered edge gives a figure. */
  assumedCapacity: EdgeCapacity;
}

export interface FleetLoads {
  loads: EdgeLoad[];
  /** Launched, not registered yet, sorted. */
  pending: string[];
  /** Launched, never registered within the boot timeout, sorted. */
  stuck: string[];
  /** Registered once, no record now, still listed by the actuator, sorted. */
  lost: string[];
  /** Keep for the next tick. */
  pendingSince: Map<string, number>;
  /** Owned ids that have registered (now or before): keep for the next tick. */
  registered: Set<string>;
}

export function recordToLoad(record: EdgeRecord, draining: boolean): EdgeLoad {
  return {
    id: record.id,
    state: draining ? 'draining' : record.state,
    ready: true,
    capacity: { egressBytesPerSec: record.capacity.egressBytesPerSec, connections: record.capacity.connections },
    egressBytesPerSec: record.load.egressBytesPerSec,
    connections: record.load.activeConnections,
  };
}

/** A new edge is most likely the same kind as the running ones: their mean capacity. */
export function typicalCapacity(records: readonly EdgeRecord[], fallback: EdgeCapacity): EdgeCapacity {
  if (records.length === 0) return { ...fallback };
  let egress = 0;
  let connections = 0;
  for (const r of records) {
    egress += r.capacity.egressBytesPerSec;
    connections += r.capacity.connections;
  }
  return { egressBytesPerSec: egress / records.length, connections: connections / records.length };
}

export function buildFleetLoads(input: FleetLoadsInput): FleetLoads {
  const live = new Set(input.records.map((r) => r.id));
  const loads = input.records.map((r) => recordToLoad(r, input.removing.has(r.id)));
  const capacity = typicalCapacity(input.records, input.assumedCapacity);
  const pending: string[] = [];
  const stuck: string[] = [];
  const lost: string[] = [];
  const pendingSince = new Map<string, number>();
  const registered = new Set<string>();
  for (const edge of input.owned) {
    if (live.has(edge.id) || input.registered?.has(edge.id)) registered.add(edge.id);
    if (live.has(edge.id) || input.removing.has(edge.id) || edge.state === 'stopping') continue;
    if (registered.has(edge.id)) {
      lost.push(edge.id);
      continue;
    }
    const since = input.pendingSince.get(edge.id) ?? input.now;
    pendingSince.set(edge.id, since);
    if (input.now - since >= input.bootTimeoutMs) {
      stuck.push(edge.id);
      continue;
    }
    pending.push(edge.id);
    loads.push({ id: edge.id, state: 'active', ready: false, capacity: { ...capacity }, egressBytesPerSec: 0, connections: 0 });
  }
  return { loads, pending: pending.sort(), stuck: stuck.sort(), lost: lost.sort(), pendingSince, registered };
}
