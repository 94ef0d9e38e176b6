/**
 * A task's record as the API shows it and as Redis stores it (one hash, one field per
 * property, so the API's stop request and a worker's progress write never overwrite
 * each other). Converting both ways is pure; a damaged hash is an error value.
 */
import { z } from 'zod';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { TaskProgress } from '../session/progress-view.js';
import type { TaskSpec } from '../task-spec.js';

export const TASK_STATES = ['queued', 'running', 'restarting', 'stopping', 'stopped', 'failed', 'done'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States a task never leaves. */
export const FINAL_STATES: readonly TaskState[] = ['stopped', 'failed', 'done'];

export function isFinalState(state: TaskState): boolean {
  return FINAL_STATES.includes(state);
}

export interface TaskRecord {
  readonly id: string;
  readonly spec: TaskSpec;
  readonly state: TaskState;
  /** ffmpeg restarts and worker failovers so far. */
  readonly restarts: number;
  /** Why the last run failed (ffmpeg's last words), or why the task failed. */
  readonly lastError?: string;
  readonly progress?: TaskProgress;
  /** Worker running (or that last ran) the task. */
  readonly workerId?: string;
  readonly stopRequested: boolean;
  /** ms since the epoch */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The fields a worker or the API changes. */
export interface TaskPatch {
  readonly state?: TaskState;
  readonly restarts?: number;
  readonly lastError?: string;
  readonly progress?: TaskProgress;
  readonly workerId?: string;
  readonly stopRequested?: boolean;
}

export function patchToFields(patch: TaskPatch, updatedAt: number): string[] {
  const fields: string[] = ['updatedAt', String(updatedAt)];
  if (patch.state !== undefined) fields.push('state', patch.state);
  if (patch.restarts !== undefined) fields.push('restarts', String(patch.restarts));
  if (patch.lastError !== undefined) fields.push('lastError', patch.lastError);
  if (patch.progress !== undefined) fields.push('progress', JSON.stringify(patch.progress));
  if (patch.workerId !== undefined) fields.push('workerId', patch.workerId);
  if (patch.stopRequested !== undefined) fields.push('stopRequested', patch.stopRequested ? '1' : '0');
  return fields;
}

export function newRecordFields(spec: TaskSpec, now: number): string[] {
  return [
    'id',
    spec.id,
    'spec',
    JSON.stringify(spec),
    'state',
    'queued',
    'restarts',
    '0',
    'stopRequested',
    '0',
    'createdAt',
    String(now),
    'updatedAt',
    String(now),
  ];
}

const hashSchema = z.object({
  id: z.string().min(1),
  spec: z.string(),
  state: z.enum(TASK_STATES),
  restarts: z.coerce.number().int().min(0),
  lastError: z.string().optional(),
  progress: z.string().optional(),
  workerId: z.string().optional(),
  stopRequested: z.enum(['0', '1']).default('0'),
  createdAt: z.coerce.number(),
  updatedAt: z.coerce.number(),
});

export function recordFromHash(hash: Record<string, string>): Result<TaskRecord, { message: string }> {
  const parsed = hashSchema.safeParse(hash);
  if (!parsed.success) return err({ message: `damaged task record: ${z.prettifyError(parsed.error)}` });
  const h = parsed.data;
  try {
    return ok({
      id: h.id,
      spec: JSON.parse(h.spec) as TaskSpec,
      state: h.state,
      restarts: h.restarts,
      ...(h.lastError !== undefined && h.lastError !== '' ? { lastError: h.lastError } : {}),
      ...(h.progress !== undefined ? { progress: JSON.parse(h.progress) as TaskProgress } : {}),
      ...(h.workerId !== undefined ? { workerId: h.workerId } : {}),
      stopRequested: h.stopRequested === '1',
      createdAt: h.createdAt,
      updatedAt: h.updatedAt,
    });
  } catch (error) {
    return err({ message: `damaged task record: ${(error as Error).message}` });
  }
}
