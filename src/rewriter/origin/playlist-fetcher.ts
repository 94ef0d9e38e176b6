/**
 * Playlists from the origin, shared: one origin request per playlist per
 * refresh however many viewers ask. A fresh cached copy answers at once; while
 * a request is in flight, everyone asking for the same URL waits for that
 * request (coalescing) instead of sending another. Cache lifetimes come from
 * cache-policy.ts (half a target duration for live media, longer for VOD and
 * masters, never past the origin's Cache-Control/Age). 404s are remembered
 * for a second, like the edges do, so a missing stream does not hammer the
 * origin; other failures are not cached.
 */
import type { Logger } from '../../core/logger.js';
import { readPlaylistFacts, type PlaylistFacts } from '../playlist/index.js';
import { BoundedCache } from './bounded-cache.js';
import { fetchTtlMs, parseDeltaSeconds, type PlaylistCachePolicy } from './cache-policy.js';
import { fetchOriginPlaylist, type OriginFailure } from './origin-fetch.js';

export interface FetchedPlaylist {
  text: string;
  /** URL after redirects: the base of the playlist's relative URIs. */
  url: string;
  facts: PlaylistFacts;
  /** Equal versions mean equal texts (a refresh that brings the same text keeps the version). */
  version: number;
  /** When the rewriter received it, ms on its clock. */
  fetchedAt: number;
  /** The origin's Age header, seconds. */
  originAgeSec: number | undefined;
  /** Until when the rewriter reuses it without asking the origin, ms on its clock. */
  freshUntil: number;
}

type Entry = { ok: true; playlist: FetchedPlaylist } | { ok: false; error: OriginFailure };

/** Where an answer came from: this call's own origin request, the cache, or another call's request in flight. */
export type PlaylistSource = 'origin' | 'cache' | 'coalesced';

export type PlaylistOutcome = Entry & { source: PlaylistSource };

export interface PlaylistFetcherOptions {
  timeoutMs: number;
  maxBytes: number;
  policy: PlaylistCachePolicy;
  /** Entries of the cache. */
  maxEntries: number;
  /** Summed text length the cache may hold, bytes. */
  maxCachedBytes: number;
  now: () => number;
  logger: Logger;
  /** How long a 404 is remembered, ms. @defaultValue 1_000 */
  notFoundTtlMs?: number;
}

export class PlaylistFetcher {
  private readonly cache: BoundedCache<string, Entry>;
  private readonly inFlight = new Map<string, Promise<Entry>>();
  /** Last media sequence number seen per playlist URL without query, for the _HLS_msn check. */
  private readonly lastMsns: BoundedCache<string, number>;
  private versions = 0;

  constructor(private readonly options: PlaylistFetcherOptions) {
    this.cache = new BoundedCache({
      maxEntries: options.maxEntries,
      maxWeight: options.maxCachedBytes,
      weigh: (entry) => (entry.ok ? entry.playlist.text.length : 0),
    });
    this.lastMsns = new BoundedCache({ maxEntries: options.maxEntries });
  }

  /** The playlist at `url` (an origin URL, with the canonical LL-HLS query when any: it is the cache key). */
  async get(url: string): Promise<PlaylistOutcome> {
    const cached = this.cache.get(url, this.options.now());
    if (cached !== undefined) return { ...cached, source: 'cache' };
    const pending = this.inFlight.get(url);
    if (pending !== undefined) return { ...(await pending), source: 'coalesced' };
    const request = this.load(url).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, request);
    return { ...(await request), source: 'origin' };
  }

  /** Media sequence number of the last segment of the newest copy of this playlist seen, if any. */
  lastMsn(urlWithoutQuery: string): number | undefined {
    return this.lastMsns.peek(urlWithoutQuery);
  }

  private async load(url: string): Promise<Entry> {
    const { options } = this;
    const fetched = await fetchOriginPlaylist(url, { timeoutMs: options.timeoutMs, maxBytes: options.maxBytes });
    const now = options.now();
    if (!fetched.ok) {
      if (fetched.error.code === 'invalid-playlist') options.logger.warn({ url, reason: fetched.error.message }, 'origin playlist refused');
      if (fetched.error.code === 'not-found') this.cache.set(url, fetched, now + (options.notFoundTtlMs ?? 1_000));
      return fetched;
    }
    const { text } = fetched.value;
    const facts = readPlaylistFacts(text, { limits: { maxBytes: options.maxBytes } });
    if (!facts.ok) {
      const { code, message, line } = facts.error;
      options.logger.warn({ url, code, line, reason: message }, 'origin playlist refused');
      const where = line === undefined ? '' : ` (line ${line})`;
      return { ok: false, error: { code: 'invalid-playlist', message: `the origin's playlist is ${code}: ${message}${where}` } };
    }
    const ageSec = parseDeltaSeconds(fetched.value.age);
    const ttlMs = fetchTtlMs(facts.value, { policy: options.policy, cacheControl: fetched.value.cacheControl, ageSec });
    const previous = this.cache.peek(url);
    const unchanged = previous?.ok === true && previous.playlist.text === text && previous.playlist.url === fetched.value.url;
    const playlist: FetchedPlaylist = {
      text,
      url: fetched.value.url,
      facts: facts.value,
      version: unchanged ? previous.playlist.version : ++this.versions,
      fetchedAt: now,
      originAgeSec: ageSec,
      freshUntil: now + ttlMs,
    };
    const entry: Entry = { ok: true, playlist };
    if (ttlMs > 0) this.cache.set(url, entry, now + ttlMs);
    else this.cache.delete(url);
    if (facts.value.lastMsn !== undefined) this.lastMsns.set(url.split('?')[0] ?? url, facts.value.lastMsn, Number.POSITIVE_INFINITY);
    return entry;
  }
}
