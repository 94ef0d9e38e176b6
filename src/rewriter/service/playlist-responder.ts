/**
 * Answers one playlist request: validates the viewer's parameters, gets the
 * playlist through the shared fetcher, rewrites it for the request's mode,
 * zone and the current fleet (or reuses an identical rewrite), and returns the
 * text with the headers players and caches need. Framework-free: the Hono app
 * maps the reply to a Response.
 *
 * A rewrite is shared by every request with the same (origin text version,
 * mode, carried override, zone, pathway pin, fleet version, signature expiry
 * bucket); masters and redirect-mode playlists do not depend on the fleet, so
 * those parts are left out of their key.
 */
import type { Logger } from '../../core/logger.js';
import { appendSignature } from '../../edge/index.js';
import type { RewriterConfig, RewriterSigning } from '../config.js';
import { rewritePlaylist, type PlaylistFacts } from '../playlist/index.js';
import { BoundedCache } from './bounded-cache.js';
import { responseAgeSec, viewerCacheControl } from './cache-policy.js';
import { fleetState, type FallbackReason, type FleetSource, type FleetState } from './fleet.js';
import type { EdgePlacements } from './edge-placements.js';
import { createMediaTargeter, type MediaTarget } from './media-target.js';
import type { OriginFailureCode } from './origin-fetch.js';
import type { FetchedPlaylist, PlaylistFetcher } from './playlist-fetcher.js';
import { blockingQuery, isMsnTooFarAhead, MODE_PARAM, readBlockingReload, readPathwayPin, type ModeRequest } from './request-params.js';
import type { RequestOutcome, RewriterMetrics } from './rewriter-metrics.js';
import { signatureExpiry } from './signature-expiry.js';
import { BASE_PATHWAY_ID } from './steering-manifest.js';
import { createUriMapper } from './uri-mapper.js';
import { joinBase, originPathOf, relativeReference } from './url-mapping.js';

/** Path of the steering endpoint. `.hlscdn/` is a reserved store prefix, so no content can live there. */
export const STEERING_PATH = '/.hlscdn/steering';
export const PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';
/** How long an unused rewrite is kept (its key changes with every new origin version anyway). */
const REWRITE_KEEP_MS = 60_000;

export interface PlaylistRequest {
  /** Request path as received, already checked against traversal. */
  path: string;
  params: URLSearchParams;
  mode: ModeRequest;
  zone: string | undefined;
}

export type PlaylistReply =
  | {
      ok: true;
      text: string;
      /** Content-Type, Cache-Control, and when they apply Age and X-Hlscdn-Fallback (Vary is the app's). */
      headers: Record<string, string>;
      outcome: 'ok' | 'fallback';
      fallbackReason?: FallbackReason;
      /** The origin copy behind the answer: when it arrived, its Age then, until when it is fresh. */
      origin: Pick<FetchedPlaylist, 'fetchedAt' | 'originAgeSec' | 'freshUntil'>;
    }
  | { ok: false; status: 400 | 404 | 502 | 504; code: string; message: string; outcome: RequestOutcome };

export interface PlaylistResponderDeps {
  config: RewriterConfig;
  signing: RewriterSigning | undefined;
  fleet: FleetSource;
  fetcher: PlaylistFetcher;
  metrics: RewriterMetrics;
  logger: Logger;
  now: () => number;
  placements?: EdgePlacements;
}

interface Rewritten {
  text: string;
  facts: PlaylistFacts;
}

const failureStatus: Record<OriginFailureCode, { status: 404 | 502 | 504; outcome: RequestOutcome }> = {
  'not-found': { status: 404, outcome: 'not-found' },
  upstream: { status: 502, outcome: 'upstream-error' },
  timeout: { status: 504, outcome: 'timeout' },
  'invalid-playlist': { status: 502, outcome: 'invalid-playlist' },
};

function badRequest(message: string): PlaylistReply {
  return { ok: false, status: 400, code: 'invalid-input', message, outcome: 'bad-request' };
}

/** Signs URLs when a secret is configured: `undefined` otherwise. */
export function signerFor(signing: RewriterSigning | undefined, expiresAt: number): ((url: URL) => URL) | undefined {
  const secret = signing?.secret;
  if (secret === undefined) return undefined;
  return (url) => appendSignature(url, { expiresAt, secret });
}

export function createPlaylistResponder(deps: PlaylistResponderDeps): (request: PlaylistRequest) => Promise<PlaylistReply> {
  const { config, metrics } = deps;
  const originBase = new URL(config.originUrl);
  const fallbackBase = config.fallbackBaseUrl ?? config.publicOriginUrl ?? config.originUrl;
  const policy = config.cache;
  const rewrites = new BoundedCache<string, Rewritten>({
    maxEntries: config.cache.maxEntries,
    maxWeight: config.cache.maxMiB * 1024 * 1024,
    weigh: (rewritten) => rewritten.text.length,
  });

  function rewrite(playlist: FetchedPlaylist, request: PlaylistRequest, context: { fleet: FleetState; expiresAt: number | undefined; pin: string | undefined }): PlaylistReply | Rewritten {
    const carry = request.mode.overridden ? `${MODE_PARAM}=${request.mode.mode}` : '';
    const sign = context.expiresAt === undefined ? undefined : signerFor(deps.signing, context.expiresAt);
    const target = createMediaTargeter({
      fleet: context.fleet,
      balanceFactor: config.balanceFactor,
      quietEdgeRequestsPerSec: config.quietEdgeRequestsPerSec,
      zone: request.zone,
      pinnedEdgeId: context.pin,
      fallbackBase,
      sign,
      placements: deps.placements,
    });
    const assigned = new Map<string, number>();
    const countTarget = (chosen: MediaTarget) => {
      const edge = 'edgeId' in chosen ? chosen.edgeId : 'fallback';
      assigned.set(edge, (assigned.get(edge) ?? 0) + 1);
    };
    const started = performance.now();
    const result = rewritePlaylist(playlist.text, {
      playlistUrl: playlist.url,
      mapUri: createUriMapper({ mode: request.mode.mode, originBase, playlistPath: request.path, carry, target, onTarget: countTarget }),
      limits: { maxBytes: config.maxPlaylistBytes },
      ...(request.mode.mode === 'steering' && {
        steering: { serverUri: relativeReference(request.path, STEERING_PATH) + (carry === '' ? '' : `?${carry}`), pathwayId: BASE_PATHWAY_ID },
      }),
    });
    if (!result.ok) {
      const { code, message, line } = result.error;
      deps.logger.warn({ url: playlist.url, code, line, reason: message }, 'origin playlist could not be rewritten');
      return { ok: false, status: 502, code: 'invalid-playlist', message: `the origin's playlist is ${code}: ${message}`, outcome: 'invalid-playlist' };
    }
    metrics.rewriteSeconds.observe({ kind: result.kind }, (performance.now() - started) / 1000);
    for (const [edge, count] of assigned) metrics.assignments.inc({ edge }, count);
    return { text: result.text, facts: playlist.facts };
  }

  return async function respond(request: PlaylistRequest): Promise<PlaylistReply> {
    const reload = readBlockingReload(request.params);
    if (!reload.ok) return badRequest(reload.error);
    const pin = readPathwayPin(request.params);
    if (!pin.ok) return badRequest(pin.error);
    const originUrl = joinBase(originBase.origin, originPathOf(request.path, originBase));
    if (isMsnTooFarAhead(reload.value, deps.fetcher.lastMsn(originUrl))) {
      return badRequest(`_HLS_msn ${reload.value.msn} is more than two segments past the playlist's last one (rfc8216bis 6.2.5.2)`);
    }

    const fetched = await deps.fetcher.get(originUrl + blockingQuery(reload.value));
    if (fetched.source === 'origin') metrics.originFetches.inc({ outcome: fetched.ok ? 'ok' : fetched.error.code });
    else metrics.coalesced.inc({ via: fetched.source === 'cache' ? 'cache' : 'in-flight' });
    if (!fetched.ok) return { ok: false, code: fetched.error.code, message: fetched.error.message, ...failureStatus[fetched.error.code] };
    const { playlist } = fetched;

    const now = deps.now();
    // Masters and redirect-mode media playlists name no edge: the fleet, zone, pin and signatures do not change them.
    const usesFleet = playlist.facts.kind === 'media' && request.mode.mode !== 'redirect';
    const fleet = usesFleet ? fleetState(deps.fleet.snapshot(), { maxSnapshotAgeMs: config.maxSnapshotAgeMs }) : undefined;
    const expiresAt = usesFleet && deps.signing?.secret !== undefined ? signatureExpiry(now, { ttlSec: deps.signing.ttlSec, bucketSec: config.signatureBucketSec }) : undefined;
    const fleetPart = fleet === undefined ? '-' : fleet.usable ? fleet.version : `fallback:${fleet.reason}`;
    const key = [request.path, playlist.url, playlist.version, request.mode.mode, request.mode.overridden, usesFleet ? `${request.zone ?? ''}|${pin.value ?? ''}` : '-', fleetPart, expiresAt ?? '-'].join('|');

    let rewritten = rewrites.get(key, now);
    metrics.rewrittenCache.inc({ result: rewritten === undefined ? 'miss' : 'hit' });
    if (rewritten === undefined) {
      const made = rewrite(playlist, request, { fleet: fleet ?? { usable: false, reason: 'no-live-edge' }, expiresAt, pin: pin.value });
      if ('ok' in made) return made;
      rewritten = made;
      rewrites.set(key, rewritten, now + REWRITE_KEEP_MS);
    }

    const fallbackReason = fleet !== undefined && !fleet.usable ? fleet.reason : undefined;
    if (fallbackReason !== undefined) metrics.fallbacks.inc({ reason: fallbackReason });
    const headers: Record<string, string> = {
      'Content-Type': PLAYLIST_CONTENT_TYPE,
      'Cache-Control': viewerCacheControl(rewritten.facts, {
        policy,
        ...(expiresAt !== undefined && deps.signing && { signingTtlSec: deps.signing.ttlSec }),
        fallback: fallbackReason !== undefined,
      }),
    };
    const age = responseAgeSec({ originAgeSec: playlist.originAgeSec, fetchedAt: playlist.fetchedAt, now });
    if (age !== undefined) headers.Age = String(age);
    if (fallbackReason !== undefined) headers['X-Hlscdn-Fallback'] = fallbackReason;
    const origin = { fetchedAt: playlist.fetchedAt, originAgeSec: playlist.originAgeSec, freshUntil: playlist.freshUntil };
    if (fallbackReason === undefined) return { ok: true, text: rewritten.text, headers, outcome: 'ok', origin };
    return { ok: true, text: rewritten.text, headers, outcome: 'fallback', fallbackReason, origin };
  };
}
