/**
 * How the registry's writer and view open their connections: the shared
 * factory, connected lazily so a refused password or an absent server surfaces
 * as an error of the first call (or of start()), not as a log line only.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import { createRedisConnection, type RedisConnectionOptions } from '../core/redis/index.js';

/** Connection settings of a registry client; `name` defaults per role. */
export type RegistryRedisOptions = Omit<RedisConnectionOptions, 'name' | 'lazyConnect' | 'logger'> & { name?: string };

export function openRegistryConnection(options: RegistryRedisOptions, name: string, logger: Logger): Redis {
  return createRedisConnection({ ...options, name, lazyConnect: true, logger });
}
