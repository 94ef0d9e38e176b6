/**
 * The local stack's demo stream: a live task of the built-in test pattern (a
 * burnt-in clock, so latency is visible, and a tone), or of a given input URL.
 * A small ladder keeps a 2-core machine comfortable while a browser plays.
 */
import { isFinalState, type TaskControl } from '../transcoder/index.js';
import { HlscdnError } from '../core/errors.js';

export const liveTaskId = 'live';
export const liveOutputPrefix = 'live';

export interface LiveTaskOptions {
  /** Any ffmpeg input URL instead of the test pattern. */
  readonly input?: string;
  /** Low-latency HLS (0.4 s parts, fMP4). */
  readonly lowLatency?: boolean;
}

export function liveTaskSpec({ input, lowLatency = false }: LiveTaskOptions): Record<string, unknown> {
  return {
    id: liveTaskId,
    input: input ?? { kind: 'testsrc', width: 640, height: 360, fps: 25, clock: true, toneHz: 440 },
    mode: 'live',
    ladder: ['360p', '240p'],
    segment: { durationSec: 2, type: lowLatency ? 'fmp4' : 'ts' },
    ...(lowLatency ? { lowLatency: true } : {}),
    dvrWindowSec: 60,
    outputPrefix: liveOutputPrefix,
    encoderPreset: 'veryfast',
  };
}

/**
 * Creates the live task unless one like it is already running (a shared Redis); a
 * finished one, or one of the other kind (regular vs low latency), is replaced.
 */
export async function ensureLiveTask(control: TaskControl, options: LiveTaskOptions): Promise<void> {
  const existing = await control.get(liveTaskId);
  const sameKind = existing !== undefined && (existing.spec.lowLatency !== undefined) === (options.lowLatency === true);
  if (existing && !isFinalState(existing.state) && sameKind) return;
  if (existing) await control.delete(liveTaskId);
  const created = await control.create(liveTaskSpec(options));
  if (!created.ok) throw new HlscdnError('invalid-input', `the live task was refused: ${created.error.message}`);
}
