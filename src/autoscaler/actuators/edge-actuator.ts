/**
 * What the autoscaler needs from whatever starts and stops edges: local child
 * processes (`local/`) or Terraform-managed machines (`terraform/`). The
 * autoscaler decides *how many* and *which one goes*; an actuator only carries
 * that out and never decides by itself (it restarts nothing, it replaces nothing).
 * One contract suite, `edge-actuator.case.ts`, runs against every implementation.
 */
import { HlscdnError } from '../../core/errors.js';

/** One edge the actuator manages. Its id is also its registry id. */
export interface ActuatorEdge {
  id: string;
  /** 'starting' while launched but not yet confirmed up by the actuator; 'stopping' during remove(). */
  state: 'starting' | 'running' | 'stopping';
  /** Where viewers reach it, when the actuator knows. */
  url?: string;
  /** The edge process, for actuators that run edges on this machine. */
  pid?: number;
}

/** What went wrong last, kept until the next success so /status shows it. */
export interface ActuatorFailure {
  at: number;
  operation: string;
  message: string;
}

/** The actuator's own account of itself, for /status. */
export interface ActuatorState {
  kind: string;
  edges: ActuatorEdge[];
  /** The operation running now, e.g. "add 2" or "remove edge-3". */
  busy?: string;
  lastFailure?: ActuatorFailure;
  /** Implementation-specific facts (the last terraform plan, exited children...). */
  details?: Record<string, unknown>;
}

export interface EdgeActuator {
  /** Edges the actuator started and has not removed (including ones still starting). */
  list(): Promise<ActuatorEdge[]>;
  /**
   * Launches `count` new edges and resolves with their ids (distinct, not listed
   * before). Resolves once launched; registering in the registry may come later.
   * Rejects 'invalid-input' for a bad count; on a partial failure rejects with the
   * launched ids in `details.started` (they stay listed).
   */
  add(count: number): Promise<string[]>;
  /**
   * Stops one edge and waits (bounded) for it to be gone. The caller drains it
   * first. Removing an id that is not listed (already gone) resolves.
   */
  remove(id: string): Promise<void>;
  /** For /status; never throws. */
  state(): ActuatorState;
  /** Releases what the actuator holds (local: stops its children; terraform: leaves the machines running). Idempotent. */
  close(): Promise<void>;
}

/** Shared argument check of add(). */
export function checkAddCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new HlscdnError('invalid-input', `cannot add ${String(count)} edges: the count must be a whole number >= 0`);
  }
}
