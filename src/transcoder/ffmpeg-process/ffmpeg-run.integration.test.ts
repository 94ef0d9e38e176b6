/**
 * FfmpegRun with the real ffmpeg: progress, a clean end, a graceful stop that keeps
 * the last segment, SIGKILL, and a failure that reports ffmpeg's own words.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { waitUntil } from '../../core/process/wait-until.js';
import type { ProgressBlock } from '../progress/parse-progress.js';
import { FfmpegRun } from './ffmpeg-run.js';
import { prepareLaunchers } from './launcher.js';
import type { Launchers } from './launcher.js';
import { probeInput } from './probe-input.js';

let dir: string;
let launchers: Launchers;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-ffmpeg-run-'));
  launchers = await prepareLaunchers();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = ['-hide_banner', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-stats_period', '0.5', '-y'];
const hlsTo = (out: string) => [
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-g',
  '25',
  '-f',
  'hls',
  '-hls_time',
  '1',
  '-hls_list_size',
  '0',
  out,
];

describe('FfmpegRun', () => {
  it('reports progress and a clean exit', async () => {
    const run = FfmpegRun.start({
      argv: [...HEAD, '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25:duration=2', ...hlsTo(join(dir, 'a.m3u8'))],
      launchers,
    });
    const blocks: ProgressBlock[] = [];
    run.on('progress', (block) => blocks.push(block));
    const exit = await run.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, stopRequested: false });
    expect(blocks.at(-1)?.progress).toBe('end');
    expect(blocks.at(-1)?.outTimeUs).toBeGreaterThanOrEqual(1_900_000);
    expect(await readFile(join(dir, 'a.m3u8'), 'utf8')).toContain('#EXT-X-ENDLIST');
  });

  it('stops gracefully with SIGINT: exit 255 and a finished playlist', async () => {
    const run = FfmpegRun.start({
      argv: [...HEAD, '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25', ...hlsTo(join(dir, 'b.m3u8'))],
      launchers,
    });
    await waitUntil(() => run.pid !== undefined, { what: 'ffmpeg to start' });
    await waitUntil(async () => (await readFile(join(dir, 'b.m3u8'), 'utf8').catch(() => '')).includes('.ts'), {
      timeoutMs: 10_000,
      what: 'a segment',
    });
    const exit = await run.stop({ graceMs: 5_000 });
    expect(exit).toMatchObject({ code: 255, signal: null, stopRequested: true });
    expect(await readFile(join(dir, 'b.m3u8'), 'utf8')).toContain('#EXT-X-ENDLIST');
    expect(await run.stop()).toBe(exit);
  });

  it('kills with SIGKILL', async () => {
    const run = FfmpegRun.start({
      argv: [...HEAD, '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25', ...hlsTo(join(dir, 'c.m3u8'))],
      launchers,
    });
    await waitUntil(() => run.pid !== undefined, { what: 'ffmpeg to start' });
    const pid = run.pid as number;
    expect(await run.kill()).toMatchObject({ signal: 'SIGKILL', stopRequested: true });
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('fails with the reason ffmpeg printed', async () => {
    const run = FfmpegRun.start({ argv: [...HEAD, '-i', join(dir, 'missing.mp4'), ...hlsTo(join(dir, 'd.m3u8'))], launchers });
    const exit = await run.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.stderrTail.join('\n')).toMatch(/No such file or directory/);
  });

  it('reports an argv it cannot map as a spawn error', async () => {
    const exit = await FfmpegRun.start({ argv: ['-y'], launchers }).exited;
    expect(exit.spawnError).toMatch(/-i/);
  });
});

describe('probeInput', () => {
  it('reads size, frame rate, audio and duration of a file', async () => {
    const file = join(dir, 'in.mp4');
    const made = await FfmpegRun.start({
      argv: [
        ...HEAD,
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x180:rate=25:duration=1',
        '-f',
        'lavfi',
        '-i',
        'sine=duration=1',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-c:a',
        'aac',
        file,
      ],
      launchers,
    }).exited;
    expect(made.code).toBe(0);
    const probe = await probeInput(file, { launchers });
    expect(probe).toMatchObject({
      ok: true,
      value: { video: { width: 320, height: 180, fps: 25 }, audio: { channels: 1, sampleRate: 44100 } },
    });
    expect(probe.ok && probe.value.durationSec).toBeCloseTo(1, 1);
  });

  it('says why a file that is not media cannot be used', async () => {
    const file = join(dir, 'notes.mp4');
    await writeFile(file, 'just some text, not a video\n'.repeat(50));
    const probe = await probeInput(file, { launchers });
    expect(probe).toMatchObject({ ok: false, error: { code: 'probe-failed' } });
    expect(!probe.ok && probe.error.message).toMatch(/Invalid data found/);
  });
});
