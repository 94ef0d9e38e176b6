/**
 * A low-latency live task with real ffmpeg into a real store: parts are stored
 * before the playlist that lists them, each published playlist keeps the RFC
 * 8216bis part rules, a segment's bytes are its parts' bytes, a SIGKILLed
 * ffmpeg is restarted with part and media sequence numbers that continue behind
 * a discontinuity, and stopping publishes EXT-X-ENDLIST without a preload hint.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import { FsObjectStore, type ObjectStore } from '../../src/origin-store/index.js';
import { checkLowLatencyPlaylist } from '../../src/rewriter/index.js';
import { parseTaskSpec, prepareLaunchers, TranscodeSession } from '../../src/transcoder/index.js';
import type { Launchers } from '../../src/transcoder/index.js';
import { verifyingStore } from '../../src/transcoder/test-support/verifying-store.js';

let dir: string;
let launchers: Launchers;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-ll-transcode-'));
  launchers = await prepareLaunchers();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function text(store: ObjectStore, key: string): Promise<string | undefined> {
  const found = await store.get(key);
  if (found.kind !== 'body') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function bytes(store: ObjectStore, key: string): Promise<Buffer> {
  const found = await store.get(key);
  if (found.kind !== 'body') throw new Error(`${key} is not in the store`);
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const completeSegments = (playlist: string) => (playlist.match(/#EXTINF/g) ?? []).length;
const partNumbers = (playlist: string) => [...playlist.matchAll(/#EXT-X-PART:[^\n]*URI="part(\d+)\.m4s"/g)].map((m) => Number(m[1]));

describe('low-latency live task', () => {
  it('stores parts before playlists, keeps the part rules, survives a SIGKILL and ends with ENDLIST', { timeout: 90_000 }, async () => {
    const store = verifyingStore(new FsObjectStore({ root: join(dir, 'store') }));
    const spec = parseTaskSpec({
      id: 'llcam',
      input: { kind: 'testsrc', width: 320, height: 180, fps: 25, clock: false },
      ladder: [
        { kind: 'video', name: '180p', height: 180, videoBitrateKbps: 200, audioBitrateKbps: 64, profile: 'main' },
        { kind: 'video', name: '90p', height: 90, videoBitrateKbps: 80, audioBitrateKbps: 64, profile: 'baseline' },
      ],
      segment: { durationSec: 2 },
      dvrWindowSec: 20,
      encoderPreset: 'ultrafast',
      lowLatency: true,
    });
    if (!spec.ok) throw new Error(spec.error.message);
    expect(spec.value.segment.type).toBe('fmp4');
    const session = TranscodeSession.start({
      spec: spec.value,
      store,
      workDir: join(dir, 'work'),
      launchers,
      restartPolicy: {
        maxAttempts: 3,
        backoff: { maxAttempts: Infinity, baseDelayMs: 100, maxDelayMs: 200, jitter: 0 },
        healthyAfterMs: 60_000,
      },
    });
    const key = 'live/llcam/180p/index.m3u8';
    const seen: string[] = [];
    const publishedWith = async (check: (playlist: string) => boolean, what: string) =>
      waitUntil(
        async () => {
          const playlist = await text(store, key);
          if (playlist !== undefined && seen.at(-1) !== playlist) seen.push(playlist);
          return playlist !== undefined && check(playlist) ? playlist : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 50, what },
      );
    try {
      const early = await publishedWith((p) => completeSegments(p) >= 2, 'two complete low-latency segments');
      expect(early).toContain('#EXT-X-PART-INF:PART-TARGET=0.4');
      expect(early).toContain('#EXT-X-RENDITION-REPORT:URI="../90p/index.m3u8"');
      // The master goes up once every rung lists two complete segments (Shaka cannot load a younger stream).
      await waitUntil(async () => (await store.head('live/llcam/master.m3u8')) !== undefined, {
        timeoutMs: 10_000,
        what: 'the master playlist',
      });

      // A segment is its parts, concatenated: seg_00001 is parts 5..9 (five 0.4 s parts of 2 s).
      const parts = await Promise.all([5, 6, 7, 8, 9].map((n) => bytes(store, `live/llcam/180p/part${n}.m4s`)));
      expect((await bytes(store, 'live/llcam/180p/seg_00001.m4s')).equals(Buffer.concat(parts))).toBe(true);

      const highestBefore = Math.max(...partNumbers(early));
      const pid = session.pid as number;
      process.kill(pid, 'SIGKILL');
      const resumed = await publishedWith(
        (p) => p.includes('#EXT-X-DISCONTINUITY') && completeSegments(p) >= 1,
        'a restarted run in the playlist',
      );
      expect(session.pid).not.toBe(pid);
      expect(Math.min(...partNumbers(resumed))).toBeGreaterThan(highestBefore);
      expect(resumed).toMatch(/#EXT-X-MAP:URI="init_180p_s\d+\.mp4"/);
    } finally {
      await session.stop();
    }
    const final = (await text(store, key)) ?? '';
    expect(final).toContain('#EXT-X-ENDLIST');
    expect(final).not.toContain('#EXT-X-PRELOAD-HINT');
    expect(store.violations).toEqual([]);
    // Every version the test saw keeps the rules (the final one included).
    expect(seen.length).toBeGreaterThan(5);
    for (const playlist of [...seen, final]) expect(checkLowLatencyPlaylist(playlist), playlist).toEqual([]);
  });
});
