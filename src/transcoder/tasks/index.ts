// Public surface of the task system: records in Redis, the BullMQ queue, workers.
export { TaskControl } from './task-control.js';
export type { TaskControlOptions } from './task-control.js';
export { taskKeys } from './task-keys.js';
export type { TaskKeys } from './task-keys.js';
export { TaskQueue, bullConnection, jobIdFor } from './task-queue.js';
export type { TaskJobData, TaskQueueOptions, TaskRedisOptions } from './task-queue.js';
export { FINAL_STATES, TASK_STATES, isFinalState, recordFromHash } from './task-record.js';
export type { TaskPatch, TaskRecord, TaskState } from './task-record.js';
export { TaskStore } from './task-store.js';
export type { TaskStoreOptions, UpdateResult } from './task-store.js';
export { TaskWorker } from './task-worker.js';
export type { TaskWorkerOptions } from './task-worker.js';
