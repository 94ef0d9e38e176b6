// Public surface of the ffmpeg runner: the one module that drives fluent-ffmpeg.
export { FfmpegRun } from './ffmpeg-run.js';
export type { FfmpegExit, FfmpegRunEvents, FfmpegRunOptions, StopOptions } from './ffmpeg-run.js';
export { fluentArgv, planFluentCommand } from './fluent-plan.js';
export type { FluentInput, FluentPlan, FluentPlanErrorCode } from './fluent-plan.js';
export { launcherScript, prepareLaunchers } from './launcher.js';
export type { LauncherOptions, Launchers } from './launcher.js';
export { fromFluentProbe, probeInput } from './probe-input.js';
export type { ProbeInputErrorCode, ProbeInputOptions } from './probe-input.js';
