/**
 * The Lua scripts of the leader lease. Acquiring is a plain `SET key holder NX PX ttl`;
 * renewing and releasing must first check that the key still names this holder,
 * and that check and the write must be one atomic step, or a holder whose lease
 * expired could extend or delete its successor's lease (the Redis docs'
 * "distributed locks" pattern: https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
 */

/**
 * Compare-and-extend.
 * KEYS[1] the lease key; ARGV[1] holder id; ARGV[2] ttl in ms.
 * Returns 1 when the lease was this holder's and now lives ttl ms more, 0 otherwise.
 */
export const RENEW_LEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/**
 * Compare-and-delete.
 * KEYS[1] the lease key; ARGV[1] holder id.
 * Returns 1 when the lease was this holder's and is now free, 0 otherwise.
 */
export const RELEASE_LEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
