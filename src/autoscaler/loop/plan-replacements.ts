/**
 * Which failed edges to replace, and how many new edges that takes. Pure: the
 * caller passes the time and keeps the returned `failingSince` for the next tick.
 *
 * Only edges this autoscaler's actuator runs are replaced. An edge has failed when:
 * - *unhealthy*: its record says so (its agent's self-check fails, or the viewers'
 *   probes find it down);
 * - *lost*: it registered before and its record is gone while the actuator still
 *   runs it (fleet-loads.ts): its heartbeats stopped;
 * - *vanished*: it left the actuator's list without the autoscaler removing it
 *   (the process exited: a crash, its nginx died, a drain asked by hand).
 *
 * Unhealthy and lost edges are replaced once they have failed continuously for
 * `graceMs` (a blip must not cost an edge and its cache): removed without a
 * drain, since they serve nobody. Vanished edges are replaced at the next tick:
 * there is nothing left to wait for. Each replaced edge gets one new edge, less
 * the edges the policy launched since the failure began (it already added
 * capacity for it, to keep minEdges for instance), within maxEdges.
 *
 * Nothing is removed while no other registered edge is healthy: when every edge
 * fails at once the cause is shared (the origin, the network) and new edges
 * would fail the same way. The policy still adds capacity up to maxEdges.
 */
import type { EdgeRecord } from '../../edge-registry/index.js';
import type { ActuatorEdge } from '../actuators/edge-actuator.js';

export interface ReplacementInput {
  records: readonly EdgeRecord[];
  owned: readonly ActuatorEdge[];
  /** Owned edges whose record is gone after they registered (FleetLoads.lost). */
  lost: readonly string[];
  /** Ids the actuator listed at the previous tick, less those the autoscaler removed since. */
  previouslyOwned: ReadonlySet<string>;
  /** Ids the autoscaler is draining or removing. */
  removing: ReadonlySet<string>;
  /** When each failing edge was first seen failing, from the previous tick. */
  failingSince: ReadonlyMap<string, number>;
  /** When the policy launched each edge still listed (replacements are not in it). */
  launchedAt: ReadonlyMap<string, number>;
  now: number;
  graceMs: number;
  /** Edges that may be added without going over maxEdges. */
  room: number;
}

export interface FailingEdge {
  id: string;
  /** First seen failing. */
  since: number;
  reason: string;
}

export interface ReplacementPlan {
  /** Failed edges to remove now, without a drain. */
  remove: FailingEdge[];
  /** Edges that left the actuator's list unasked, sorted. */
  vanished: string[];
  /** New edges to launch. */
  add: number;
  /** Failing edges not replaced yet: inside their grace, or held (below). */
  waiting: FailingEdge[];
  /** Why edges past their grace are kept, when they are. */
  held?: string;
  /** Keep for the next tick. */
  failingSince: Map<string, number>;
}

export function planReplacements(input: ReplacementInput): ReplacementPlan {
  const records = new Map(input.records.map((r) => [r.id, r]));
  const lost = new Set(input.lost);
  const failingSince = new Map<string, number>();
  const due: FailingEdge[] = [];
  const waiting: FailingEdge[] = [];
  for (const edge of input.owned) {
    if (edge.state === 'stopping' || input.removing.has(edge.id)) continue;
    const record = records.get(edge.id);
    let reason: string;
    if (record?.state === 'unhealthy') reason = `unhealthy: ${record.problem ?? 'no reason given'}`;
    else if (!record && lost.has(edge.id)) reason = 'its registry record is gone (no heartbeat)';
    else continue;
    const since = input.failingSince.get(edge.id) ?? input.now;
    failingSince.set(edge.id, since);
    (input.now - since >= input.graceMs ? due : waiting).push({ id: edge.id, since, reason });
  }

  const witness = input.records.some((r) => r.state === 'active');
  const remove = witness ? due : [];
  const listed = new Set(input.owned.map((e) => e.id));
  const vanished = [...input.previouslyOwned].filter((id) => !listed.has(id) && !input.removing.has(id)).sort();

  let add = 0;
  if (remove.length + vanished.length > 0) {
    const failureBegan = Math.min(...remove.map((e) => e.since), ...(vanished.length > 0 ? [input.now] : []));
    const standIns = input.owned.filter(
      (e) => e.state !== 'stopping' && !failingSince.has(e.id) && (input.launchedAt.get(e.id) ?? -Infinity) >= failureBegan,
    ).length;
    add = Math.max(0, Math.min(remove.length + vanished.length - standIns, input.room));
  }

  const plan: ReplacementPlan = { remove, vanished, add, waiting: witness ? waiting : [...waiting, ...due], failingSince };
  if (!witness && due.length > 0) {
    plan.held = 'no other registered edge is healthy: the cause is likely shared (origin, network), so nothing is replaced';
  }
  return plan;
}
