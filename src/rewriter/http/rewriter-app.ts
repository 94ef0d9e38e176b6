/**
 * The rewriter's HTTP surface (Hono): playlists (`GET /<path>.m3u8`), the
 * redirect endpoint for every other path (302 to an edge), the steering
 * manifest, the player page and its hls.js, plus /healthz, /readyz and
 * /metrics. Routes only parse the request and map replies to responses; the
 * work is in playlist-responder.ts, the modules beside it, ../targeting/ and
 * ../origin/.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Registry } from 'prom-client';
import { errorBody, handleHttpError } from '../../core/http/error-response.js';
import { requestObservability } from '../../core/http/request-metrics.js';
import { mountServiceRoutes, type ReadinessCheck } from '../../core/http/service-routes.js';
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { objectKeyFromRawPath } from '../../core/object-key-from-path.js';
import type { AccessConfig } from '../access/index.js';
import type { RewriterConfig, RewriterSigning } from '../config.js';
import { PlaylistFetcher } from '../origin/index.js';
import {
  basePathPrefix,
  buildSteeringManifest,
  fleetState,
  MediaTargeting,
  originPathOf,
  relativeReference,
  type FleetSource,
} from '../targeting/index.js';
import { corsHeaders, simpleCorsHeaders, type CorsHeadersOptions } from './cors-headers.js';
import type { HotAnswers } from './hot-answers.js';
import { createPlaylistHeaders, headersByAge } from './playlist-headers.js';
import { createPlaylistResponder, STEERING_PATH, type PlaylistReply } from './playlist-responder.js';
import { renderPlayerPage } from './player-page.js';
import {
  onlyOwnParams,
  PATHWAY_PARAM,
  PLAYER_PARAM,
  readAvoidedHost,
  readBackup,
  readMode,
  readPlayer,
  readZone,
  withoutOwnParams,
  withoutParam,
  type PlayerName,
} from './request-params.js';
import { createRewriterMetrics, type RequestKind, type RequestOutcome } from './rewriter-metrics.js';
import { createViewerAccess, type ViewerAccessCheck } from './viewer-access.js';
import type { OutgoingHttpHeaders } from 'node:http';
import type { PersonalAnswer, ViewerRequest } from './hot-answers.js';

export interface RewriterAppOptions {
  /** The parsed `rewriter` configuration section. */
  config: RewriterConfig;
  /** The shared `signing` section; without a secret, URLs are not signed. */
  signing?: RewriterSigning;
  /** Live edges: the registry view, or any object with the same `snapshot()`. */
  fleet: FleetSource;
  logger: Logger;
  /** @defaultValue a new registry labelled service="rewriter" */
  registry?: Registry;
  /** Clock, ms since the epoch. @defaultValue Date.now */
  now?: () => number;
  /**
   * Where successful playlist answers are kept for the server's pre-Hono fast path
   * (startRewriter passes one). Only requests that came through Node's HTTP server are kept.
   */
  hotAnswers?: HotAnswers;
  /** Viewer access control (the `access` section); off when absent or not enabled. */
  access?: AccessConfig;
  /** What `/metrics` answers. @defaultValue the registry's metrics (a worker of a cluster passes the workers' sum) */
  metricsText?: () => Promise<string>;
}

export const HLS_SCRIPT_PATH = '/.hlscdn/hls.min.js';
export const SHAKA_SCRIPT_PATH = '/.hlscdn/shaka-player.compiled.js';
/** The players' scripts, served from node_modules (shaka-player is a development dependency: absent, its page says so). */
const PLAYER_SCRIPTS: Record<PlayerName, { path: string; module: string; install: string }> = {
  'hls.js': { path: HLS_SCRIPT_PATH, module: 'hls.js/dist/hls.min.js', install: 'npm install hls.js' },
  shaka: { path: SHAKA_SCRIPT_PATH, module: 'shaka-player/dist/shaka-player.compiled.js', install: 'npm install shaka-player' },
};
const PLAYER_PREFIX = '/play';

type RewriterContext = Context<{ Bindings: HttpBindings }>;

/** The request target as it came on the wire, before WHATWG normalization resolves "..": path and `''`/`'?...'`. */
function rawTarget(c: RewriterContext): { path: string; search: string } {
  const raw =
    c.env?.incoming?.url ??
    (() => {
      const url = new URL(c.req.url);
      return url.pathname + url.search;
    })();
  const mark = raw.indexOf('?');
  return mark === -1 ? { path: raw, search: '' } : { path: raw.slice(0, mark), search: raw.slice(mark) };
}

function fail(c: RewriterContext, status: ContentfulStatusCode, code: string, message: string): Response {
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody(code, message), status);
}

export function createRewriterApp(options: RewriterAppOptions): Hono<{ Bindings: HttpBindings }> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const registry = options.registry ?? createMetricsRegistry({ service: 'rewriter' });
  const metrics = createRewriterMetrics(registry);
  const originBase = new URL(config.originUrl);
  const fetcher = new PlaylistFetcher({
    timeoutMs: config.originTimeoutMs,
    maxBytes: config.maxPlaylistBytes,
    policy: config.cache,
    maxEntries: config.cache.maxEntries,
    maxCachedBytes: config.cache.maxMiB * 1024 * 1024,
    now,
    logger,
  });
  // One targeting for redirects and rewrites: an object keeps its edge whichever way it is asked for.
  const targeting = new MediaTargeting({ config, signing: options.signing });
  const cors: CorsHeadersOptions = {
    origin: config.corsOrigin,
    exposeHeaders: ['Age', 'Cache-Control', 'Content-Length', 'X-Hlscdn-Fallback'],
  };
  const playlistHeaders = createPlaylistHeaders({ cors, zoneHeader: config.zoneHeader });
  const respondPlaylist = createPlaylistResponder({
    config,
    signing: options.signing,
    fleet: options.fleet,
    fetcher,
    targeting,
    headers: playlistHeaders,
    metrics,
    logger,
    now,
  });
  const viewerAccess = options.access === undefined ? undefined : createViewerAccess(options.access);
  const currentFleet = () => fleetState(options.fleet.snapshot(), { maxSnapshotAgeMs: config.maxSnapshotAgeMs });
  const count = (kind: RequestKind, mode: string, outcome: RequestOutcome) => metrics.requests.inc({ kind, mode, outcome });

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError(handleHttpError(logger));
  app.use('*', requestObservability({ registry, logger }));
  app.use('*', corsHeaders(cors));
  mountServiceRoutes(app, { registry, checks: readinessChecks(options), metricsText: options.metricsText });

  const playerScripts = new Map<PlayerName, Promise<Buffer | undefined>>();
  const playerScript = (player: PlayerName) => {
    let script = playerScripts.get(player);
    if (script === undefined) {
      script = readPlayerScript(PLAYER_SCRIPTS[player].module);
      playerScripts.set(player, script);
    }
    return script;
  };
  for (const [player, { path, install }] of Object.entries(PLAYER_SCRIPTS) as [PlayerName, (typeof PLAYER_SCRIPTS)[PlayerName]][]) {
    app.get(path, async (c) => {
      const script = await playerScript(player);
      if (script === undefined) return fail(c, 404, 'player-not-installed', `${player} is not installed beside the rewriter: ${install}`);
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(new Uint8Array(script));
    });
  }

  app.get(STEERING_PATH, (c) => {
    const fleet = currentFleet();
    const { search } = rawTarget(c);
    const incoming = c.env?.incoming;
    const manifest = buildSteeringManifest({
      fleet,
      viewerKey: `${incoming?.socket?.remoteAddress ?? ''}|${c.req.header('user-agent') ?? ''}`,
      currentPathway: c.req.query('_HLS_pathway'),
      balanceFactor: config.balanceFactor,
      quietEdgeRequestsPerSec: config.quietEdgeRequestsPerSec,
      zone: readZone(c.req.header(config.zoneHeader)),
      ttlSec: config.steeringTtlSec,
      // Players add _HLS_pathway and _HLS_throughput themselves; only the rewriter's own parameters are kept.
      reloadUri: `steering${onlyOwnParams(search)}`,
      pathwayParam: PATHWAY_PARAM,
    });
    count('steering', 'steering', fleet.usable ? 'ok' : 'fallback');
    c.header('Cache-Control', 'no-store');
    return c.json(manifest);
  });

  app.get(`${PLAYER_PREFIX}/*`, (c) => {
    const { path, search } = rawTarget(c);
    const target = path.slice(PLAYER_PREFIX.length);
    const key = objectKeyFromRawPath(target);
    if (!key.ok) return fail(c, 400, 'invalid-key', key.error);
    const player = readPlayer(new URLSearchParams(search));
    if (!player.ok) return fail(c, 400, 'invalid-input', player.error);
    c.header('Cache-Control', 'no-cache');
    return c.html(
      renderPlayerPage({
        // The player choice is the page's own; every other parameter goes to the playlist.
        source: relativeReference(path, target) + withoutParam(search, PLAYER_PARAM),
        player: player.value,
        playerScript: relativeReference(path, PLAYER_SCRIPTS[player.value].path),
        edgePathPrefix: basePathPrefix(originBase),
        title: key.value,
      }),
    );
  });

  app.get('*', async (c) => {
    const { path, search } = rawTarget(c);
    const key = objectKeyFromRawPath(path);
    const isPlaylist = path.toLowerCase().endsWith('.m3u8');
    const kind: RequestKind = isPlaylist ? 'playlist' : 'redirect';
    const params = new URLSearchParams(search);
    const mode = readMode(params, config.mode);
    if (!mode.ok) {
      count(kind, 'invalid', 'bad-request');
      return fail(c, 400, 'invalid-input', mode.error);
    }
    if (!key.ok) {
      count(kind, mode.value.mode, 'bad-request');
      return fail(c, 400, 'invalid-key', key.error);
    }
    const zone = readZone(c.req.header(config.zoneHeader));
    if (!isPlaylist) {
      const backup = readBackup(params);
      const avoid = readAvoidedHost(params);
      if (!backup.ok || !avoid.ok) {
        count(kind, mode.value.mode, 'bad-request');
        return fail(c, 400, 'invalid-input', !backup.ok ? backup.error : !avoid.ok ? avoid.error : '');
      }
      return redirect(c, { path, search, zone, mode: mode.value.mode, backup: backup.value, avoidHost: avoid.value });
    }

    const admitted = viewerAccess?.({
      path,
      params,
      search: search.replace(/^\?/, ''),
      clientIp: c.env?.incoming?.socket?.remoteAddress,
      nowMs: now(),
    });
    if (admitted !== undefined && !admitted.ok) {
      count('playlist', mode.value.mode, 'forbidden');
      return fail(c, admitted.error.status, admitted.error.code, admitted.error.message);
    }
    const reply = await respondPlaylist({ path, params, mode: mode.value, zone });
    count('playlist', mode.value.mode, reply.outcome);
    if (!reply.ok) return fail(c, reply.status, reply.code, reply.message);
    rememberHot(c, reply, mode.value.mode, Buffer.byteLength(reply.text, 'utf8'));
    // A viewer's own answer (its session in every URI) is not for shared caches.
    const text = admitted === undefined ? reply.text : reply.fill(admitted.value);
    const headers = admitted === undefined ? reply.headers : privateCache(reply.headers);
    // The reply's Vary and CORS headers replace the middleware's with the same values plus the zone header.
    // Content-Length explicitly: a HEAD answered here (not by the hot path) would otherwise go without it.
    return c.body(text, 200, { ...headers, 'content-length': String(Buffer.byteLength(text, 'utf8')) });
  });

  app.all('*', (c) => {
    c.header('Allow', 'GET, HEAD, OPTIONS');
    return fail(c, 405, 'method-not-allowed', `${c.req.method} is not served here: the rewriter answers GET and HEAD`);
  });

  /** Keeps a successful answer for the server's fast path, with headers from the same function and the same metrics per answer. */
  function rememberHot(c: RewriterContext, reply: Extract<PlaylistReply, { ok: true }>, mode: string, bodyBytes: number): void {
    const rawUrl = c.env?.incoming?.url;
    const hot = options.hotAnswers;
    if (hot === undefined || rawUrl === undefined) return;
    const { head } = reply;
    const countRequest = metrics.tallies.requests.incrementFor({ kind: 'playlist', mode, outcome: reply.outcome });
    const countFallback =
      head.fallbackReason === undefined ? undefined : metrics.tallies.fallbacks.incrementFor({ reason: head.fallbackReason });
    hot.remember(
      hot.key(rawUrl, c.req.header(config.zoneHeader)),
      {
        body: reply.text,
        bodyBytes,
        headersAt: headersByAge(head, playlistHeaders),
        onServe: () => {
          countRequest();
          countFallback?.();
        },
        ...(viewerAccess !== undefined && {
          personalize: personalizer(viewerAccess, reply, (at) => playlistHeaders(head, at), simpleCorsHeaders(cors)),
        }),
      },
      reply.freshUntil,
    );
  }

  /**
   * Redirect mode's second half: the edge chosen now for this object (signed when
   * configured), or the fallback base: never a 5xx, the origin itself is not asked.
   * A player retrying a segment that just failed asks for another edge: with
   * `hlscdn_backup=1` the object's second-choice edge (the one its BACKUP pathway
   * names), with `hlscdn_avoid=<host>` the first choice unless that is the host
   * that failed (the player page's Shaka request filter uses both).
   */
  function redirect(
    c: RewriterContext,
    request: { path: string; search: string; zone: string | undefined; mode: string; backup: boolean; avoidHost: string | undefined },
  ): Response {
    const fleet = currentFleet();
    const expiresAt = targeting.signatureExpiresAt(now());
    const object = {
      rewriterPath: request.path,
      originPath: originPathOf(request.path, originBase),
      search: withoutOwnParams(request.search),
    };
    const targetOn = (backup: boolean) => targeting.targeterFor({ fleet, zone: request.zone, backup, expiresAt })(object);
    const first = targetOn(request.backup);
    const avoided = request.avoidHost !== undefined && !('fallback' in first) && new URL(first.url).host === request.avoidHost;
    const target = avoided ? targetOn(!request.backup) : first;
    const fellBack = 'fallback' in target;
    metrics.assignments.inc({ edge: fellBack ? 'fallback' : target.edgeId });
    if (fellBack) {
      metrics.fallbacks.inc({ reason: target.fallback });
      c.header('X-Hlscdn-Fallback', target.fallback);
    }
    count('redirect', request.mode, fellBack ? 'fallback' : 'ok');
    // Not cacheable: the next request must get the edge chosen at that moment (an edge may have died).
    c.header('Cache-Control', 'no-store');
    return c.redirect(target.url, 302);
  }

  return app;
}

/** Headers of a per-viewer answer: not for shared caches. */
function privateCache<T extends Record<string, string> | OutgoingHttpHeaders>(headers: T): T {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'cache-control');
  const value = name === undefined ? undefined : headers[name];
  return typeof value === 'string' ? { ...headers, [name!]: value.replace(/\bpublic\b/, 'private') } : headers;
}

/** The hot path's per-viewer answer: the same check as the app's, then the held rewrite filled with the viewer's session. */
function personalizer(
  check: ViewerAccessCheck,
  reply: { fill: (query: string) => string },
  headersAt: (at: number) => OutgoingHttpHeaders,
  refusalCors: Record<string, string>,
): (viewer: ViewerRequest) => PersonalAnswer {
  return (viewer) => {
    const mark = viewer.target.indexOf('?');
    const search = mark === -1 ? '' : viewer.target.slice(mark + 1);
    const admitted = check({
      path: mark === -1 ? viewer.target : viewer.target.slice(0, mark),
      params: new URLSearchParams(search),
      search,
      clientIp: viewer.clientIp,
      nowMs: viewer.now,
    });
    if (!admitted.ok) {
      const body = JSON.stringify(errorBody(admitted.error.code, admitted.error.message));
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store', ...refusalCors };
      return { status: admitted.error.status, body, bodyBytes: Buffer.byteLength(body), headers };
    }
    const body = reply.fill(admitted.value);
    return { status: 200, body, bodyBytes: Buffer.byteLength(body), headers: privateCache(headersAt(viewer.now)) };
  };
}

/** A player's script from node_modules, or undefined when that package is not installed. */
async function readPlayerScript(module: string): Promise<Buffer | undefined> {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(module);
  } catch {
    return undefined;
  }
  return readFile(file);
}

function readinessChecks(options: RewriterAppOptions): ReadinessCheck[] {
  const { config } = options;
  return [
    {
      name: 'registry',
      check: async () => {
        const view = options.fleet.snapshot();
        if (view.connected || view.ageMs <= config.maxSnapshotAgeMs) return;
        const age = Number.isFinite(view.ageMs) ? `its last snapshot is ${Math.round(view.ageMs)} ms old` : 'it was never read';
        throw new Error(`the registry is unreachable and ${age} (limit ${config.maxSnapshotAgeMs} ms)`);
      },
    },
    {
      name: 'origin',
      // Any answer below 500 proves the origin serves; what it says about "/" does not matter.
      check: async () => {
        const response = await fetch(config.originUrl, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        if (response.status >= 500) throw new Error(`the origin answered ${response.status}`);
      },
    },
  ];
}
