/**
 * Least-privilege Redis ACL rules per registry role, built from the same key
 * builders as the code that uses them, so the documented users cannot drift
 * from the keys. Use as `ACL SETUSER <name> reset on ><password> ...rules`.
 * Subcommand rules (`+client|setname`) need Redis 7.
 */
import type { RegistryKeys } from './keys.js';

/**
 * `agent`: an edge's agent (register, heartbeat, deregister).
 * `view`: the rewriter's and autoscaler's read side (it also prunes expired index entries).
 * `controller`: asks edges to drain (the autoscaler, with `view` rules too).
 * `prober`: the outside-in prober beside the rewriters (with `view` rules too):
 * takes the prober lease and publishes probe verdicts.
 */
export type RegistryRole = 'agent' | 'view' | 'controller' | 'prober';

// What every client sends while connecting: CLIENT SETNAME (the name in CLIENT LIST)
// and INFO (ioredis' ready check, which waits out a Redis still loading its data).
const CONNECTION = ['+client|setname', '+info'];

const COMMANDS: Record<RegistryRole, string[]> = {
  agent: ['+multi', '+exec', '+set', '+zadd', '+sismember', '+publish', '+del', '+zrem', '+srem'],
  view: ['+multi', '+exec', '+zrange', '+mget', '+smembers', '+hgetall', '+subscribe', '+eval', '+exists', '+zrem', '+srem'],
  controller: ['+eval', '+exists', '+sadd', '+publish'],
  // The lease: SET NX PX, GET, and the compare-and-extend / compare-and-delete scripts (EVAL).
  prober: ['+multi', '+exec', '+hset', '+hdel', '+publish', '+set', '+get', '+eval'],
};

export function registryAclRules(keys: RegistryKeys, role: RegistryRole): string[] {
  // EVAL counts its KEYS as written (Redis cannot know what a script does), so the
  // view and the controller need write permission on record keys for their scripts;
  // their command lists (no SET, no DEL) are what keeps them from changing records.
  const keyRules = {
    agent: [`~${keys.record('*')}`, `~${keys.index}`, `~${keys.draining}`],
    view: [`~${keys.record('*')}`, `~${keys.index}`, `~${keys.draining}`, `~${keys.probes}`],
    controller: [`~${keys.record('*')}`, `~${keys.draining}`],
    prober: [`~${keys.probes}`, `~${keys.proberLease}`],
  }[role];
  return ['resetkeys', ...keyRules, 'resetchannels', `&${keys.events}`, '-@all', ...COMMANDS[role], ...CONNECTION];
}
