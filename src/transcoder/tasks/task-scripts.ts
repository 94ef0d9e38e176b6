/** The multi-step Redis updates of the task store, as Lua scripts so each is atomic. */

/**
 * Creates a task record unless one with the id exists.
 * KEYS[1] task hash, KEYS[2] index (sorted set)
 * ARGV[1] created-at ms, ARGV[2] id, ARGV[3..] field/value pairs of the record
 * Returns 1 when created, 0 when the id is taken.
 */
export const CREATE_TASK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

/**
 * Updates fields of an existing task, optionally only from some states, so a late
 * progress write cannot revive a task that already ended.
 * KEYS[1] task hash
 * ARGV[1] allowed current states, comma-separated ('' = any), ARGV[2..] field/value pairs
 * Returns 1 when updated, 0 when the task does not exist, -1 when its state is not allowed.
 */
export const UPDATE_TASK = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' then
  local state = redis.call('HGET', KEYS[1], 'state')
  local allowed = false
  for s in string.gmatch(ARGV[1], '[^,]+') do
    if s == state then allowed = true end
  end
  if not allowed then return -1 end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
`;

/**
 * Asks a task to stop: sets stopRequested; a task still queued becomes stopped at once,
 * a running one stopping (its worker confirms with stopped); then tells every worker.
 * KEYS[1] task hash, KEYS[2] stop channel
 * ARGV[1] now ms, ARGV[2] task id
 * Returns the state after the request, or false when the task does not exist.
 */
export const REQUEST_STOP = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local state = redis.call('HGET', KEYS[1], 'state')
redis.call('HSET', KEYS[1], 'stopRequested', '1', 'updatedAt', ARGV[1])
if state == 'queued' then
  state = 'stopped'
  redis.call('HSET', KEYS[1], 'state', state)
elseif state == 'running' or state == 'restarting' then
  state = 'stopping'
  redis.call('HSET', KEYS[1], 'state', state)
end
redis.call('PUBLISH', KEYS[2], ARGV[2])
return state
`;
