/**
 * The uploader against a real fs store, with files written the way ffmpeg's hlsenc
 * writes them (temp file + rename) and a clock the test moves: ordering, the master,
 * expiry after the grace period, a killed run with a lagging variant, VOD publishing
 * and resuming a published stream.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/process/wait-until.js';
import { FsObjectStore } from '../../origin-store/index.js';
import { verifyingStore } from '../test-support/verifying-store.js';
import type { VerifyingStore } from '../test-support/verifying-store.js';
import { HlsUploader } from './hls-uploader.js';
import type { HlsUploaderOptions } from './hls-uploader.js';
import { parseMediaPlaylist } from './media-playlist.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-uploader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const name = (msn: number) => `seg_${String(msn).padStart(5, '0')}.ts`;

/** What hlsenc does: write `<name>.tmp`, then rename it into place. */
async function place(path: string, body: string | Buffer): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(`${path}.tmp`, body);
  await rename(`${path}.tmp`, path);
}

function ffmpegPlaylist(from: number, to: number, options: { discontinuity?: boolean; endList?: boolean; vod?: boolean } = {}): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', `#EXT-X-MEDIA-SEQUENCE:${from}`];
  if (options.vod) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  for (let msn = from; msn <= to; msn += 1) {
    if (msn === from && options.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push('#EXTINF:2.000000,', name(msn));
  }
  if (options.endList) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

async function text(store: VerifyingStore, key: string): Promise<string | undefined> {
  const found = await store.get(key);
  if (found.kind !== 'body') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

function setup(id: string, overrides: Partial<HlsUploaderOptions> = {}) {
  const clock = { now: 1_000_000 };
  const store = verifyingStore(new FsObjectStore({ root: join(dir, 'store') }));
  const workDir = overrides.workDir ?? join(dir, 'work', id);
  const options: HlsUploaderOptions = {
    store,
    workDir,
    keyPrefix: `live/${id}`,
    rungs: ['a', 'b'],
    masterPlaylist: '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=1\nb/index.m3u8\n',
    mode: 'live',
    segmentDurationSec: 2,
    windowSegments: 3,
    scanIntervalMs: 50,
    expiryIntervalMs: 20,
    clock: () => clock.now,
    ...overrides,
  };
  /** hlsenc's rhythm: a segment, then the playlist listing it (window of 3), for each variant; then let the uploader catch up. */
  const step = async (
    uploader: HlsUploader,
    rungs: readonly string[],
    from: number,
    to: number,
    run: { start?: number; discontinuity?: boolean } = {},
  ) => {
    for (let msn = from; msn <= to; msn += 1) {
      for (const rung of rungs) {
        await place(join(workDir, rung, name(msn)), `segment ${rung} ${msn}`);
        const first = Math.max(run.start ?? 0, msn - 2);
        await place(
          join(workDir, rung, 'index.m3u8'),
          ffmpegPlaylist(first, msn, { discontinuity: run.discontinuity === true && first === run.start }),
        );
      }
      await uploader.endRun();
    }
  };
  /** A VOD variant: every segment, then the playlist (final with endList). */
  const writeVod = async (rung: string, to: number, endList: boolean) => {
    for (let msn = 0; msn <= to; msn += 1) await place(join(workDir, rung, name(msn)), `segment ${rung} ${msn}`);
    await place(join(workDir, rung, 'index.m3u8'), ffmpegPlaylist(0, to, { vod: true, endList }));
  };
  return { clock, store, options, step, writeVod };
}

describe('HlsUploader (live)', () => {
  it('publishes in order, then the master, and deletes evicted segments only after the grace period', async () => {
    const { clock, store, options, step } = setup('order');
    const uploader = await HlsUploader.open(options);
    expect(await uploader.beginRun()).toEqual({ startNumber: 0, discontinuity: false });

    await step(uploader, ['a'], 0, 0);
    expect(await text(store, 'live/order/a/index.m3u8')).toContain(name(0));
    expect(uploader.masterPublished).toBe(false);
    await step(uploader, ['b'], 0, 0);
    expect(uploader.masterPublished).toBe(true);

    await step(uploader, ['a', 'b'], 1, 4);
    const a = parseMediaPlaylist((await text(store, 'live/order/a/index.m3u8')) ?? '');
    expect(a.ok && a.value.segments.map((s) => s.msn)).toEqual([2, 3, 4]);
    // Evicted, but still inside the grace period (2 s + a 6 s playlist).
    expect(await store.head(`live/order/a/${name(0)}`)).toBeDefined();
    clock.now += 7_000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.head(`live/order/a/${name(1)}`)).toBeDefined();
    clock.now += 1_500;
    await waitUntil(async () => (await store.head(`live/order/a/${name(1)}`)) === undefined, { timeoutMs: 2_000, what: 'expiry' });
    expect(await store.head(`live/order/a/${name(0)}`)).toBeUndefined();
    expect(await store.head(`live/order/a/${name(2)}`)).toBeDefined();
    await uploader.close();
    expect(store.violations).toEqual([]);
  });

  it('continues after a killed run: next start number, discontinuity, filler for a lagging variant', async () => {
    const { store, options, step } = setup('crash');
    const uploader = await HlsUploader.open(options);
    await uploader.beginRun();
    await step(uploader, ['a', 'b'], 0, 3);
    // Killed: variant a had renamed segment 4 into place but not listed it; b had not finished it.
    await place(join(options.workDir, 'a', name(4)), 'segment a 4');
    await writeFile(join(options.workDir, 'b', `${name(4)}.tmp`), 'half');
    await uploader.endRun();

    expect(await uploader.beginRun()).toEqual({ startNumber: 5, discontinuity: true });
    await step(uploader, ['a', 'b'], 5, 5, { start: 5, discontinuity: true });
    const b = parseMediaPlaylist((await text(store, 'live/crash/b/index.m3u8')) ?? '');
    if (!b.ok) throw new Error(b.error.message);
    expect(b.value.segments.map((s) => [s.msn, s.uri, s.discontinuity])).toEqual([
      [3, name(3), false],
      [4, name(3), true],
      [5, name(5), true],
    ]);
    const a = await text(store, 'live/crash/a/index.m3u8');
    expect(a).toMatch(new RegExp(`${name(3)}\\n#EXT-X-DISCONTINUITY\\n#EXTINF:2.000000,\\n${name(5)}`));
    await uploader.finish({ endList: true });
    expect(await text(store, 'live/crash/a/index.m3u8')).toMatch(/#EXT-X-ENDLIST\n$/);
    await uploader.close();
    expect(store.violations).toEqual([]);
  });

  it('resumes a stream another process published', async () => {
    const first = setup('resume');
    const before = await HlsUploader.open(first.options);
    await before.beginRun();
    await first.step(before, ['a', 'b'], 0, 5);
    await before.close();

    const second = setup('resume', { workDir: join(dir, 'work', 'resume-2') });
    const after = await HlsUploader.open(second.options);
    expect(await after.beginRun()).toEqual({ startNumber: 6, discontinuity: true });
    await second.step(after, ['a', 'b'], 6, 6, { start: 6, discontinuity: true });
    const a = parseMediaPlaylist((await text(second.store, 'live/resume/a/index.m3u8')) ?? '');
    expect(a.ok && a.value.segments.map((s) => s.msn)).toEqual([4, 5, 6]);
    // Segments the first process uploaded but that no window lists are cleaned up after the grace period.
    second.clock.now += 60_000;
    await waitUntil(async () => (await second.store.head(`live/resume/a/${name(0)}`)) === undefined, {
      timeoutMs: 2_000,
      what: 'the sweep',
    });
    await after.close();
  });
});

describe('HlsUploader (VOD)', () => {
  it('publishes each playlist once, complete, and the master last', async () => {
    const { store, options, writeVod } = setup('film', { mode: 'vod', keyPrefix: 'vod/film' });
    const uploader = await HlsUploader.open(options);
    expect(await uploader.beginRun()).toEqual({ startNumber: 0, discontinuity: false });
    await writeVod('a', 2, false);
    await writeVod('b', 2, false);
    await uploader.endRun();
    // Segments are up, playlists are not: a VOD playlist must never change once out.
    expect(await store.head(`vod/film/a/${name(2)}`)).toBeDefined();
    expect(await store.head('vod/film/a/index.m3u8')).toBeUndefined();
    await expect(uploader.finish({ endList: true })).rejects.toThrow(/final playlist of a, b/);

    await writeVod('a', 3, true);
    await writeVod('b', 3, true);
    await uploader.endRun();
    await uploader.finish({ endList: true });
    expect(await text(store, 'vod/film/a/index.m3u8')).toBe(ffmpegPlaylist(0, 3, { vod: true, endList: true }));
    expect(store.puts.at(-1)).toBe('vod/film/master.m3u8');
    await uploader.close();
    expect(store.violations).toEqual([]);
  });
});
