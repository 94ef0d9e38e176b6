/**
 * Probes an input with ffprobe through fluent-ffmpeg and reads the result with the
 * ladder's parseFfprobeJson. fluent-ffmpeg parses ffprobe's default text output itself
 * (not JSON), so its data is first put back into the JSON shape: side data keys land
 * flat on the stream there, and negative numbers stay strings.
 */
import ffmpeg from 'fluent-ffmpeg';
import type { FfprobeData } from 'fluent-ffmpeg';
import { errorMessage } from '../../core/errors.js';
import { parseFfprobeJson } from '../ladder/probe.js';
import type { ProbeInfo } from '../ladder/probe.js';
import { fail } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';
import type { Launchers } from './launcher.js';

export interface ProbeInputOptions {
  readonly launchers: Launchers;
  /** Input options placed before the input (network timeouts, reconnect flags). */
  readonly inputOptions?: readonly string[];
}

export type ProbeInputErrorCode = 'probe-failed' | 'invalid-json' | 'invalid-probe' | 'no-media-streams';

export function probeInput(url: string, options: ProbeInputOptions): Promise<Result<ProbeInfo, CodedProblem<ProbeInputErrorCode>>> {
  ffmpeg.setFfprobePath(options.launchers.ffprobe);
  return new Promise((resolve) => {
    ffmpeg.ffprobe(url, [...(options.inputOptions ?? [])], (error: unknown, data: FfprobeData) => {
      if (error) {
        resolve(fail('probe-failed', describeProbeError(error)));
        return;
      }
      resolve(parseFfprobeJson(fromFluentProbe(data)));
    });
  });
}

/** fluent-ffmpeg's probe data in the shape of `ffprobe -print_format json -show_streams -show_format`. */
export function fromFluentProbe(data: FfprobeData): unknown {
  const streams = data.streams.map((stream) => {
    const copy: Record<string, unknown> = { ...stream };
    const rotation = Number((stream as Record<string, unknown>)['rotation']);
    if (Number.isFinite(rotation) && copy['side_data_list'] === undefined) copy['side_data_list'] = [{ rotation }];
    return copy;
  });
  return { streams, format: data.format };
}

/** The useful part of ffprobe's failure: its last stderr line, not fluent-ffmpeg's preamble. */
function describeProbeError(error: unknown): string {
  const message = errorMessage(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? 'ffprobe failed';
  const killed = /code 137|signal SIGKILL/.test(first);
  const last = lines.length > 1 ? lines.at(-1) : undefined;
  if (killed) return 'ffprobe did not answer in time (the input sends nothing)';
  return last ? `${first}: ${last}` : first;
}
