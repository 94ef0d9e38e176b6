/**
 * The player page's hls.js half: its settings and the script that plays SOURCE
 * with them, recording each segment's edge and demoting a failing pathway.
 */
import { scriptJson } from './html-text.js';

/**
 * hls.js settings for edges that answer in milliseconds: hls.js waits up to 10 s
 * for a fragment's first byte by default, so a hung edge would cost a stall of
 * about 10 s minus the buffer. Here a request with no first byte after 1 s is
 * abandoned and retried at once (a retry re-reads the current playlist's URL,
 * which the rewriter has by then moved off a failing edge), and errors are
 * retried quickly. hls.js merges these objects shallowly: each policy is whole.
 */
export const PLAYER_HLS_CONFIG = {
  lowLatencyMode: true,
  // hls.js starts a live stream on an independent part (one per segment here), up to a
  // segment further back than PART-HOLD-BACK asks, and by default never plays faster to
  // make that up; a busy machine's slow playback clock then adds to it over time. Up to
  // 1.5x while behind the target latency brings it back (it slows to 1x at the target).
  maxLiveSyncPlaybackRate: 1.5,
  fragLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 1_000,
      maxLoadTimeMs: 8_000,
      timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 6, retryDelayMs: 100, maxRetryDelayMs: 500 },
    },
  },
  playlistLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 2_000,
      maxLoadTimeMs: 5_000,
      timeoutRetry: { maxNumRetry: 3, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 4, retryDelayMs: 200, maxRetryDelayMs: 1_000 },
    },
  },
  steeringManifestLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 2_000,
      maxLoadTimeMs: 5_000,
      timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 2, retryDelayMs: 500, maxRetryDelayMs: 2_000 },
    },
  },
} as const;

// Runs in the browser. FRAG_LOADED's networkDetails is the XMLHttpRequest (default loader) or the
// fetch Response (fetch loader); either gives the final URL after redirects and the X-Edge-Id header.
const HLS_SCRIPT = `
function header(details, name) {
  if (!details) return '';
  if (typeof details.getResponseHeader === 'function') return details.getResponseHeader(name) || '';
  if (details.headers && typeof details.headers.get === 'function') return details.headers.get(name) || '';
  return '';
}
function finalUrl(details, fallback) {
  if (details && typeof details.responseURL === 'string' && details.responseURL) return details.responseURL;
  if (details && typeof details.url === 'string' && details.url) return details.url;
  return fallback;
}
if (!Hls.isSupported()) {
  if (video.canPlayType('application/vnd.apple.mpegurl')) { video.src = SOURCE; show('status', 'native HLS (no per-segment details)'); }
  else show('status', 'this browser cannot play HLS');
} else {
  const hls = new Hls(HLS_CONFIG);
  // A fragment or playlist that failed on one pathway (edge set): put that pathway last at once, rather than
  // letting hls.js first try every other variant on the same edges (error-controller's level switch).
  let demotedAt = 0;
  function demoteFailingPathway() {
    const level = hls.levels[hls.loadLevel];
    const failing = level && level.pathwayId;
    const pathways = hls.pathwayPriority || (hls.pathways || []);
    if (!failing || pathways.length < 2 || pathways[pathways.length - 1] === failing || Date.now() - demotedAt < 500) return;
    demotedAt = Date.now();
    hls.pathwayPriority = pathways.filter((p) => p !== failing).concat([failing]);
    stats.pathwaySwitches++;
  }
  hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
    const frag = data.frag;
    if (frag.sn === 'initSegment') return;
    const edge = header(data.networkDetails, 'x-edge-id') || '(not an edge)';
    const url = new URL(finalUrl(data.networkDetails, frag.url), location.href);
    const loadStats = frag.stats || data.stats || {};
    const ms = loadStats.loading ? Math.round(loadStats.loading.end - loadStats.loading.start) : 0;
    recordSegment(edge, [String(frag.sn), String(frag.level), edge, url.host, header(data.networkDetails, 'x-cache-status'), ms + ' ms']);
  });
  const LOAD_FAILURES = [Hls.ErrorDetails.FRAG_LOAD_ERROR, Hls.ErrorDetails.FRAG_LOAD_TIMEOUT, Hls.ErrorDetails.LEVEL_LOAD_ERROR, Hls.ErrorDetails.LEVEL_LOAD_TIMEOUT];
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) countStall();
    if (LOAD_FAILURES.includes(data.details)) { stats.loadErrors++; demoteFailingPathway(); }
    if (data.fatal) {
      stats.fatal = data.details;
      stats.fatalReason = (data.error && data.error.message) || data.reason || '';
      show('status', 'fatal error: ' + data.details + (stats.fatalReason ? ' (' + stats.fatalReason + ')' : ''));
    }
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => { show('status', 'playing'); video.play().catch(() => show('status', 'press play')); });
  hls.on(Hls.Events.STEERING_MANIFEST_LOADED, (_event, data) => show('pathways', data.steeringManifest['PATHWAY-PRIORITY'].join(' > ')));
  stats.latencyMs = [];
  setInterval(() => {
    if (hls.playingDate && !video.paused) {
      const latencyMs = Date.now() - hls.playingDate.getTime();
      // The last 10 minutes of samples, for the end-to-end tests and people with devtools.
      if (stats.latencyMs.push(latencyMs) > 1200) stats.latencyMs.shift();
    }
    if (hls.playingDate) show('latency', ((Date.now() - hls.playingDate.getTime()) / 1000).toFixed(1) + ' s (program date-time)');
    else if (Number.isFinite(hls.latency) && hls.latency > 0) show('latency', hls.latency.toFixed(1) + ' s (estimated)');
  }, 500);
  hls.loadSource(SOURCE);
  hls.attachMedia(video);
}
`;

/** The page script for hls.js (after the page prelude, which defines SOURCE, stats and recordSegment). */
export function hlsPageScript(): string {
  return `const HLS_CONFIG = ${scriptJson(PLAYER_HLS_CONFIG)};\n${HLS_SCRIPT}`;
}
