/** The local stack's first edges. */
import type { EdgeActuator } from '../autoscaler/index.js';
import { isHlscdnError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Starts the edges the stack opens with. An edge that fails to start (seen once in CI on a loaded
 * machine: its nginx exited 2 s after starting) gets one more try rather than taking the whole stack
 * down with it, as the autoscaler would replace it later anyway.
 */
export async function startFirstEdges(actuator: Pick<EdgeActuator, 'add'>, count: number, logger: Logger): Promise<void> {
  try {
    await actuator.add(count);
  } catch (error) {
    if (!isHlscdnError(error, 'process-failed')) throw error;
    const started = Array.isArray(error.details.started) ? error.details.started.length : 0;
    logger.warn({ error: error.message, retrying: count - started }, 'some edges failed to start: trying them once more');
    await actuator.add(count - started);
  }
}
