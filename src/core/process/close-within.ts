/**
 * A deadline for one part's close(): a part that waits on something gone (a
 * Redis that died, a hung child) must not hold the whole shutdown. The close
 * keeps running in the background; the caller is told it timed out and moves on.
 */
import { errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';

export interface Closable {
  close(): Promise<void>;
}

/** How a close ended: done, threw (logged), or still running at the deadline (logged). */
export type CloseOutcome = 'closed' | 'failed' | 'timed-out';

/** Closes `part`, waiting at most `ms`; never throws. `what` names the part in the log lines. */
export async function closeWithin(
  part: Closable | (() => Promise<void>),
  ms: number,
  what: string,
  logger?: Logger,
): Promise<CloseOutcome> {
  const log = logger ?? silentLogger();
  const started = performance.now();
  // A close that throws synchronously is a failed close, not a crash of the caller.
  const closing = Promise.resolve().then(() => (typeof part === 'function' ? part() : part.close()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  const outcome = await Promise.race([
    closing.then(
      () => 'closed' as const,
      (error: unknown) => {
        log.warn({ what, error: errorMessage(error) }, `closing ${what} failed: moving on`);
        return 'failed' as const;
      },
    ),
    deadline,
  ]);
  clearTimeout(timer);
  const tookMs = Math.round(performance.now() - started);
  if (outcome === 'timed-out') {
    // It may still settle later (a failure is then logged above); nobody waits for it any more.
    log.warn({ what, timeoutMs: ms }, `${what} did not close within ${ms} ms: moving on`);
  } else if (outcome === 'closed') {
    log.debug({ what, tookMs }, `${what} closed`);
  }
  return outcome;
}
