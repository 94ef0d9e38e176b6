/**
 * The player page's Shaka Player half: its settings and the script that plays
 * SOURCE with them. What Shaka does (read in its source, v5.2) and why the page
 * adds to it:
 * - Without EXT-X-CONTENT-STEERING, Shaka ignores PATHWAY-ID: the BACKUP
 *   pathway's variants are plain extra variants, and a segment that times out
 *   is retried on the same variant, so the backup edge is never tried.
 * - Shaka's networking engine retries a request on the next of its `uris`
 *   (NetworkingEngine.send_: "Move to the next URI"). The page's request filter
 *   gives every segment request a second URI: the rewriter's redirect for the
 *   same object asking for another edge (`segmentRetryUri`). A retry is one
 *   round trip to the rewriter, then the object's next edge in its ranking.
 * - Shaka waits 10 s for response headers and 5 s between chunks by default;
 *   edges answer in milliseconds, so 1 s of silence is a failure here.
 */
import { scriptJson } from './html-text.js';
import { AVOID_PARAM, BACKUP_PARAM } from './request-params.js';

/** Shaka Player settings (player.configure) for edges that answer in milliseconds. */
export const PLAYER_SHAKA_CONFIG = {
  streaming: {
    // Segments: no headers or no bytes for 1 s is a failure; the retry goes to the next URI at once.
    retryParameters: {
      maxAttempts: 6,
      baseDelay: 50,
      backoffFactor: 2,
      fuzzFactor: 0,
      timeout: 8_000,
      connectionTimeout: 1_000,
      stallTimeout: 1_000,
    },
  },
  manifest: {
    // Playlists come from the rewriter, which does not hang with an edge; ordinary patience.
    retryParameters: {
      maxAttempts: 5,
      baseDelay: 200,
      backoffFactor: 2,
      fuzzFactor: 0.2,
      timeout: 5_000,
      connectionTimeout: 2_000,
      stallTimeout: 2_000,
    },
  },
} as const;

/**
 * `segmentRetryUri(uri, rewriterOrigin, edgePathPrefix)`, as browser source text
 * (the page inlines it; tests evaluate the same text). For a segment the rewriter
 * redirects (redirect mode, the URI is on the rewriter), the same URI with
 * `hlscdn_backup=1`: the object's second-choice edge. For a segment on an edge
 * (absolute mode), the rewriter's redirect for the object with `hlscdn_avoid=`
 * the failed edge's host. The query is kept byte for byte (it may carry a token).
 */
export const SEGMENT_RETRY_URI_SOURCE = `function segmentRetryUri(uri, rewriterOrigin, edgePathPrefix) {
  const url = new URL(uri);
  const onRewriter = url.origin === rewriterOrigin;
  let path = url.pathname;
  if (!onRewriter && edgePathPrefix !== '' && path.startsWith(edgePathPrefix + '/')) path = path.slice(edgePathPrefix.length);
  const extra = onRewriter ? ${JSON.stringify(BACKUP_PARAM)} + '=1' : ${JSON.stringify(AVOID_PARAM)} + '=' + encodeURIComponent(url.host);
  return rewriterOrigin + path + (url.search === '' ? '?' : url.search + '&') + extra;
}`;

const SHAKA_SCRIPT = `
${SEGMENT_RETRY_URI_SOURCE}
async function playWithShaka() {
  shaka.polyfill.installAll();
  if (!shaka.Player.isBrowserSupported()) { show('status', 'this browser cannot play HLS with Shaka Player'); return; }
  const player = new shaka.Player();
  await player.attach(video);
  player.configure(SHAKA_CONFIG);
  const net = player.getNetworkingEngine();
  const SEGMENT = shaka.net.NetworkingEngine.RequestType.SEGMENT;
  const rewriterOrigin = new URL(SOURCE, location.href).origin;
  // Shaka retries on the next URI: a segment that fails on one edge is asked of the rewriter for another.
  net.registerRequestFilter((type, request) => {
    if (type === SEGMENT && Array.isArray(request.uris) && request.uris.length === 1) {
      request.uris.push(segmentRetryUri(new URL(request.uris[0], location.href).href, rewriterOrigin, EDGE_PATH_PREFIX));
    }
  });
  net.registerResponseFilter((type, response) => {
    if (type !== SEGMENT) return;
    const headers = response.headers || {};
    const url = new URL(response.uri, location.href);
    const edge = headers['x-edge-id'] || '(not an edge)';
    recordSegment(edge, [url.pathname.split('/').pop(), '', edge, url.host, headers['x-cache-status'] || '', Math.round(response.timeMs || 0) + ' ms']);
  });
  net.addEventListener('retry', () => { stats.loadErrors++; });
  player.addEventListener('buffering', (event) => { if (event.buffering && video.currentTime > 0) countStall(); });
  const fail = (error) => {
    stats.fatal = 'shaka error ' + (error && error.code);
    stats.fatalReason = error && error.data ? JSON.stringify(error.data).slice(0, 300) : String(error) + (error && error.stack ? ' ' + String(error.stack).slice(0, 300) : '');
    show('status', 'fatal error: ' + stats.fatal + ' (' + stats.fatalReason + ')');
  };
  player.addEventListener('error', (event) => { if (event.detail && event.detail.severity === shaka.util.Error.Severity.CRITICAL) fail(event.detail); });
  try { await player.load(SOURCE); } catch (error) { fail(error); return; }
  show('status', 'playing');
  video.play().catch(() => show('status', 'press play'));
  stats.latencyMs = [];
  setInterval(() => {
    const date = player.isLive() ? player.getPlayheadTimeAsDate() : null;
    if (date && !video.paused && stats.latencyMs.push(Date.now() - date.getTime()) > 1200) stats.latencyMs.shift();
    if (date) show('latency', ((Date.now() - date.getTime()) / 1000).toFixed(1) + ' s (program date-time)');
  }, 500);
}
playWithShaka();
`;

/** The page script for Shaka (after the page prelude, which defines SOURCE, stats and recordSegment). */
export function shakaPageScript(edgePathPrefix: string): string {
  return `const SHAKA_CONFIG = ${scriptJson(PLAYER_SHAKA_CONFIG)};\nconst EDGE_PATH_PREFIX = ${scriptJson(edgePathPrefix)};\n${SHAKA_SCRIPT}`;
}
