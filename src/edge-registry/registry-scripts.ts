/**
 * The registry's two Lua scripts: updates that need a read and a conditional
 * write as one step. Every key a script touches is passed in KEYS (never built
 * inside the script), as Redis requires for ACL key checks and for Cluster.
 * The simple multi-key updates (heartbeat, deregister) are MULTI transactions
 * in registry-writer.ts.
 */

/**
 * requestDrain: mark an edge as asked to drain, only if it is alive.
 *
 * KEYS[1] the edge's record key (`<p>:edge:<id>`), KEYS[2] the drain set (`<p>:edges:draining`).
 * ARGV[1] the edge id, ARGV[2] the events channel, ARGV[3] the drain event (JSON).
 * Returns -1 when the edge has no record (unknown or expired: nothing is written),
 * 1 when it was newly marked, 0 when it was already marked. The event is published
 * in both of the last cases, so a reader that missed the first one learns it now.
 */
export const REQUEST_DRAIN_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local added = redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return added
`;

/**
 * prune: forget edges whose record has expired (readers run it after a resync
 * found records gone). Checking the record again inside the script makes the
 * removal safe against an edge that heartbeated since the reader's MGET.
 *
 * KEYS[1] the index (`<p>:edges`), KEYS[2] the drain set, KEYS[3..] the
 * candidates' record keys. ARGV[1..] the candidates' ids, in the order of their keys.
 * Returns how many ids were removed from the index.
 */
export const PRUNE_SCRIPT = `
local removed = 0
for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 2]) == 0 then
    removed = removed + redis.call('ZREM', KEYS[1], id)
    redis.call('SREM', KEYS[2], id)
  end
end
return removed
`;
