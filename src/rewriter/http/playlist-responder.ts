/**
 * Answers one playlist request: validates the viewer's parameters, gets the
 * playlist through the shared fetcher, rewrites it for the request's mode,
 * zone and the current fleet (or reuses an identical rewrite), and returns the
 * text with the headers players and caches need (playlist-headers.ts).
 * Framework-free: the Hono app maps the reply to a Response.
 *
 * A rewrite is shared by every request with the same (origin text version,
 * mode, carried override, zone, pathway pin, fleet version, signature expiry
 * bucket); masters and redirect-mode playlists do not depend on the fleet, so
 * those parts are left out of their key.
 */
import type { Logger } from '../../core/logger.js';
import type { RewriterConfig, RewriterSigning } from '../config.js';
import { BoundedCache, viewerCacheControl, type FetchedPlaylist, type OriginFailureCode, type PlaylistFetcher } from '../origin/index.js';
import {
  addBackupPathways,
  fillUriTemplate,
  prepareUriTemplate,
  rewritePlaylist,
  type PlaylistFacts,
  type UriTemplate,
} from '../playlist/index.js';
import {
  BASE_PATHWAY_ID,
  createUriMapper,
  fleetState,
  joinBase,
  originPathOf,
  relativeReference,
  type FleetSource,
  type FleetState,
  type MediaTarget,
  type MediaTargeting,
} from '../targeting/index.js';
import type { PlaylistHead, PlaylistHeaders } from './playlist-headers.js';
import {
  BACKUP_PARAM,
  blockingQuery,
  isMsnTooFarAhead,
  MODE_PARAM,
  readBackup,
  readBlockingReload,
  readPathwayPin,
  type ModeRequest,
} from './request-params.js';
import type { RequestOutcome, RewriterMetrics } from './rewriter-metrics.js';

/** Path of the steering endpoint. `.hlscdn/` is a reserved store prefix, so no content can live there. */
export const STEERING_PATH = '/.hlscdn/steering';
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
      /** The text with `query` added to every URI (a viewer's session), from a template prepared once per rewrite. */
      fill: (query: string) => string;
      /** What the headers depend on, kept so the hot path can build them again later (Age grows). */
      head: PlaylistHead;
      /** The headers now, from deps.headers. */
      headers: Record<string, string>;
      outcome: 'ok' | 'fallback';
      /** Until when the origin copy behind the answer is fresh, ms. */
      freshUntil: number;
    }
  | { ok: false; status: 400 | 404 | 502 | 504; code: string; message: string; outcome: RequestOutcome };

export interface PlaylistResponderDeps {
  config: RewriterConfig;
  /** For the signatures' lifetime in Cache-Control; the signing itself is the targeting's. */
  signing: RewriterSigning | undefined;
  fleet: FleetSource;
  fetcher: PlaylistFetcher;
  /** Makes the targeter of each rewrite (shared with the redirect endpoint). */
  targeting: MediaTargeting;
  /** Builds the answer's headers (shared with the hot path). */
  headers: PlaylistHeaders;
  metrics: RewriterMetrics;
  logger: Logger;
  now: () => number;
}

interface Rewritten {
  text: string;
  facts: PlaylistFacts;
  /** Prepared on the first per-viewer answer. */
  template?: UriTemplate;
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

export function createPlaylistResponder(deps: PlaylistResponderDeps): (request: PlaylistRequest) => Promise<PlaylistReply> {
  const { config, metrics } = deps;
  const originBase = new URL(config.originUrl);
  const policy = config.cache;
  const rewrites = new BoundedCache<string, Rewritten>({
    maxEntries: config.cache.maxEntries,
    maxWeight: config.cache.maxMiB * 1024 * 1024,
    weigh: (rewritten) => rewritten.text.length,
  });

  function rewrite(
    playlist: FetchedPlaylist,
    request: PlaylistRequest,
    context: { fleet: FleetState; expiresAt: number | undefined; pin: string | undefined; backup: boolean },
  ): PlaylistReply | Rewritten {
    const carry = request.mode.overridden ? `${MODE_PARAM}=${request.mode.mode}` : '';
    const { fleet, pin, expiresAt, backup } = context;
    const target = deps.targeting.targeterFor({ fleet, zone: request.zone, pinnedEdgeId: pin, expiresAt, backup, sticky: true });
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
        steering: {
          serverUri: relativeReference(request.path, STEERING_PATH) + (carry === '' ? '' : `?${carry}`),
          pathwayId: BASE_PATHWAY_ID,
        },
      }),
    });
    if (!result.ok) {
      const { code, message, line } = result.error;
      deps.logger.warn({ url: playlist.url, code, line, reason: message }, 'origin playlist could not be rewritten');
      return {
        ok: false,
        status: 502,
        code: 'invalid-playlist',
        message: `the origin's playlist is ${code}: ${message}`,
        outcome: 'invalid-playlist',
      };
    }
    const redundant = result.kind === 'master' && request.mode.mode === 'absolute' && config.backupPathways;
    const text = redundant ? addBackupPathways(result.text, { backupUri: withBackupParam }) : result.text;
    metrics.rewriteSeconds.observe({ kind: result.kind }, (performance.now() - started) / 1000);
    for (const [edge, count] of assigned) metrics.assignments.inc({ edge }, count);
    return { text, facts: playlist.facts };
  }

  return async function respond(request: PlaylistRequest): Promise<PlaylistReply> {
    const reload = readBlockingReload(request.params);
    if (!reload.ok) return badRequest(reload.error);
    const pin = readPathwayPin(request.params);
    if (!pin.ok) return badRequest(pin.error);
    const backup = readBackup(request.params);
    if (!backup.ok) return badRequest(backup.error);
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
    const expiresAt = usesFleet ? deps.targeting.signatureExpiresAt(now) : undefined;
    const fleetPart = fleet === undefined ? '-' : fleet.usable ? fleet.version : `fallback:${fleet.reason}`;
    const key = [
      request.path,
      playlist.url,
      playlist.version,
      request.mode.mode,
      request.mode.overridden,
      usesFleet ? `${request.zone ?? ''}|${pin.value ?? ''}|${backup.value ? 'backup' : ''}` : '-',
      fleetPart,
      expiresAt ?? '-',
    ].join('|');

    let rewritten = rewrites.get(key, now);
    metrics.rewrittenCache.inc({ result: rewritten === undefined ? 'miss' : 'hit' });
    if (rewritten === undefined) {
      const made = rewrite(playlist, request, {
        fleet: fleet ?? { usable: false, reason: 'no-live-edge' },
        expiresAt,
        pin: pin.value,
        backup: backup.value,
      });
      if ('ok' in made) return made;
      rewritten = made;
      rewrites.set(key, rewritten, now + REWRITE_KEEP_MS);
    }

    const fallbackReason = fleet !== undefined && !fleet.usable ? fleet.reason : undefined;
    if (fallbackReason !== undefined) metrics.fallbacks.inc({ reason: fallbackReason });
    const head: PlaylistHead = {
      cacheControl: viewerCacheControl(rewritten.facts, {
        policy,
        ...(expiresAt !== undefined && deps.signing && { signingTtlSec: deps.signing.ttlSec }),
        fallback: fallbackReason !== undefined,
      }),
      fallbackReason,
      fetchedAt: playlist.fetchedAt,
      originAgeSec: playlist.originAgeSec,
    };
    const outcome = fallbackReason === undefined ? 'ok' : 'fallback';
    const shared = rewritten;
    const fill = (query: string) => fillUriTemplate((shared.template ??= prepareUriTemplate(shared.text)), query);
    return { ok: true, text: rewritten.text, fill, head, headers: deps.headers(head, now), outcome, freshUntil: playlist.freshUntil };
  };
}

/** A variant or rendition URI of the BACKUP pathway: the same URI with `hlscdn_backup=1` (before any fragment). */
function withBackupParam(uri: string): string {
  const hash = uri.indexOf('#');
  const [path, fragment] = hash === -1 ? [uri, ''] : [uri.slice(0, hash), uri.slice(hash)];
  return `${path}${path.includes('?') ? '&' : '?'}${BACKUP_PARAM}=1${fragment}`;
}
