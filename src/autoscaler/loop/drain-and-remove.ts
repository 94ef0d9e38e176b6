/**
 * Removes one edge without cutting viewers off: mark it draining in the
 * registry (the rewriter stops sending it new objects, its agent starts its own
 * drain), wait until it has left the registry or has no open connections, or
 * the drain timeout, then let the actuator stop it. The ELB deregistration
 * delay does the same in front of instances.
 */
import { isHlscdnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { waitUntil } from '../../core/process/index.js';
import type { EdgeActuator } from '../actuators/edge-actuator.js';
import type { DrainRequester, FleetSource } from './autoscaler-types.js';

export interface DrainAndRemoveOptions {
  id: string;
  /** False for an edge that never registered: nothing to drain. */
  registered: boolean;
  fleet: FleetSource;
  drains: DrainRequester;
  actuator: EdgeActuator;
  drainTimeoutMs: number;
  /** @defaultValue 250 */
  pollMs?: number;
  /** Ends the wait early (the autoscaler is closing); the edge is still removed. */
  signal?: AbortSignal;
  logger: Logger;
}

/** How the drain ended before the removal. */
export type DrainEnd = 'not-registered' | 'left' | 'idle' | 'timeout' | 'aborted';

export async function drainAndRemove(options: DrainAndRemoveOptions): Promise<DrainEnd> {
  const { id, logger } = options;
  const end = options.registered ? await drain(options) : 'not-registered';
  logger.info({ id, drain: end }, end === 'timeout' ? 'drain timeout: removing the edge with connections still open' : 'removing the edge');
  await options.actuator.remove(id);
  return end;
}

async function drain(options: DrainAndRemoveOptions): Promise<DrainEnd> {
  const { id, fleet } = options;
  try {
    await options.drains.requestDrain(id);
  } catch (error) {
    // Deregistered between the decision and now: it already left.
    if (isHlscdnError(error, 'not-found')) return 'left';
    // Anything else: do not stop an edge that may still carry viewers unannounced.
    throw error;
  }
  options.logger.info({ id, timeoutMs: options.drainTimeoutMs }, 'draining edge');
  try {
    return await waitUntil<DrainEnd>(
      () => {
        const record = fleet.snapshot().edges.find((e) => e.id === id);
        if (!record) return 'left';
        if (record.state === 'draining' && record.load.activeConnections === 0) return 'idle';
        return undefined;
      },
      { timeoutMs: options.drainTimeoutMs, intervalMs: options.pollMs ?? 250, what: `edge ${id} to drain`, signal: options.signal },
    );
  } catch {
    return options.signal?.aborted ? 'aborted' : 'timeout';
  }
}
