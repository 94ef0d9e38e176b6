// Public surface of the transcoder: the pure pieces (ladder, argv, master playlist,
// progress), task specs and planning, the ffmpeg runner, the uploader, supervision,
// sessions, the task system (store, queue, workers), the control API and ingest hooks.
export * from './ladder/index.js';
export * from './ffmpeg-args/index.js';
export * from './master/index.js';
export * from './progress/index.js';
export * from './shared/index.js';
export * from './ffmpeg-process/index.js';
export * from './uploader/index.js';
export * from './supervisor/index.js';
export * from './plan/index.js';
export * from './session/index.js';
export * from './tasks/index.js';
export * from './api/index.js';
export * from './hooks/index.js';
export { parseTaskSpec, taskSpecSchema, TASK_ID_PATTERN } from './task-spec.js';
export type { InvalidTaskSpec, ParseTaskSpecOptions, TaskSpec, TaskSpecInput, TaskSpecProblem, TestSourceSpec } from './task-spec.js';
export { sessionSettingsFromConfig, transcoderSchema } from './config.js';
export type { TranscoderConfig } from './config.js';
