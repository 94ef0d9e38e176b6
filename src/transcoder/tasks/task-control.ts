/**
 * The operations the control API and the ingest hooks perform on tasks: create (record
 * + queue), stop, delete. One place, so a hook-created task and an API-created one go
 * through the same steps.
 */
import type { Result } from '../../core/result.js';
import { err, ok } from '../../core/result.js';
import { parseTaskSpec } from '../task-spec.js';
import type { InvalidTaskSpec, ParseTaskSpecOptions } from '../task-spec.js';
import type { TaskQueue } from './task-queue.js';
import { isFinalState } from './task-record.js';
import type { TaskRecord } from './task-record.js';
import type { TaskStore } from './task-store.js';

export interface TaskControlOptions {
  readonly tasks: TaskStore;
  readonly queue: TaskQueue;
  readonly newId?: ParseTaskSpecOptions['newId'];
}

export class TaskControl {
  private readonly tasks: TaskStore;
  private readonly queue: TaskQueue;
  private readonly newId: ParseTaskSpecOptions['newId'];

  constructor(options: TaskControlOptions) {
    this.tasks = options.tasks;
    this.queue = options.queue;
    this.newId = options.newId;
  }

  /** Validates and queues a task; throws `conflict` when its id is taken. */
  async create(input: unknown): Promise<Result<TaskRecord, InvalidTaskSpec>> {
    const spec = parseTaskSpec(input, { newId: this.newId });
    if (!spec.ok) return err(spec.error);
    const record = await this.tasks.create(spec.value);
    await this.queue.enqueue(record.id);
    return ok(record);
  }

  list(): Promise<TaskRecord[]> {
    return this.tasks.list();
  }

  get(id: string): Promise<TaskRecord | undefined> {
    return this.tasks.get(id);
  }

  /** Asks the task to stop wherever it runs; a task still waiting leaves the queue. */
  async stop(id: string): Promise<TaskRecord | undefined> {
    const record = await this.tasks.requestStop(id);
    if (record?.state === 'stopped') await this.queue.remove(id);
    return record;
  }

  /** Stops the task if it is live, then forgets it (its output stays in the store). */
  async delete(id: string): Promise<boolean> {
    const record = await this.tasks.get(id);
    if (!record) return false;
    if (!isFinalState(record.state)) await this.tasks.requestStop(id);
    await this.queue.remove(id);
    return this.tasks.delete(id);
  }
}
