/**
 * Every Redis key of the autoscaler, built from the prefix in this one place
 * (the BullMQ model), beside the registry's own keys (`src/edge-registry/keys.ts`).
 */
import { HlscdnError } from '../core/errors.js';

export interface AutoscalerKeys {
  readonly prefix: string;
  /** `<p>:autoscaler:leader`: string holding the leader's holder id, PX = lease ttl. */
  readonly leader: string;
}

// Same rule as the `redis.keyPrefix` setting and the registry's keys.
const PREFIX = /^[A-Za-z0-9:_-]+$/;

/** @defaultValue prefix 'hlscdn' */
export function autoscalerKeys(prefix = 'hlscdn'): AutoscalerKeys {
  if (!PREFIX.test(prefix)) {
    throw new HlscdnError('invalid-config', `invalid autoscaler key prefix "${prefix}": letters, digits, ":", "_" and "-" only`);
  }
  return { prefix, leader: `${prefix}:autoscaler:leader` };
}
