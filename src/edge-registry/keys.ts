/**
 * Every Redis key and channel of the edge registry, built from the prefix in
 * this one place (the BullMQ model), so the writer, the view, the scripts and
 * the documented ACL patterns cannot drift apart. Schema: docs/edge-registry.md.
 */
import { HlscdnError } from '../core/errors.js';

export interface RegistryKeys {
  readonly prefix: string;
  /** `<p>:edge:<id>`: the edge's JSON record, SET with PX = ttl, so liveness is by expiry. */
  record(id: string): string;
  /** `<p>:edges`: sorted set id -> last heartbeat (ms), to enumerate edges without SCAN. */
  readonly index: string;
  /** `<p>:edges:draining`: set of ids asked to drain. */
  readonly draining: string;
  /** `<p>:edges:events`: pub/sub channel of join/heartbeat/leave/drain/probe events. */
  readonly events: string;
  /** `<p>:edges:probes`: hash id -> the outside-in prober's JSON verdict. */
  readonly probes: string;
  /** `<p>:prober:leader`: the lease that lets one prober probe for everyone. */
  readonly proberLease: string;
}

/** @defaultValue prefix 'hlscdn', the `redis.keyPrefix` setting's default */
export const DEFAULT_KEY_PREFIX = 'hlscdn';

// Same rule as the `redis.keyPrefix` setting: nothing a glob (ACL key patterns) or a hash tag reads specially.
const PREFIX = /^[A-Za-z0-9:_-]+$/;

export function registryKeys(prefix: string = DEFAULT_KEY_PREFIX): RegistryKeys {
  if (!PREFIX.test(prefix)) {
    throw new HlscdnError('invalid-config', `invalid registry key prefix "${prefix}": letters, digits, ":", "_" and "-" only`);
  }
  return {
    prefix,
    record: (id) => `${prefix}:edge:${id}`,
    index: `${prefix}:edges`,
    draining: `${prefix}:edges:draining`,
    events: `${prefix}:edges:events`,
    probes: `${prefix}:edges:probes`,
    proberLease: `${prefix}:prober:leader`,
  };
}
