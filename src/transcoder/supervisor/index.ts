// Public surface of ffmpeg supervision: restarts with backoff, stall watchdog, graceful stop.
export { FfmpegSupervisor, PermanentRunError, classifyExit } from './ffmpeg-supervisor.js';
export type { SupervisorEvents, SupervisorOptions, SupervisorOutcome, SupervisorState } from './ffmpeg-supervisor.js';
export { DEFAULT_RESTART_POLICY, decideAfterRun } from './restart-policy.js';
export type { DecideOptions, RestartDecision, RestartPolicy, RunEnd } from './restart-policy.js';
