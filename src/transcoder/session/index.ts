// Public surface of a task's session: probe, plan, supervise ffmpeg, upload.
export { TranscodeSession } from './transcode-session.js';
export type { SessionEvents, SessionOutcome, SessionSettings, TranscodeSessionOptions } from './transcode-session.js';
export { describeProgress, formatProgressLine } from './progress-view.js';
export type { ProgressContext, TaskProgress } from './progress-view.js';
