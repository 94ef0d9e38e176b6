/**
 * Every Redis key and channel of the task system, built from the prefix in one place
 * (the BullMQ model) so the store, the workers and the docs cannot drift apart.
 * Schema: docs/transcoder.md "Workers and failover".
 */
import { HlscdnError } from '../../core/errors.js';

export interface TaskKeys {
  readonly prefix: string;
  /** `<p>:transcoder:task:<id>`: hash of one task's record (see task-record.ts). */
  task(id: string): string;
  /** `<p>:transcoder:tasks`: sorted set id -> creation time (ms), to list without SCAN. */
  readonly index: string;
  /** `<p>:transcoder:stop`: pub/sub channel; the message is the id of a task to stop. */
  readonly stopChannel: string;
  /** BullMQ's `prefix` option: its keys are `<p>:transcoder:bull:<queue>:...`. */
  readonly bullPrefix: string;
}

const PREFIX = /^[A-Za-z0-9:_-]+$/;

export function taskKeys(prefix = 'hlscdn'): TaskKeys {
  if (!PREFIX.test(prefix))
    throw new HlscdnError('invalid-config', `invalid key prefix "${prefix}": letters, digits, ":", "_" and "-" only`);
  const base = `${prefix}:transcoder`;
  return {
    prefix,
    task: (id) => `${base}:task:${id}`,
    index: `${base}:tasks`,
    stopChannel: `${base}:stop`,
    bullPrefix: `${base}:bull`,
  };
}
