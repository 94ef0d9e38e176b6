/** Poll-until: the synchronization primitive for "the server is up", "the key expired"... instead of sleeps. */
import { HlscdnError, errorMessage } from '../errors.js';
import { sleep } from '../retry.js';

export interface WaitUntilOptions {
  /** @defaultValue 10_000 */
  timeoutMs?: number;
  /** @defaultValue 50 */
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
  signal?: AbortSignal;
}

/** Resolves with the first truthy value `probe` returns; a throwing probe counts as "not yet". */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitUntilOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (options.signal?.aborted) throw new HlscdnError('timeout', `gave up waiting for ${options.what ?? 'condition'}: aborted`);
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`;
      throw new HlscdnError('timeout', `timed out after ${timeoutMs} ms waiting for ${options.what ?? 'condition'}${why}`, {
        cause: lastError,
      });
    }
    await sleep(options.intervalMs ?? 50, options.signal);
  }
}
