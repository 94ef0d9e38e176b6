/**
 * A player-like live viewer for the hung-edge and slow-edge failover cases:
 * what a player does when an edge stops answering, as the rewriter's playlists
 * expect (docs/rewriter.md, "Players fail over by themselves"), over fetch, in
 * this process. It starts three target durations from the live edge, reloads
 * the media playlist on the RFC 8216 6.3.4 schedule (every target duration while
 * it changes), fetches each new segment under a time-to-first-byte deadline
 * (1 s, as the player page sets hls.js's `maxTimeToFirstByteMs`) and, when that
 * fails, retries once after re-reading the playlist: on the route a player
 * would take next (absolute: the BACKUP pathway of the redundant variants;
 * steering: the next pathway of the steering manifest; redirect: a new 302 from
 * the rewriter; round robin: the next edge of the list).
 *
 * Each segment's request and arrival times are kept, so a playback model
 * (`playbackStalls`) can tell when a viewer would have waited.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  lastMsn,
  liveStartIndex,
  nextReloadAt,
  originOf,
  parseMediaPlaylist,
  playlistChanged,
  resolveUrl,
  type MediaPlaylist,
} from '../../load-tests/lib/hls.js';
import { BASE_PATHWAY_ID, MODE_PARAM, PATHWAY_PARAM, STEERING_PATH, type SteeringManifest } from '../../src/rewriter/index.js';

/** Deadline for the first byte of a segment or playlist (redirects included), as the player page sets it. */
export const TTFB_TIMEOUT_MS = 1_000;
/** Deadline for a whole answer once its first byte came. */
const BODY_TIMEOUT_MS = 4_000;
/** The rewriter's query parameter for the BACKUP pathway's media playlists (docs/rewriter.md). */
const BACKUP_PARAM = 'hlscdn_backup';

/** Where a player gets its playlists and segments, and what it does after a failed segment. */
export interface PlayerRoute {
  /** The media playlist to load now. */
  playlistUrl(): string;
  /** Where a listed segment, resolved against its playlist, is fetched. @defaultValue the URL itself */
  segmentUrl?(resolved: string): string;
  /** A segment failed: move on as the player would, before the playlist is re-read for the retry. */
  segmentFailed?(): void;
  /** Called between fetches: re-read what has to be re-read (a steering manifest after its TTL). */
  refresh?(): Promise<void>;
  /** Request headers (a per-viewer User-Agent: the steering manifest ranks edges per viewer). */
  headers?: Record<string, string>;
}

export interface SegmentOutcome {
  msn: number;
  durationSec: number;
  /** performance.now() of the first request. */
  requestedAt: number;
  /** performance.now() when it had arrived, after the retry if one was needed; absent when it failed outright. */
  arrivedAt?: number;
  /** 0 for a segment that left the playlist before the player got to it. */
  attempts: number;
  /** `scheme://host:port` of the server each attempt ended at (after redirects). */
  servers: string[];
  errors: string[];
}

export interface PlayerRecord {
  segments: SegmentOutcome[];
  /** performance.now() of each playlist (or steering manifest) request that failed. */
  failedPlaylists: number[];
}

interface Answer {
  ok: boolean;
  status: number;
  /** Final URL, after redirects. */
  url: string;
  body?: ArrayBuffer;
  error?: string;
}

/**
 * GET under the player's deadlines: the first byte of the final answer within
 * `TTFB_TIMEOUT_MS` (redirects followed by hand inside the same deadline, as a
 * browser's XHR does), the rest within `BODY_TIMEOUT_MS`.
 */
export async function playerGet(url: string, headers?: Record<string, string>): Promise<Answer> {
  const controller = new AbortController();
  const ttfb = setTimeout(() => controller.abort(new Error(`no first byte within ${TTFB_TIMEOUT_MS} ms`)), TTFB_TIMEOUT_MS);
  let body: NodeJS.Timeout | undefined;
  let target = url;
  try {
    for (let hops = 0; ; hops++) {
      const res = await fetch(target, { signal: controller.signal, redirect: 'manual', ...(headers && { headers }) });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null && hops < 5) {
        await res.arrayBuffer();
        target = new URL(location, target).href;
        continue;
      }
      clearTimeout(ttfb);
      body = setTimeout(() => controller.abort(new Error(`body not done within ${BODY_TIMEOUT_MS} ms`)), BODY_TIMEOUT_MS);
      const bytes = await res.arrayBuffer();
      return { ok: res.status === 200, status: res.status, url: target, body: bytes };
    }
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    return { ok: false, status: 0, url: target, error: reason instanceof Error ? reason.message : String(reason) };
  } finally {
    clearTimeout(ttfb);
    clearTimeout(body);
  }
}

async function loadPlaylist(url: string, headers?: Record<string, string>): Promise<{ playlist: MediaPlaylist; url: string } | undefined> {
  const answer = await playerGet(url, headers);
  if (!answer.ok || answer.body === undefined) return undefined;
  const parsed = parseMediaPlaylist(Buffer.from(answer.body).toString('utf8'));
  return parsed.ok ? { playlist: parsed.value, url: answer.url } : undefined;
}

/** Plays until `until` (performance.now()); resolves with what happened to every segment. */
export async function runPlayer(route: PlayerRoute, until: number): Promise<PlayerRecord> {
  const record: PlayerRecord = { segments: [], failedPlaylists: [] };
  const toSegment = route.segmentUrl ?? ((url: string) => url);
  // A playlist load that fails is tried once more at once (on a round-robin list: on the next edge).
  const load = async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const at = performance.now();
      const loaded = await loadPlaylist(route.playlistUrl(), route.headers);
      if (loaded !== undefined) return loaded;
      record.failedPlaylists.push(at);
    }
    return undefined;
  };

  await route.refresh?.();
  let loadStartedAt = performance.now();
  let loaded = await load();
  while (loaded === undefined) {
    if (performance.now() >= until) return record;
    await sleep(250);
    loadStartedAt = performance.now();
    loaded = await load();
  }
  let { playlist, url: playlistUrl } = loaded;
  let fetched = (playlist.segments[liveStartIndex(playlist)]?.msn ?? 0) - 1;
  let changed = true;
  for (;;) {
    for (
      let next = playlist.segments.find((s) => s.msn > fetched);
      next !== undefined;
      next = playlist.segments.find((s) => s.msn > fetched)
    ) {
      if (performance.now() >= until) return record;
      // Segments that left the window before the player got to them are lost.
      for (let msn = fetched + 1; msn < next.msn && record.segments.length > 0; msn++)
        record.segments.push({
          msn,
          durationSec: next.duration,
          requestedAt: performance.now(),
          attempts: 0,
          servers: [],
          errors: ['left the playlist'],
        });
      const outcome: SegmentOutcome = {
        msn: next.msn,
        durationSec: next.duration,
        requestedAt: performance.now(),
        attempts: 1,
        servers: [],
        errors: [],
      };
      const attempt = async (url: string) => {
        const answer = await playerGet(toSegment(url), route.headers);
        outcome.servers.push(originOf(answer.url));
        if (!answer.ok) outcome.errors.push(answer.error ?? `status ${answer.status}`);
        return answer.ok;
      };
      let ok = await attempt(resolveUrl(playlistUrl, next.uri));
      if (!ok) {
        route.segmentFailed?.();
        const reread = await load();
        const again = reread?.playlist.segments.find((s) => s.msn === next!.msn);
        if (reread !== undefined && lastMsn(reread.playlist) >= lastMsn(playlist)) ({ playlist, url: playlistUrl } = reread);
        if (reread !== undefined && again !== undefined) {
          outcome.attempts = 2;
          ok = await attempt(resolveUrl(reread.url, again.uri));
        }
      }
      if (ok) outcome.arrivedAt = performance.now();
      record.segments.push(outcome);
      fetched = next.msn;
    }
    await route.refresh?.();
    const wait = Math.min(nextReloadAt({ loadStartedAt, changed, targetDuration: playlist.targetDuration }), until) - performance.now();
    if (wait > 0) await sleep(wait);
    if (performance.now() >= until) return record;
    loadStartedAt = performance.now();
    const reloaded = await load();
    // Failed, or an older copy (another edge's cache, round robin): keep ours, reload on the unchanged schedule.
    if (reloaded === undefined || lastMsn(reloaded.playlist) < lastMsn(playlist)) {
      changed = false;
      continue;
    }
    changed = playlistChanged(playlist, reloaded.playlist);
    ({ playlist, url: playlistUrl } = reloaded);
  }
}

const withParams = (base: string, params: Record<string, string | undefined>) => {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
};

/**
 * Absolute mode with the redundant variants the rewriter writes into masters:
 * PRIMARY, and after a failed segment the BACKUP pathway (each object on its
 * second-choice edge), as hls.js and AVPlayer switch (hls.js then keeps the
 * failed pathway penalized for 300 s, longer than a run).
 */
export function absoluteRoute(rewriterUrl: string, playlistPath: string): PlayerRoute {
  let backup = false;
  return {
    playlistUrl: () => withParams(`${rewriterUrl}${playlistPath}`, { [MODE_PARAM]: 'absolute', [BACKUP_PARAM]: backup ? '1' : undefined }),
    segmentFailed: () => (backup = !backup),
  };
}

/** Redirect mode: segment URIs name the rewriter, which redirects each request to an edge chosen at that moment. */
export function redirectRoute(rewriterUrl: string, playlistPath: string): PlayerRoute {
  return { playlistUrl: () => withParams(`${rewriterUrl}${playlistPath}`, { [MODE_PARAM]: 'redirect' }) };
}

/**
 * HLS Content Steering as hls.js does it: the manifest is re-read every TTL
 * (with `_HLS_pathway`), the first pathway of PATHWAY-PRIORITY that has not
 * failed is used at once, and a failed segment penalizes the current pathway.
 * A pathway other than BALANCED is the clone whose media playlists carry
 * `hlscdn_pathway=<edge id>`.
 */
export function steeringRoute(rewriterUrl: string, playlistPath: string, userAgent: string): PlayerRoute & { pathway(): string } {
  const headers = { 'user-agent': userAgent };
  let priority: string[] = [BASE_PATHWAY_ID];
  const penalized = new Set<string>();
  let current = BASE_PATHWAY_ID;
  let manifestUrl = `${rewriterUrl}${STEERING_PATH}`;
  let nextManifestAt = 0;
  const choose = () => (current = priority.find((id) => !penalized.has(id)) ?? BASE_PATHWAY_ID);
  return {
    headers,
    pathway: () => current,
    playlistUrl: () =>
      withParams(`${rewriterUrl}${playlistPath}`, {
        [MODE_PARAM]: 'steering',
        [PATHWAY_PARAM]: current === BASE_PATHWAY_ID ? undefined : current,
      }),
    segmentFailed: () => {
      if (current !== BASE_PATHWAY_ID) penalized.add(current);
      choose();
    },
    refresh: async () => {
      const now = performance.now();
      if (now < nextManifestAt) return;
      const url = withParams(manifestUrl, { _HLS_pathway: current });
      const answer = await playerGet(url, headers);
      let ttlSec = 1;
      if (answer.ok && answer.body !== undefined) {
        const manifest = JSON.parse(Buffer.from(answer.body).toString('utf8')) as SteeringManifest;
        priority = manifest['PATHWAY-PRIORITY'];
        manifestUrl = resolveUrl(answer.url, manifest['RELOAD-URI']);
        ttlSec = manifest.TTL;
        choose();
      }
      nextManifestAt = now + ttlSec * 1000;
    },
  };
}

/**
 * A static round-robin list of edges (DNS round robin, a balancer without
 * health checks): every playlist load and every segment goes to the next edge
 * of the list, so a retry goes to another edge.
 */
export function roundRobinRoute(nextEdge: () => string, playlistPath: string): PlayerRoute {
  return { playlistUrl: () => `${nextEdge()}${playlistPath}`, segmentUrl: (url) => `${nextEdge()}${new URL(url).pathname}` };
}

export interface Stall {
  /** performance.now() when playback stopped, and how long it waited. */
  at: number;
  ms: number;
}

/**
 * When a viewer would have waited: playback starts when the first segment has
 * arrived (three target durations behind the live edge, where the player
 * joined) and runs in real time; a segment that has not arrived by the time
 * playback reaches it stops playback until it does. A segment that failed
 * outright is skipped (counted apart). Returns every stall.
 */
export function playbackStalls(segments: readonly SegmentOutcome[]): Stall[] {
  const stalls: Stall[] = [];
  const ordered = [...segments].sort((a, b) => a.msn - b.msn);
  const first = ordered.findIndex((s) => s.arrivedAt !== undefined);
  if (first < 0) return stalls;
  let playhead = ordered[first]!.arrivedAt!;
  for (const segment of ordered.slice(first)) {
    if (segment.arrivedAt === undefined) continue;
    if (segment.arrivedAt > playhead) {
      stalls.push({ at: playhead, ms: segment.arrivedAt - playhead });
      playhead = segment.arrivedAt;
    }
    playhead += segment.durationSec * 1000;
  }
  return stalls;
}
