/** Tests of task spec parsing: defaults, live/VOD inference, and field-level problems. */
import { describe, it, expect } from 'vitest';
import { parseTaskSpec } from './task-spec.js';

describe('parseTaskSpec', () => {
  it('fills every default and derives id, mode and output prefix', () => {
    expect(parseTaskSpec({ input: 'rtmp://srs.local/live/cam1' }, { newId: () => 'abc' })).toEqual({
      ok: true,
      value: {
        id: 'abc',
        input: 'rtmp://srs.local/live/cam1',
        mode: 'live',
        ladder: ['720p', '480p', '360p'],
        segment: { durationSec: 2, type: 'ts' },
        dvrWindowSec: 30,
        outputPrefix: 'live/abc',
        encoderPreset: 'veryfast',
        networkTimeoutSec: 10,
      },
    });
  });

  it.each([
    ['https://media.example/film.mp4', 'vod'],
    ['file:///media/film.mp4', 'vod'],
    ['srt://ingest:9000?mode=caller', 'live'],
  ])('infers the mode of %s', (input, mode) => {
    expect(parseTaskSpec({ input })).toMatchObject({ ok: true, value: { mode } });
  });

  it('treats an endless test source as live and one with a duration as VOD, with test source defaults', () => {
    expect(parseTaskSpec({ input: { kind: 'testsrc' } })).toMatchObject({
      ok: true,
      value: { mode: 'live', input: { kind: 'testsrc', width: 1280, height: 720, fps: 30, clock: true, toneHz: 1000 } },
    });
    expect(parseTaskSpec({ input: { kind: 'testsrc', durationSec: 10 } })).toMatchObject({ ok: true, value: { mode: 'vod' } });
    expect(parseTaskSpec({ input: { kind: 'testsrc', durationSec: 10 }, mode: 'live', id: 'x', outputPrefix: 'events/x/' })).toMatchObject({
      ok: true,
      value: { mode: 'live', outputPrefix: 'events/x' },
    });
  });

  it('names every bad field', () => {
    const result = parseTaskSpec({
      id: 'no spaces',
      input: 'ftp://x/y',
      ladder: ['4k'],
      segment: { durationSec: 0, type: 'mkv' },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-task-spec');
    expect(result.error.problems.map((p) => p.field).sort()).toEqual(['', 'id', 'input', 'segment.durationSec', 'segment.type']);
    expect(result.error.message).toMatch(/input: /);
  });

  it('checks the ladder and the live window once the fields are valid', () => {
    const result = parseTaskSpec({ input: 'rtmp://h/a/b', ladder: ['720p', 'nope'], segment: { durationSec: 4 }, dvrWindowSec: 8 });
    expect(!result.ok && result.error.problems).toEqual([
      { field: 'ladder', message: expect.stringMatching(/unknown preset "nope"/) },
      { field: 'dvrWindowSec', message: expect.stringMatching(/at least 3 segments/) },
    ]);
  });

  it('refuses an absolute or dotted output prefix', () => {
    expect(parseTaskSpec({ input: 'rtmp://h/a/b', outputPrefix: '/etc' })).toMatchObject({
      ok: false,
      error: { problems: [{ field: 'outputPrefix' }] },
    });
    expect(parseTaskSpec({ input: 'rtmp://h/a/b', outputPrefix: 'a/../b' })).toMatchObject({ ok: false });
  });
});
