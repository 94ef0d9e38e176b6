/**
 * The transcoder's public surface: what the composed configuration, the CLI, the
 * local stack, the benchmarks and the integration tests use. Everything else stays
 * inside src/transcoder.
 */
// Configuration: the `transcoder` section and the session settings it yields
export { sessionSettingsFromConfig, transcoderSchema } from './config.js';
// Tasks as clients send them
export { parseTaskSpec, type TaskSpec, type TaskSpecInput } from './task-spec.js';
// ffmpeg: the launch scripts every run uses, and probing an input
export { prepareLaunchers, type Launchers } from './ffmpeg-process/launcher.js';
export { probeInput } from './ffmpeg-process/probe-input.js';
// One task in the foreground: its plan, its session and the progress line
export { planTranscode } from './plan/plan-transcode.js';
export { TranscodeSession, type TranscodeSessionOptions } from './session/transcode-session.js';
export { formatProgressLine } from './session/progress-view.js';
// The task system: workers, task records and the operations on tasks
export { TaskWorker } from './tasks/task-worker.js';
export { isFinalState, type TaskRecord } from './tasks/task-record.js';
export type { TaskControl } from './tasks/task-control.js';
// The control API
export { createControlApp } from './api/control-app.js';
export { startControlService, type RunningControlService } from './api/control-service.js';
// Reading a published media playlist
export { parseMediaPlaylist, type MediaPlaylist } from './uploader/media-playlist.js';
