/** Tests of task planning: ladder fitted to the probe, argv per run, master text. */
import { describe, it, expect } from 'vitest';
import { parseTaskSpec } from '../task-spec.js';
import type { TaskSpecInput } from '../task-spec.js';
import { planTranscode, probeForTestSource } from './plan-transcode.js';

function spec(input: TaskSpecInput) {
  const parsed = parseTaskSpec(input, { newId: () => 't1' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('planTranscode', () => {
  it('fits the ladder to the input and changes only start number and discontinuity between runs', () => {
    const plan = planTranscode({
      spec: spec({ input: 'rtmp://h/live/k', ladder: ['1080p', '720p', '360p'], dvrWindowSec: 12 }),
      probe: { video: { width: 1280, height: 720, fps: 30 }, audio: { channels: 2, sampleRate: 44100 } },
      workDir: '/w/t1',
    });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.rungs.map((r) => r.name)).toEqual(['720p', '360p']);
    expect([plan.value.live, plan.value.windowSegments, plan.value.endsByItself]).toEqual([true, 6, false]);
    const first = plan.value.argsFor({ startNumber: 0, discontinuity: false, nowMs: 0 });
    const later = plan.value.argsFor({ startNumber: 42, discontinuity: true, nowMs: 0 });
    expect(first).toContain('-rw_timeout');
    expect(later[later.indexOf('-start_number') + 1]).toBe('42');
    expect(later[later.indexOf('-hls_flags') + 1]).toMatch(/\+discont_start$/);
    expect(plan.value.masterPlaylist).toContain('720p/index.m3u8');
  });

  it('burns in the clock only with a font, from the run start time', () => {
    const live = spec({ input: { kind: 'testsrc', width: 320, height: 180, fps: 25 }, ladder: ['240p'] });
    const withFont = planTranscode({ spec: live, probe: probeForTestSource(live.input as never), workDir: '/w', fontFile: '/f.ttf' });
    const without = planTranscode({ spec: live, probe: probeForTestSource(live.input as never), workDir: '/w' });
    if (!withFont.ok || !without.ok) throw new Error('plan failed');
    expect(withFont.value.argsFor({ startNumber: 0, discontinuity: false, nowMs: 1_700_000_000_000 }).join(' ')).toContain(
      'gmtime\\:1700000000',
    );
    expect(without.value.argsFor({ startNumber: 0, discontinuity: false, nowMs: 0 }).join(' ')).not.toContain('drawtext');
    // A 240p rung on a 180p source is shrunk to the source.
    expect(withFont.value.rungs.map((r) => r.name)).toEqual(['180p']);
  });

  it('knows the length of a VOD for progress', () => {
    const vod = planTranscode({
      spec: spec({ input: 'file:///in.mp4', ladder: ['360p'] }),
      probe: { video: { width: 640, height: 360, fps: 25 }, durationSec: 12.5 },
      workDir: '/w',
    });
    expect(vod).toMatchObject({ ok: true, value: { durationSec: 12.5, endsByItself: true, live: false } });
  });

  it('says when nothing in the ladder can be encoded from the input', () => {
    const audioOnly = planTranscode({
      spec: spec({ input: 'file:///in.mp4', ladder: ['720p'] }),
      probe: { video: { width: 640, height: 360, fps: 0 } },
      workDir: '/w',
    });
    expect(audioOnly).toMatchObject({ ok: false, error: { code: 'ladder-does-not-fit' } });
  });
});
