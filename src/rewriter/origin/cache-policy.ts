/**
 * How long a playlist may be reused, by the rewriter (before asking the origin
 * again) and by viewers (Cache-Control), from what the playlist says and what
 * the origin's headers allow. A live media playlist changes every target
 * duration and players reload it every half to one target duration (RFC 8216
 * 6.3.4), so half a target duration keeps at most one refresh stale; VOD and
 * masters change rarely. Pure: times come in as parameters.
 */
import type { PlaylistFacts } from '../playlist/index.js';

export interface PlaylistCachePolicy {
  /** Master playlists, seconds. */
  masterMaxAgeSec: number;
  /** Media playlists with EXT-X-ENDLIST (or PLAYLIST-TYPE VOD), seconds. */
  vodMaxAgeSec: number;
}

/** Used when a live media playlist has no (readable) EXT-X-TARGETDURATION: the common 2 s segments. */
const FALLBACK_TARGET_DURATION_SEC = 2;

export function isFinished(facts: PlaylistFacts): boolean {
  return facts.endList || facts.playlistType === 'VOD';
}

/**
 * How long the rewriter may serve a fetched playlist without asking the origin again,
 * from the playlist alone: half a part target for LL-HLS (a new part every part target),
 * half a target duration for other live playlists, the policy's values otherwise.
 */
export function playlistReuseMs(facts: PlaylistFacts, policy: PlaylistCachePolicy): number {
  if (facts.kind === 'master') return policy.masterMaxAgeSec * 1000;
  if (isFinished(facts)) return policy.vodMaxAgeSec * 1000;
  const period = facts.partTargetDuration ?? facts.targetDuration ?? FALLBACK_TARGET_DURATION_SEC;
  return (period * 1000) / 2;
}

/** Directives of a Cache-Control value, names lower-cased (RFC 9111 5.2); a repeated directive keeps its first value. */
export function parseCacheControl(value: string | null | undefined): Map<string, string | undefined> {
  const directives = new Map<string, string | undefined>();
  if (!value) return directives;
  for (const part of value.split(',')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (name === '' || directives.has(name)) continue;
    const raw = rest.join('=').trim();
    directives.set(name, rest.length === 0 ? undefined : raw.replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

/** RFC 9111 1.2.2 delta-seconds: a non-negative integer; anything else reads as absent. */
export function parseDeltaSeconds(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  return /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Freshness the origin's response headers leave, ms: undefined when they say nothing
 * (the rewriter's own policy then applies alone), 0 when a shared cache may not reuse
 * the response (no-store, no-cache, private). s-maxage wins over max-age for a shared
 * cache (RFC 9111 5.2.2.10); the Age already spent upstream is subtracted.
 */
export function originFreshnessMs(cacheControl: string | null | undefined, ageSec: number | undefined): number | undefined {
  const directives = parseCacheControl(cacheControl);
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return 0;
  const maxAge = parseDeltaSeconds(directives.get('s-maxage')) ?? parseDeltaSeconds(directives.get('max-age'));
  if (maxAge === undefined) return undefined;
  return Math.max(0, maxAge - (ageSec ?? 0)) * 1000;
}

export interface FetchTtlInput {
  policy: PlaylistCachePolicy;
  /** The origin's Cache-Control header. */
  cacheControl: string | null | undefined;
  /** The origin's Age header, seconds. */
  ageSec: number | undefined;
}

/** How long the rewriter reuses a fetched playlist: its own policy, never past what the origin allows. */
export function fetchTtlMs(facts: PlaylistFacts, input: FetchTtlInput): number {
  const own = playlistReuseMs(facts, input.policy);
  const origin = originFreshnessMs(input.cacheControl, input.ageSec);
  return origin === undefined ? own : Math.min(own, origin);
}

export interface ViewerCacheInput {
  policy: PlaylistCachePolicy;
  /** Lifetime of the signatures in the playlist, seconds, when URLs are signed. */
  signingTtlSec?: number;
  /** The playlist sends viewers to the fallback (no usable edge): they should come back soon. */
  fallback: boolean;
}

/**
 * Cache-Control for the rewritten playlist. Live media: half a target duration (at
 * least 1 s; 1 s for LL-HLS, whose parts come faster); VOD and masters: the policy.
 * Capped at half the signature lifetime, so a cached copy never carries expired
 * signatures, and at 1 s while falling back, so viewers move to edges once they are back.
 */
export function viewerCacheControl(facts: PlaylistFacts, input: ViewerCacheInput): string {
  let maxAge: number;
  if (facts.kind === 'master') maxAge = input.policy.masterMaxAgeSec;
  else if (isFinished(facts)) maxAge = input.policy.vodMaxAgeSec;
  else if (facts.partTargetDuration !== undefined) maxAge = 1;
  else maxAge = Math.max(1, Math.floor((facts.targetDuration ?? FALLBACK_TARGET_DURATION_SEC) / 2));
  if (input.signingTtlSec !== undefined) maxAge = Math.min(maxAge, Math.floor(input.signingTtlSec / 2));
  if (input.fallback) maxAge = Math.min(maxAge, 1);
  return maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache';
}

export interface ResponseAgeInput {
  /** The origin's Age header, seconds. */
  originAgeSec: number | undefined;
  /** When the rewriter received the playlist, ms. */
  fetchedAt: number;
  now: number;
}

/**
 * The Age to send viewers: the origin's plus the whole seconds the playlist spent in
 * the rewriter's cache (RFC 9111 5.1). hls.js reads Age to pick LL-HLS directives, so
 * it must not be lost. Undefined when there is nothing to say (fresh, no upstream Age).
 */
export function responseAgeSec(input: ResponseAgeInput): number | undefined {
  const resident = Math.max(0, Math.floor((input.now - input.fetchedAt) / 1000));
  if (input.originAgeSec === undefined && resident === 0) return undefined;
  return (input.originAgeSec ?? 0) + resident;
}
