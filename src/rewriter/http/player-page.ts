/**
 * The test player page (`GET /play/<path>`): a player served by the rewriter
 * itself (the machines have no network, so no CDN), playing `/<path>` and
 * showing which edge served each segment (edges send X-Edge-Id and expose it
 * through CORS), the latency behind the live edge and a stall counter. hls.js
 * plays by default, Shaka Player with `?hlscdn_player=shaka`; both fill the
 * same `window.hlscdnStats` for people with devtools and for the end-to-end
 * tests. Pure: the page is a string built from its options.
 */
import { escapeHtml, scriptJson } from './html-text.js';
import { hlsPageScript } from './player-hls.js';
import { shakaPageScript } from './player-shaka.js';
import type { PlayerName } from './request-params.js';

export { escapeHtml, scriptJson };

export interface PlayerPageOptions {
  /** What to play: a URL relative to the page (or absolute). */
  source: string;
  /** Which player plays it. @defaultValue 'hls.js' */
  player?: PlayerName;
  /** Where the player's script (hls.min.js or shaka-player.compiled.js) is, relative to the page. */
  playerScript: string;
  /**
   * What the origin base's path adds in front of an object's path on the edges
   * (`''` or `'/prefix'`): the Shaka page maps a failed edge URL back to the
   * rewriter with it. @defaultValue ''
   */
  edgePathPrefix?: string;
  /** Shown as the title. */
  title: string;
}

// Runs in the browser before either player's script: the page's figures and the segment table.
const PAGE_PRELUDE = `
const video = document.getElementById('video');
const rows = document.getElementById('fragments');
const perEdge = new Map();
// What the page saw, for people with devtools and for the end-to-end tests.
const stats = (window.hlscdnStats = { perEdge: {}, stalls: 0, fatal: null, fragments: 0, loadErrors: 0, pathwaySwitches: 0 });
function show(id, text) { document.getElementById(id).textContent = text; }
function countStall() { stats.stalls++; show('stalls', String(stats.stalls)); }
function recordSegment(edge, cells) {
  perEdge.set(edge, (perEdge.get(edge) || 0) + 1);
  stats.perEdge[edge] = perEdge.get(edge);
  stats.fragments++;
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    row.appendChild(td);
  }
  rows.insertBefore(row, rows.firstChild);
  while (rows.childElementCount > 50) rows.removeChild(rows.lastChild);
  show('edges', Array.from(perEdge, ([id, n]) => id + ': ' + n).join(', '));
}
`;

export function renderPlayerPage(options: PlayerPageOptions): string {
  const title = escapeHtml(options.title);
  const player = options.player ?? 'hls.js';
  const script = player === 'shaka' ? shakaPageScript(options.edgePathPrefix ?? '') : hlsPageScript();
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
<dt>player</dt><dd id="player">${escapeHtml(player)}</dd>
<dt>status</dt><dd id="status">loading</dd>
<dt>latency</dt><dd id="latency">n/a (VOD, or no program date-time yet)</dd>
<dt>stalls</dt><dd id="stalls">0</dd>
<dt>segments per edge</dt><dd id="edges">none yet</dd>
<dt>steering pathways</dt><dd id="pathways">n/a</dd>
</dl>
<table>
<thead><tr><th>segment</th><th>level</th><th>edge (X-Edge-Id)</th><th>host</th><th>cache</th><th>load time</th></tr></thead>
<tbody id="fragments"></tbody>
</table>
<script src="${escapeHtml(options.playerScript)}"></script>
<script>
const SOURCE = ${scriptJson(options.source)};
${PAGE_PRELUDE}
${script}
</script>
</body>
</html>
`;
}
