/** Tests of what an ffmpeg exit means for the task. */
import { describe, it, expect } from 'vitest';
import type { FfmpegExit } from '../ffmpeg-process/ffmpeg-run.js';
import { classifyExit } from './ffmpeg-supervisor.js';

const exit = (change: Partial<FfmpegExit>): FfmpegExit => ({ code: 0, signal: null, stopRequested: false, stderrTail: [], ...change });
const context = { stalled: false, stallMs: 20_000, aborted: false };

describe('classifyExit', () => {
  it('reads a clean end, a requested stop (exit 255 after SIGINT) and a stall', () => {
    expect(classifyExit(exit({}), context)).toEqual({ kind: 'finished' });
    expect(classifyExit(exit({ code: 255, stopRequested: true }), context)).toEqual({ kind: 'stopped' });
    expect(classifyExit(exit({ code: 255, stopRequested: true }), { ...context, stalled: true })).toEqual({
      kind: 'stalled',
      reason: 'ffmpeg made no progress for 20 s (stalled input)',
    });
  });

  it('gives ffmpeg last words as the reason of a failure', () => {
    const tail = ['a', 'rtmp://h/live/x: Connection refused', 'Error opening input files: Connection refused'];
    expect(classifyExit(exit({ code: 1, stderrTail: ['noise', ...tail] }), context)).toEqual({
      kind: 'failed',
      reason: `ffmpeg exited with code 1: ${tail.join(' | ')}`,
    });
    expect(classifyExit(exit({ code: null, signal: 'SIGKILL' }), context)).toEqual({
      kind: 'failed',
      reason: 'ffmpeg was killed by SIGKILL',
    });
    expect(classifyExit(exit({ code: null, spawnError: 'spawn ENOENT' }), context)).toEqual({
      kind: 'failed',
      reason: 'ffmpeg could not be started: spawn ENOENT',
    });
  });
});
