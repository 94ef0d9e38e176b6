/**
 * Runs a long-lived command: starts its parts, keeps them up until SIGINT or
 * SIGTERM, then closes them in reverse order. Start-up failures print one
 * clear message (no stack trace for errors we understand) and set the exit code.
 * Only the CLI exits the process; library code never does.
 */
import { HlscdnError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';

export interface Closeable {
  close(): Promise<void>;
}

/** What a command's start function registers: parts to close on stop, and the logger once configuration is read. */
export interface ServiceScope {
  add<T extends Closeable>(part: T): T;
  useLogger(logger: Logger): void;
}

export async function runService(start: (scope: ServiceScope) => Promise<void>): Promise<void> {
  const stack: Closeable[] = [];
  let logger = silentLogger();
  const scope: ServiceScope = {
    add: (part) => {
      stack.push(part);
      return part;
    },
    useLogger: (l) => {
      logger = l;
    },
  };
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    for (const part of stack.reverse()) {
      try {
        await part.close();
      } catch (error) {
        logger.warn({ err: error }, 'error while stopping');
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now": the orphan guard still kills children on exit.
      process.exit(130);
    }
    void stop(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await start(scope);
  } catch (error) {
    reportFatal(error);
    await stop('start-up failed');
    process.exitCode = exitCodeFor(error);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function reportFatal(error: unknown): void {
  if (error instanceof HlscdnError) console.error(`hlscdn: ${error.message}`);
  else console.error(`hlscdn: unexpected error: ${errorMessage(error)}\n${error instanceof Error ? error.stack : ''}`);
}

export function exitCodeFor(error: unknown): number {
  return error instanceof HlscdnError && error.code === 'invalid-config' ? 2 : 1;
}
