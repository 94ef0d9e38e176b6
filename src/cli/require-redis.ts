/** Commands that talk to the registry need a Redis URL; say so plainly when it is missing. */
import type { RedisConfig } from '../core/redis/index.js';
import { HlscdnError } from '../core/errors.js';

export function requireRedis(redis: RedisConfig): RedisConfig & { url: string } {
  if (!redis.url)
    throw new HlscdnError(
      'invalid-config',
      'no Redis configured: set REDIS_URL (or HLSCDN_REDIS_URL), e.g. REDIS_URL=redis://127.0.0.1:6379',
    );
  return { ...redis, url: redis.url };
}
