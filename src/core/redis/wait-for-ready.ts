/**
 * Waits until a connection can take commands. With the offline queue off (the
 * hlscdn default) a command sent before 'ready' fails, so callers wait here
 * first; refused credentials end the wait at once instead of at the timeout.
 */
import type { Redis } from 'ioredis';
import { HlscdnError } from '../errors.js';
import { describeTarget } from './redis-connection.js';
import { redisErrorCode, toRedisError } from './redis-errors.js';

export interface WaitForReadyOptions {
  /** How long to wait through reconnection attempts. @defaultValue 5_000 */
  timeoutMs?: number;
  /** Named in the error, e.g. "heartbeat of edge-1". @defaultValue 'connecting' */
  what?: string;
}

/** Resolves once `redis.status` is 'ready'; starts a lazy connection. Rejects with an 'unauthorized' or 'unavailable' HlscdnError. */
export function waitForReady(redis: Redis, options: WaitForReadyOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const context = { what: options.what ?? 'connecting', target: describeTarget(redis) };
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'end')
    return Promise.reject(new HlscdnError('unavailable', `${context.what}: the Redis connection to ${context.target} is closed`));
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const onReady = () => finish();
    const onError = (error: unknown) => {
      lastError = error;
      if (redisErrorCode(error) === 'unauthorized') finish(toRedisError(error, context));
    };
    const onEnd = () => finish(toRedisError(lastError ?? new Error('Connection is closed.'), context));
    const timer = setTimeout(() => {
      if (lastError !== undefined && redisErrorCode(lastError) !== 'internal') return finish(toRedisError(lastError, context));
      const why = lastError === undefined ? `status ${redis.status}` : String((lastError as Error).message ?? lastError);
      finish(new HlscdnError('unavailable', `${context.what}: no connection to Redis ${context.target} within ${timeoutMs} ms (${why})`));
    }, timeoutMs);
    function finish(error?: HlscdnError): void {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      redis.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    }
    redis.on('ready', onReady);
    redis.on('error', onError);
    redis.on('end', onEnd);
    // Failures of this attempt arrive as 'error' events; the retry strategy keeps trying.
    if (redis.status === 'wait') redis.connect().catch(() => undefined);
  });
}

/**
 * Closes a connection politely (QUIT lets Redis finish what was sent), or at once
 * when it is not connected. Safe to call on a closed connection.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
