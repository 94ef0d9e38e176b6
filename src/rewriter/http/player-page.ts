/**
 * The test player page (`GET /play/<path>`): hls.js, served by the rewriter
 * itself (the machines have no network, so no CDN), playing `/<path>` and
 * showing which edge served each segment (edges send X-Edge-Id and expose it
 * through CORS), the latency behind the live edge (from
 * EXT-X-PROGRAM-DATE-TIME when the stream has it, else hls.js' estimate) and
 * a stall counter. Pure: the page is a string built from two URLs.
 */

export interface PlayerPageOptions {
  /** What to play: a URL relative to the page (or absolute). */
  source: string;
  /** Where hls.min.js is, relative to the page. */
  hlsScript: string;
  /** Shown as the title. */
  title: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators that end a JS string. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

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
const PLAYER_SCRIPT = `
const video = document.getElementById('video');
const rows = document.getElementById('fragments');
const perEdge = new Map();
let stalls = 0;
// What the page saw, for people with devtools and for the end-to-end test.
const stats = (window.hlscdnStats = { perEdge: {}, stalls: 0, fatal: null, fragments: 0, loadErrors: 0, pathwaySwitches: 0 });
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
function show(id, text) { document.getElementById(id).textContent = text; }
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
    perEdge.set(edge, (perEdge.get(edge) || 0) + 1);
    stats.perEdge[edge] = perEdge.get(edge);
    stats.fragments++;
    const row = document.createElement('tr');
    for (const cell of [String(frag.sn), String(frag.level), edge, url.host, header(data.networkDetails, 'x-cache-status'), ms + ' ms']) {
      const td = document.createElement('td');
      td.textContent = cell;
      row.appendChild(td);
    }
    rows.insertBefore(row, rows.firstChild);
    while (rows.childElementCount > 50) rows.removeChild(rows.lastChild);
    show('edges', Array.from(perEdge, ([id, n]) => id + ': ' + n).join(', '));
  });
  const LOAD_FAILURES = [Hls.ErrorDetails.FRAG_LOAD_ERROR, Hls.ErrorDetails.FRAG_LOAD_TIMEOUT, Hls.ErrorDetails.LEVEL_LOAD_ERROR, Hls.ErrorDetails.LEVEL_LOAD_TIMEOUT];
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) show('stalls', String((stats.stalls = ++stalls)));
    if (LOAD_FAILURES.includes(data.details)) { stats.loadErrors++; demoteFailingPathway(); }
    if (data.fatal) {
      stats.fatal = data.details;
      stats.fatalReason = (data.error && data.error.message) || data.reason || '';
      show('status', 'fatal error: ' + data.details + (stats.fatalReason ? ' (' + stats.fatalReason + ')' : ''));
    }
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => { show('status', 'playing'); video.play().catch(() => show('status', 'press play')); });
  hls.on(Hls.Events.STEERING_MANIFEST_LOADED, (_event, data) => show('pathways', data.steeringManifest['PATHWAY-PRIORITY'].join(' > ')));
  setInterval(() => {
    if (hls.playingDate) show('latency', ((Date.now() - hls.playingDate.getTime()) / 1000).toFixed(1) + ' s (program date-time)');
    else if (Number.isFinite(hls.latency) && hls.latency > 0) show('latency', hls.latency.toFixed(1) + ' s (estimated)');
  }, 500);
  hls.loadSource(SOURCE);
  hls.attachMedia(video);
}
`;

export function renderPlayerPage(options: PlayerPageOptions): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - hlscdn player</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; }
video { width: 100%; max-width: 960px; background: #000; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dt { font-weight: 600; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .1rem .5rem; text-align: left; }
</style>
</head>
<body>
<h1>${title}</h1>
<video id="video" controls muted playsinline></video>
<dl>
<dt>status</dt><dd id="status">loading</dd>
<dt>latency</dt><dd id="latency">n/a (VOD, or no program date-time yet)</dd>
<dt>stalls</dt><dd id="stalls">0</dd>
<dt>segments per edge</dt><dd id="edges">none yet</dd>
<dt>steering pathways</dt><dd id="pathways">n/a</dd>
</dl>
<table>
<thead><tr><th>sn</th><th>level</th><th>edge (X-Edge-Id)</th><th>host</th><th>cache</th><th>load time</th></tr></thead>
<tbody id="fragments"></tbody>
</table>
<script src="${escapeHtml(options.hlsScript)}"></script>
<script>
const SOURCE = ${scriptJson(options.source)};
const HLS_CONFIG = ${scriptJson(PLAYER_HLS_CONFIG)};
${PLAYER_SCRIPT}
</script>
</body>
</html>
`;
}
