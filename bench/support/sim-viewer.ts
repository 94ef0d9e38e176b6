/**
 * A fast in-process live viewer for the benchmarks (hundreds per process, not
 * k6): the same decisions as the k6 player (load-tests/lib/hls.js: start three
 * target durations from the live edge, reload on the RFC 8216 6.3.4 schedule,
 * fetch each new segment once), over fetch. Where the playlist comes from and
 * where each segment is fetched are hooks, so one loop plays both through the
 * rewriter and as a rewriter-less round-robin client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  lastMsn,
  liveStartIndex,
  nextReloadAt,
  parseMediaPlaylist,
  playlistChanged,
  resolveUrl,
  segmentsToFetch,
  type MediaPlaylist,
} from '../../load-tests/lib/hls.js';

export interface SegmentFetch {
  /** Path of the segment (no query): the object's key with a leading '/'. */
  path: string;
  /** X-Edge-Id of the answer. */
  edge: string | undefined;
  /** Final URL (after redirects). */
  url: string;
  ok: boolean;
  status: number;
  error?: string;
  /** Date.now() when the request started, and how long it took. */
  at: number;
  ms: number;
}

export interface SimViewerOptions {
  /** The media playlist's URL, asked before every load (a round-robin client moves it). */
  playlistUrl: () => string;
  /** Where a segment whose resolved URL is `url` is fetched. @defaultValue the URL itself */
  segmentUrl?: (url: string) => string;
  /** Leaves at this Date.now(). */
  until: number;
  onSegment: (fetch: SegmentFetch) => void;
  onPlaylist?: (ok: boolean) => void;
  /** @defaultValue 5_000 */
  requestTimeoutMs?: number;
}

async function get(url: string, timeoutMs: number): Promise<{ res?: Response; body?: ArrayBuffer; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { res, body: await res.arrayBuffer() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function loadPlaylist(url: string, timeoutMs: number): Promise<{ playlist: MediaPlaylist; url: string } | undefined> {
  const { res, body } = await get(url, timeoutMs);
  if (!res?.ok || body === undefined) return undefined;
  const parsed = parseMediaPlaylist(Buffer.from(body).toString('utf8'));
  return parsed.ok ? { playlist: parsed.value, url: res.url } : undefined;
}

export async function runSimViewer(options: SimViewerOptions): Promise<void> {
  const timeoutMs = options.requestTimeoutMs ?? 5_000;
  const route = options.segmentUrl ?? ((url: string) => url);
  let loadStartedAt = Date.now();
  let loaded = await loadPlaylist(options.playlistUrl(), timeoutMs);
  options.onPlaylist?.(loaded !== undefined);
  while (loaded === undefined) {
    if (Date.now() >= options.until) return;
    await sleep(500);
    loadStartedAt = Date.now();
    loaded = await loadPlaylist(options.playlistUrl(), timeoutMs);
    options.onPlaylist?.(loaded !== undefined);
  }
  let { playlist, url: playlistUrl } = loaded;
  let fetched = (playlist.segments[liveStartIndex(playlist)]?.msn ?? 0) - 1;
  let changed = true;
  for (;;) {
    for (const segment of segmentsToFetch(playlist, fetched).segments) {
      if (Date.now() >= options.until) return;
      const target = route(resolveUrl(playlistUrl, segment.uri));
      const at = Date.now();
      const { res, error } = await get(target, timeoutMs);
      options.onSegment({
        path: new URL(res?.url ?? target).pathname,
        edge: res?.headers.get('x-edge-id') ?? undefined,
        url: res?.url ?? target,
        ok: res?.status === 200,
        status: res?.status ?? 0,
        ...(error !== undefined && { error }),
        at,
        ms: Date.now() - at,
      });
      fetched = segment.msn;
    }
    const wait = Math.min(nextReloadAt({ loadStartedAt, changed, targetDuration: playlist.targetDuration }), options.until) - Date.now();
    if (wait > 0) await sleep(wait);
    if (Date.now() >= options.until) return;
    loadStartedAt = Date.now();
    const reloaded = await loadPlaylist(options.playlistUrl(), timeoutMs);
    options.onPlaylist?.(reloaded !== undefined);
    if (reloaded === undefined) {
      changed = false;
      continue;
    }
    // An older copy (another edge's cache, round robin): keep ours, reload on the unchanged schedule.
    if (lastMsn(reloaded.playlist) < lastMsn(playlist)) {
      changed = false;
      continue;
    }
    changed = playlistChanged(playlist, reloaded.playlist);
    playlist = reloaded.playlist;
    playlistUrl = reloaded.url;
  }
}

/** Runs `count` viewers joining evenly over `joinOverMs`, until `until`; resolves when all have left. */
export async function runViewers(
  count: number,
  options: { joinOverMs: number; viewer: (index: number) => SimViewerOptions },
): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep((options.joinOverMs * i) / count);
      await runSimViewer(options.viewer(i));
    }),
  );
}
