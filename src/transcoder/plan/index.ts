// Public surface of task planning: spec + probe -> ladder, master playlist, argv per run.
export { planTranscode, probeForTestSource } from './plan-transcode.js';
export type { PlanErrorCode, PlanTranscodeOptions, RunArgsOptions, TranscodePlan } from './plan-transcode.js';
