/**
 * Shapes the autoscaler loop shares with its status API, its metrics and the
 * CLI: what it needs from its collaborators, and what it reports. No logic.
 */
import type { EdgeRecord } from '../../edge-registry/index.js';
import type { ActuatorState } from '../actuators/edge-actuator.js';
import type { Decision, PolicyMetric } from '../policy/index.js';

/** The registry as the loop reads it (EdgeRegistryView implements it). */
export interface FleetSource {
  snapshot(): { edges: EdgeRecord[]; connected: boolean; ageMs: number };
}

/** Marks an edge draining in the registry (EdgeRegistryWriter implements it). */
export interface DrainRequester {
  requestDrain(id: string): Promise<unknown>;
}

/** Whether this instance may act (LeaderLease implements it). */
export interface LeadershipSource {
  readonly isLeader: boolean;
  /** The leader's id as last seen, for /status. */
  readonly leader?: string | undefined;
  readonly holderId?: string;
}

/** One decision and what the loop did about it. */
export interface DecisionEntry extends Decision {
  /** Launched edges not registered yet, counted in `current`. */
  pending: number;
  /** What the loop did: "adding 2", "draining local-3", "none: ..." */
  outcome: string;
}

/** One actuator operation started by the loop. */
export interface ActionEntry {
  at: number;
  kind: 'add' | 'remove';
  /** Ids added, or the id removed. */
  ids: string[];
  outcome: 'succeeded' | 'failed';
  durationMs: number;
  error?: string;
  /** Why, when it is not a scaling decision: "replacing local-2 (unhealthy: ...)". */
  why?: string;
}

/** Why a tick made no decision. */
export type TickSkip = 'closed' | 'follower' | 'busy' | 'registry-unavailable' | 'actuator-unavailable' | 'error';

export type TickResult =
  | { kind: 'decided'; entry: DecisionEntry }
  /** Failed edges are being replaced instead of a decision; the next free tick decides with the replacements pending. */
  | { kind: 'replacing'; remove: string[]; add: number }
  | { kind: 'skipped'; reason: TickSkip; detail?: string };

/** One of the actuator's edges that is failing and not replaced yet (within its grace, or held). */
export interface FailingEdgeStatus {
  id: string;
  /** First seen failing, ms since the epoch. */
  since: number;
  reason: string;
}

/** GET /status. */
export interface AutoscalerStatus {
  leader: boolean;
  holderId?: string;
  /** The leader's id as last seen. */
  leaderId?: string;
  policy: { metric: PolicyMetric; target: number; tolerance: number; minEdges: number; maxEdges: number };
  /** From the last decision. */
  current?: number;
  desired?: number;
  utilization?: number;
  metrics?: { egress: number; connections: number };
  lastDecisionAt?: number;
  /** The last tick that made no decision, and why. */
  lastSkip?: { at: number; reason: TickSkip; detail?: string };
  pending: string[];
  stuck: string[];
  /** Edges of the actuator failing (unhealthy or lost), not replaced yet. */
  failing?: FailingEdgeStatus[];
  /** Why failing edges past their grace are not replaced, when they are not. */
  replacementHeld?: string;
  removing: string[];
  inFlight?: { description: string; startedAt: number };
  registry: { connected: boolean; ageMs: number | null; edges: number };
  actuator: ActuatorState;
  decisions: DecisionEntry[];
  actions: ActionEntry[];
}
