/**
 * The headers of a playlist answer (Content-Type, Cache-Control, Age,
 * X-Hlscdn-Fallback, CORS, Vary), built here for both ways an answer leaves
 * the rewriter: through Hono (the responder's reply) and straight to the
 * socket (hot-answers.ts, once per answer, because Age grows while an answer
 * is held). One function, so a hot answer cannot drift from the one the app
 * built (rewriter-service.test.ts compares the two).
 */
import { responseAgeSec } from '../origin/index.js';
import type { FallbackReason } from '../targeting/index.js';
import { corsVary, simpleCorsHeaders, type CorsHeadersOptions } from './cors-headers.js';

export const PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';

/** What the headers of one playlist answer depend on, besides the clock. */
export interface PlaylistHead {
  /** Cache-Control for viewers (../origin/cache-policy.ts viewerCacheControl). */
  cacheControl: string;
  /** Set when the answer sends viewers to the fallback: they see why in X-Hlscdn-Fallback. */
  fallbackReason: FallbackReason | undefined;
  /** When the rewriter received the origin copy behind the answer, ms. */
  fetchedAt: number;
  /** The origin's Age header then, seconds. */
  originAgeSec: number | undefined;
}

export interface PlaylistHeadersOptions {
  /** The app's CORS settings (its middleware sets the same on every other answer). */
  cors: CorsHeadersOptions;
  /** The zone header: it changes the answer, so caches must keep answers apart by it. */
  zoneHeader: string;
}

/** The headers of an answer at `now` (ms): a new object per call, which the caller may add to. */
export type PlaylistHeaders = (head: PlaylistHead, now: number) => Record<string, string>;

export function createPlaylistHeaders(options: PlaylistHeadersOptions): PlaylistHeaders {
  const cors = simpleCorsHeaders(options.cors);
  const originVary = corsVary(options.cors);
  const vary = originVary === undefined ? options.zoneHeader : `${originVary}, ${options.zoneHeader}`;
  return function playlistHeaders(head, now) {
    const headers: Record<string, string> = { 'Content-Type': PLAYLIST_CONTENT_TYPE, 'Cache-Control': head.cacheControl, ...cors, vary };
    const age = responseAgeSec({ originAgeSec: head.originAgeSec, fetchedAt: head.fetchedAt, now });
    if (age !== undefined) headers.Age = String(age);
    if (head.fallbackReason !== undefined) headers['X-Hlscdn-Fallback'] = head.fallbackReason;
    return headers;
  };
}

/**
 * One answer's headers at a time, made again only when its Age changes (the only header
 * that changes while an answer is held): the same object until then, which the raw front
 * takes as "the head is unchanged" (core/http/raw-front.ts EncodedAnswer).
 */
export function headersByAge(head: PlaylistHead, build: PlaylistHeaders): (now: number) => Record<string, string> {
  let last: { age: number | undefined; headers: Record<string, string> } | undefined;
  return (now) => {
    const age = responseAgeSec({ originAgeSec: head.originAgeSec, fetchedAt: head.fetchedAt, now });
    if (last === undefined || last.age !== age) last = { age, headers: build(head, now) };
    return last.headers;
  };
}
