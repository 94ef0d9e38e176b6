/**
 * VOD through the whole transcoder with real ffmpeg/ffprobe: a generated file in,
 * a master playlist and every variant out, into the fs store and into S3 (s3rver).
 * Checks what players depend on: every variant plays (ffprobe reads it), segments
 * respect the target duration, keyframes line up across rungs, and no playlist ever
 * named an object before it was in the store.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore, S3ObjectStore } from '../../src/origin-store/index.js';
import type { ObjectStore } from '../../src/origin-store/index.js';
import { parseMediaPlaylist, parseTaskSpec, prepareLaunchers, TranscodeSession } from '../../src/transcoder/index.js';
import { playlistFacts } from '../support/playlist-oracle.js';
import type { Launchers, TaskSpecInput } from '../../src/transcoder/index.js';
import { startS3rver } from '../support/s3rver.js';
import type { RunningS3rver } from '../support/s3rver.js';
import { verifyingStore } from '../../src/transcoder/test-support/verifying-store.js';

const run = promisify(execFile);
let dir: string;
let input: string;
let launchers: Launchers;
let s3rver: RunningS3rver;

/** Tiny rungs: the checks are about structure, not pictures. */
const LADDER: TaskSpecInput['ladder'] = [
  { kind: 'video', name: '180p', height: 180, videoBitrateKbps: 300, profile: 'main' },
  { kind: 'video', name: '90p', height: 90, videoBitrateKbps: 100, audioBitrateKbps: 64, profile: 'baseline' },
  'audio-only',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-vod-'));
  input = join(dir, 'input.mp4');
  // 5 s of 320x180 at 25 fps with a tone; a GOP of 2 s that the ladder must not follow.
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x180:rate=25:duration=5',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=5',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-shortest',
    input,
  ]);
  launchers = await prepareLaunchers();
  s3rver = await startS3rver({ directory: join(dir, 's3rver'), bucket: 'vod' });
});

afterAll(async () => {
  await s3rver?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function transcode(store: ObjectStore, spec: TaskSpecInput) {
  const parsed = parseTaskSpec(spec);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const session = TranscodeSession.start({
    spec: parsed.value,
    store,
    workDir: join(dir, 'work', parsed.value.id),
    launchers,
    scanIntervalMs: 200,
  });
  return { outcome: await session.done, spec: parsed.value };
}

async function text(store: ObjectStore, key: string): Promise<string> {
  const found = await store.get(key);
  if (found.kind !== 'body') throw new Error(`${key} is not in the store`);
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function keyframeTimes(playlistPath: string): Promise<string[]> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-skip_frame',
    'nokey',
    '-show_entries',
    'frame=pts_time',
    '-of',
    'csv=p=0',
    playlistPath,
  ]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((t) => Number(t).toFixed(2));
}

describe('VOD transcode', () => {
  it('writes a master and every variant into the fs store, each playable, aligned and in order', async () => {
    const root = join(dir, 'fs-store');
    const store = verifyingStore(new FsObjectStore({ root }));
    const { outcome, spec } = await transcode(store, {
      id: 'talk',
      input: `file://${input}`,
      ladder: LADDER,
      segment: { durationSec: 1 },
      encoderPreset: 'ultrafast',
    });
    expect(outcome).toMatchObject({ state: 'done', restarts: 0 });
    expect(spec.outputPrefix).toBe('vod/talk');

    const master = await text(store, 'vod/talk/master.m3u8');
    expect(master.match(/^[^#].*$/gm)).toEqual(['180p/index.m3u8', '90p/index.m3u8', 'audio-only/index.m3u8']);
    expect(master).toContain('RESOLUTION=320x180');
    // The master went up last, after every variant's final playlist.
    expect(store.puts.at(-1)).toBe('vod/talk/master.m3u8');
    expect(store.violations).toEqual([]);
    expect(store.checkedPlaylists()).toBe(4);

    const durations: number[][] = [];
    for (const rung of ['180p', '90p', 'audio-only']) {
      const parsed = parseMediaPlaylist(await text(store, `vod/talk/${rung}/index.m3u8`));
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.value).toMatchObject({ endList: true, playlistType: 'VOD' });
      for (const segment of parsed.value.segments)
        expect(Math.round(segment.durationSec)).toBeLessThanOrEqual(parsed.value.targetDurationSec);
      if (rung !== 'audio-only') durations.push(parsed.value.segments.map((s) => s.durationSec));
      // An independent reader (m3u8-parser) sees the same segments and durations, and every one is in the store.
      const oracle = playlistFacts(await text(store, `vod/talk/${rung}/index.m3u8`));
      expect(oracle.endList).toBe(true);
      expect(oracle.segments.map((seg) => seg.duration)).toEqual(parsed.value.segments.map((seg) => seg.durationSec));
      for (const seg of oracle.segments) expect(await store.head(`vod/talk/${rung}/${seg.name}`)).toBeDefined();
      const { stdout } = await run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format=duration:stream=codec_type',
        '-of',
        'json',
        join(root, 'vod/talk', rung, 'index.m3u8'),
      ]);
      const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string }[] };
      expect(Number(probe.format.duration)).toBeGreaterThan(4.5);
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(rung === 'audio-only' ? ['audio'] : ['audio', 'video']);
    }
    // Aligned GOPs: same segment boundaries in every video rung, and keyframes at the same times.
    expect(durations[0]).toEqual(durations[1]);
    expect(durations[0]?.length).toBe(5);
    const [big, small] = await Promise.all(['180p', '90p'].map((rung) => keyframeTimes(join(root, 'vod/talk', rung, 'index.m3u8'))));
    expect(big).toEqual(small);
    expect(big?.length).toBeGreaterThanOrEqual(5);
  });

  it('writes fMP4 with init segments into S3', async () => {
    const inner = new S3ObjectStore({
      bucket: 'vod',
      prefix: 'out/',
      endpoint: s3rver.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const store = verifyingStore(inner);
    try {
      const { outcome } = await transcode(store, {
        id: 'clip',
        input: `file://${input}`,
        ladder: LADDER.slice(0, 2),
        segment: { durationSec: 1, type: 'fmp4' },
        encoderPreset: 'ultrafast',
      });
      expect(outcome.state).toBe('done');
      expect(store.violations).toEqual([]);
      const master = await text(store, 'vod/clip/master.m3u8');
      expect(master).toContain('#EXT-X-VERSION:7');
      for (const rung of ['180p', '90p']) {
        const playlist = await text(store, `vod/clip/${rung}/index.m3u8`);
        expect(playlist).toContain(`#EXT-X-MAP:URI="init_${rung}.mp4"`);
        expect((await store.head(`vod/clip/${rung}/init_${rung}.mp4`))?.contentType).toBe('video/mp4');
        const segments = playlist.match(/^seg_\d+\.m4s$/gm) ?? [];
        expect(segments.length).toBe(5);
        for (const segment of segments) expect(await store.head(`vod/clip/${rung}/${segment}`)).toBeDefined();
      }
      expect((await store.head('vod/clip/180p/index.m3u8'))?.contentType).toBe('application/vnd.apple.mpegurl');
    } finally {
      await inner.close();
    }
  });

  it('fails with a clear reason when the input is not media, without retrying forever', async () => {
    const bogus = join(dir, 'bogus.mp4');
    await run('sh', ['-c', `head -c 20000 /dev/urandom > '${bogus}'`]);
    const store = new FsObjectStore({ root: join(dir, 'fs-store') });
    const parsed = parseTaskSpec({ id: 'bogus', input: `file://${bogus}`, ladder: LADDER });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const session = TranscodeSession.start({
      spec: parsed.value,
      store,
      workDir: join(dir, 'work', 'bogus'),
      launchers,
      restartPolicy: {
        maxAttempts: 2,
        backoff: { maxAttempts: Infinity, baseDelayMs: 50, maxDelayMs: 50, jitter: 0 },
        healthyAfterMs: 60_000,
      },
    });
    const outcome = await session.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(/cannot read the input .*bogus\.mp4: .*Invalid data found/);
    expect(outcome.reason).toMatch(/gave up after 2 attempts/);
    expect(outcome.restarts).toBe(1);
  });
});
