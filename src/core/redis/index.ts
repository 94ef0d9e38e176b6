/**
 * Public surface of the Redis connection plumbing shared by every hlscdn service.
 */
export { createRedisConnection, describeTarget, redisOptionsFor, type RedisConnectionOptions } from './redis-connection.js';
export { redisErrorCode, toRedisError, type RedisErrorContext } from './redis-errors.js';
export { closeRedis, waitForReady, type WaitForReadyOptions } from './wait-for-ready.js';
export { redisSchema, type RedisConfig } from './config.js';
export { redisOptionsFromConfig } from './redis-options-from-config.js';
export {
  LeaderLease,
  type LeaderLeaseOptions,
  type LeaderLeaseEvents,
  type LeaseRole,
  type FollowerReason,
  type LeaseRedisOptions,
} from './leader-lease.js';
