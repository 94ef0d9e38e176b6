/**
 * Live tasks with real ffmpeg: the playlists advance while every playlist put is
 * checked against the store; a SIGKILLed ffmpeg restarts and the media sequence
 * continues behind a discontinuity that is later counted in
 * EXT-X-DISCONTINUITY-SEQUENCE; expired segments leave the store only after the grace
 * period; a stalled input trips the watchdog; an unreachable input fails with its
 * reason after a bounded number of attempts.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, waitUntil } from '../../src/core/process/index.js';
import { FsObjectStore } from '../../src/origin-store/index.js';
import type { ObjectStore } from '../../src/origin-store/index.js';
import { parseMediaPlaylist, parseTaskSpec, prepareLaunchers, TranscodeSession } from '../../src/transcoder/index.js';
import type { Launchers, MediaPlaylist, TaskSpecInput, TranscodeSessionOptions } from '../../src/transcoder/index.js';
import { verifyingStore } from '../../src/transcoder/test-support/verifying-store.js';

const run = promisify(execFile);
let dir: string;
let launchers: Launchers;
const FAST_RETRY = { maxAttempts: Infinity, baseDelayMs: 100, maxDelayMs: 200, jitter: 0 };
const TINY: TaskSpecInput['ladder'] = [
  { kind: 'video', name: '180p', height: 180, videoBitrateKbps: 200, profile: 'main' },
  { kind: 'video', name: '90p', height: 90, videoBitrateKbps: 80, audioBitrateKbps: 64, profile: 'baseline' },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-live-'));
  launchers = await prepareLaunchers();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(spec: TaskSpecInput, store: ObjectStore, options: Partial<TranscodeSessionOptions> = {}): TranscodeSession {
  const parsed = parseTaskSpec(spec);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return TranscodeSession.start({
    spec: parsed.value,
    store,
    workDir: join(dir, 'work', parsed.value.id),
    launchers,
    scanIntervalMs: 200,
    ...options,
  });
}

async function playlist(store: ObjectStore, key: string): Promise<MediaPlaylist | undefined> {
  const found = await store.get(key);
  if (found.kind !== 'body') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const parsed = parseMediaPlaylist(Buffer.concat(chunks).toString('utf8'));
  return parsed.ok ? parsed.value : undefined;
}

describe('live task', () => {
  it('advances, survives a SIGKILL of ffmpeg with continuous numbering, expires old segments and ends with ENDLIST', async () => {
    const store = verifyingStore(new FsObjectStore({ root: join(dir, 'store') }));
    const key = 'live/cam/180p/index.m3u8';
    const session = start(
      {
        id: 'cam',
        input: { kind: 'testsrc', width: 320, height: 180, fps: 25 },
        ladder: TINY,
        segment: { durationSec: 1, type: 'fmp4' },
        dvrWindowSec: 4,
        encoderPreset: 'ultrafast',
      },
      store,
      {
        restartPolicy: { maxAttempts: 3, backoff: FAST_RETRY, healthyAfterMs: 60_000 },
        fontFile: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
      },
    );
    const restarts: string[] = [];
    session.on('restart', ({ reason }) => restarts.push(reason));
    try {
      // The window fills and slides: the media sequence advances.
      const early = await waitUntil(
        async () => {
          const p = await playlist(store, key);
          return p && p.mediaSequence >= 2 ? p : undefined;
        },
        { timeoutMs: 20_000, what: 'the live window to slide' },
      );
      expect(early.segments).toHaveLength(4);
      expect(early.endList).toBe(false);
      expect(await store.head('live/cam/master.m3u8')).toBeDefined();
      const lastBefore = early.segments.at(-1)?.msn as number;

      // Kill ffmpeg outright: it loses the segment it was writing.
      const pid = session.pid as number;
      process.kill(pid, 'SIGKILL');
      const resumed = await waitUntil(
        async () => {
          const p = await playlist(store, key);
          return p?.segments.some((s) => s.discontinuity) ? p : undefined;
        },
        { timeoutMs: 20_000, what: 'a restarted run in the playlist' },
      );
      expect(restarts[0]).toMatch(/killed by SIGKILL/);
      expect(session.pid).not.toBe(pid);
      const msns = resumed.segments.map((s) => s.msn);
      expect(msns).toEqual(msns.map((_, i) => (msns[0] as number) + i));
      const cut = resumed.segments.findIndex((s) => s.discontinuity);
      expect(resumed.segments[cut]?.msn).toBeGreaterThan(lastBefore);
      // The restarted run publishes its own init segment behind the discontinuity.
      expect(resumed.segments[cut]?.mapUri).toMatch(/^init_180p_s\d+\.mp4$/);
      expect(resumed.segments[0]?.mapUri).toBe('init_180p.mp4');

      // Once the discontinuity slides out, it is counted.
      const later = await waitUntil(
        async () => {
          const p = await playlist(store, key);
          return p && p.discontinuitySequence === 1 ? p : undefined;
        },
        { timeoutMs: 20_000, what: 'EXT-X-DISCONTINUITY-SEQUENCE:1' },
      );
      expect(later.segments.every((s) => !s.discontinuity)).toBe(true);
      // The first run's init segment was deleted after its grace period, not before.
      await waitUntil(async () => (await store.head('live/cam/180p/init_180p.mp4')) === undefined, {
        timeoutMs: 15_000,
        what: 'the old init segment to expire',
      });
      expect(await store.head('live/cam/180p/seg_00000.m4s')).toBeUndefined();
      expect(await store.head(`live/cam/180p/${later.segments[0]?.uri}`)).toBeDefined();
    } finally {
      const outcome = await session.stop();
      expect(outcome).toMatchObject({ state: 'stopped', restarts: 1, handedOver: false });
    }
    const final = await playlist(store, key);
    expect(final?.endList).toBe(true);
    expect(store.violations).toEqual([]);
    expect(store.checkedPlaylists()).toBeGreaterThan(10);
  });

  it('restarts a stalled input through the watchdog', async () => {
    // 6 s of TS; the first connection (ffprobe) gets all of it, later ones a third, then silence.
    const source = join(dir, 'source.ts');
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x90:rate=25:duration=6',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=6',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-f',
      'mpegts',
      source,
    ]);
    const bytes = await readFile(source);
    let connections = 0;
    const hanging: ServerResponse[] = [];
    const server: Server = createServer((_req, res) => {
      connections += 1;
      res.writeHead(200, { 'Content-Type': 'video/mp2t' });
      if (connections === 1) {
        res.end(bytes);
        return;
      }
      res.write(bytes.subarray(0, Math.floor(bytes.length / 3)));
      hanging.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream.ts`;
    const session = start(
      {
        id: 'stall',
        input: url,
        mode: 'live',
        ladder: TINY.slice(1),
        segment: { durationSec: 1 },
        dvrWindowSec: 4,
        encoderPreset: 'ultrafast',
        networkTimeoutSec: 60,
      },
      new FsObjectStore({ root: join(dir, 'store') }),
      { stallTimeoutMs: 2_500, restartPolicy: { maxAttempts: 5, backoff: FAST_RETRY, healthyAfterMs: 60_000 } },
    );
    const errors: string[] = [];
    session.on('run-error', ({ reason }) => errors.push(reason));
    try {
      await waitUntil(() => session.restarts >= 1 && connections >= 3, { timeoutMs: 20_000, what: 'a watchdog restart' });
      expect(errors[0]).toMatch(/no progress for 3 s \(stalled input\)/);
    } finally {
      await session.stop();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails an unreachable input with its reason after a bounded number of attempts', async () => {
    const port = await findFreePort();
    const session = start(
      { id: 'gone', input: `rtmp://127.0.0.1:${port}/live/nothing`, ladder: TINY, segment: { durationSec: 1 }, dvrWindowSec: 4 },
      new FsObjectStore({ root: join(dir, 'store') }),
      { restartPolicy: { maxAttempts: 3, backoff: FAST_RETRY, healthyAfterMs: 60_000 } },
    );
    const outcome = await session.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.reason).toMatch(/cannot read the input rtmp:\/\/127\.0\.0\.1:\d+\/live\/nothing: .*(Connection refused|Cannot open)/i);
    expect(outcome.reason).toMatch(/gave up after 3 attempts/);
    expect(outcome.restarts).toBe(2);
  });
});
