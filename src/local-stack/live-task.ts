/**
 * The local stack's demo stream: a live task of the built-in test pattern (a
 * burnt-in clock, so latency is visible, and a tone), or of a given input URL.
 * A small ladder keeps a 2-core machine comfortable while a browser plays.
 */
import { isFinalState, type TaskControl } from '../transcoder/index.js';
import { HlscdnError } from '../core/errors.js';

export const liveTaskId = 'live';
export const liveOutputPrefix = 'live';

export function liveTaskSpec(input: string | undefined): Record<string, unknown> {
  return {
    id: liveTaskId,
    input: input ?? { kind: 'testsrc', width: 640, height: 360, fps: 25, clock: true, toneHz: 440 },
    mode: 'live',
    ladder: ['360p', '240p'],
    segment: { durationSec: 2, type: 'ts' },
    dvrWindowSec: 60,
    outputPrefix: liveOutputPrefix,
    encoderPreset: 'veryfast',
  };
}

/** Creates the live task unless one is already running (a shared Redis); a finished one is replaced. */
export async function ensureLiveTask(control: TaskControl, input: string | undefined): Promise<void> {
  const existing = await control.get(liveTaskId);
  if (existing && !isFinalState(existing.state)) return;
  if (existing) await control.delete(liveTaskId);
  const created = await control.create(liveTaskSpec(input));
  if (!created.ok) throw new HlscdnError('invalid-input', `the live task was refused: ${created.error.message}`);
}
