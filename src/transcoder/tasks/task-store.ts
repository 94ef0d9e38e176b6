/**
 * Task records in Redis: create, read, list, update (conditionally on the state),
 * stop requests and deletion. Shared by the control API and the workers; the
 * multi-step updates are the documented Lua scripts of task-scripts.ts.
 */
import type { Redis } from 'ioredis';
import { HlscdnError } from '../../core/errors.js';
import type { TaskSpec } from '../task-spec.js';
import { isFinalState, newRecordFields, patchToFields, recordFromHash, TASK_STATES } from './task-record.js';
import type { TaskPatch, TaskRecord, TaskState } from './task-record.js';
import type { TaskKeys } from './task-keys.js';
import { CREATE_TASK, REQUEST_STOP, UPDATE_TASK } from './task-scripts.js';

export interface TaskStoreOptions {
  readonly redis: Redis;
  readonly keys: TaskKeys;
  /** @defaultValue Date.now */
  readonly clock?: () => number;
}

export type UpdateResult = 'updated' | 'missing' | 'refused';

export class TaskStore {
  private readonly redis: Redis;
  private readonly keys: TaskKeys;
  private readonly clock: () => number;

  constructor(options: TaskStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.clock = options.clock ?? Date.now;
  }

  /** Throws `conflict` when the id is taken. */
  async create(spec: TaskSpec): Promise<TaskRecord> {
    const now = this.clock();
    const created = await this.redis.eval(
      CREATE_TASK,
      2,
      this.keys.task(spec.id),
      this.keys.index,
      String(now),
      spec.id,
      ...newRecordFields(spec, now),
    );
    if (created !== 1) throw new HlscdnError('conflict', `a task with id "${spec.id}" already exists`, { details: { id: spec.id } });
    return { id: spec.id, spec, state: 'queued', restarts: 0, stopRequested: false, createdAt: now, updatedAt: now };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const hash = await this.redis.hgetall(this.keys.task(id));
    if (Object.keys(hash).length === 0) return undefined;
    const record = recordFromHash(hash);
    if (!record.ok) throw new HlscdnError('internal', `task ${id}: ${record.error.message}`);
    return record.value;
  }

  /** Every task, oldest first (damaged records are left out). */
  async list(): Promise<TaskRecord[]> {
    const ids = await this.redis.zrange(this.keys.index, 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.task(id));
    const replies = (await pipeline.exec()) ?? [];
    const records: TaskRecord[] = [];
    for (const [error, hash] of replies) {
      if (error || !hash || Object.keys(hash as object).length === 0) continue;
      const record = recordFromHash(hash as Record<string, string>);
      if (record.ok) records.push(record.value);
    }
    return records;
  }

  /**
   * Changes fields of a task. With `fromStates` the change applies only while the task
   * is in one of them (the default for workers: not once it has ended).
   */
  async update(id: string, patch: TaskPatch, options: { readonly fromStates?: readonly TaskState[] } = {}): Promise<UpdateResult> {
    const allowed = (options.fromStates ?? []).join(',');
    const reply = await this.redis.eval(UPDATE_TASK, 1, this.keys.task(id), allowed, ...patchToFields(patch, this.clock()));
    return reply === 1 ? 'updated' : reply === 0 ? 'missing' : 'refused';
  }

  /** Updates a task that has not ended. */
  updateLive(id: string, patch: TaskPatch): Promise<UpdateResult> {
    return this.update(id, patch, { fromStates: TASK_STATES.filter((state) => !isFinalState(state)) });
  }

  /** Asks a task to stop wherever it runs; undefined when there is no such task. */
  async requestStop(id: string): Promise<TaskRecord | undefined> {
    const state = await this.redis.eval(REQUEST_STOP, 2, this.keys.task(id), this.keys.stopChannel, String(this.clock()), id);
    if (state === null) return undefined;
    return this.get(id);
  }

  async stopRequested(id: string): Promise<boolean> {
    return (await this.redis.hget(this.keys.task(id), 'stopRequested')) === '1';
  }

  /** Removes the record; true when there was one. */
  async delete(id: string): Promise<boolean> {
    const [[, removed] = [null, 0]] = (await this.redis.multi().del(this.keys.task(id)).zrem(this.keys.index, id).exec()) ?? [];
    return removed === 1;
  }
}
