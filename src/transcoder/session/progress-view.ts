/**
 * What a person (CLI line) or a program (task record) wants to know about a running
 * task, derived from ffmpeg's last progress block. Pure: times come in.
 */
import type { ProgressBlock } from '../progress/parse-progress.js';

export interface TaskProgress {
  /** Seconds of output written by the current run. */
  readonly outTimeSec: number;
  /** Processing speed relative to real time (1 = real time). */
  readonly speed: number | undefined;
  /** VOD with a known duration: 0-100. */
  readonly percent: number | undefined;
  /** VOD with a known duration and speed: seconds left. */
  readonly etaSec: number | undefined;
  /** Seconds since the task started running. */
  readonly uptimeSec: number;
  readonly restarts: number;
}

export interface ProgressContext {
  readonly durationSec: number | undefined;
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly restarts: number;
}

export function describeProgress(block: ProgressBlock, context: ProgressContext): TaskProgress {
  const outTimeSec = (block.outTimeUs ?? 0) / 1_000_000;
  const duration = context.durationSec;
  const percent = duration !== undefined && duration > 0 ? Math.min(100, (outTimeSec / duration) * 100) : undefined;
  const etaSec =
    duration !== undefined && block.speed !== undefined && block.speed > 0 ? Math.max(0, (duration - outTimeSec) / block.speed) : undefined;
  return {
    outTimeSec: round(outTimeSec, 3),
    speed: block.speed,
    percent: percent === undefined ? undefined : round(percent, 1),
    etaSec: etaSec === undefined ? undefined : round(etaSec, 1),
    uptimeSec: round(Math.max(0, context.nowMs - context.startedAtMs) / 1000, 1),
    restarts: context.restarts,
  };
}

/** One line for a terminal or a log: "42.0% 3.1x ETA 0:12" (VOD) or "up 1:02:03 1.00x 2 restarts" (live). */
export function formatProgressLine(progress: TaskProgress, live: boolean): string {
  const speed = progress.speed === undefined ? '-' : `${progress.speed.toFixed(2)}x`;
  if (live) return `live up ${clock(progress.uptimeSec)} speed ${speed} restarts ${progress.restarts}`;
  const percent = progress.percent === undefined ? `${progress.outTimeSec.toFixed(1)} s` : `${progress.percent.toFixed(1)}%`;
  const eta = progress.etaSec === undefined ? '' : ` ETA ${clock(progress.etaSec)}`;
  return `vod ${percent} speed ${speed}${eta}`;
}

function clock(totalSec: number): string {
  const s = Math.floor(totalSec);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
