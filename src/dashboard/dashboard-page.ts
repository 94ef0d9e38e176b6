/**
 * The dashboard's HTML: no framework and no external assets (the machines it
 * runs on may have no network); charts are inline SVG redrawn on each poll.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hlscdn dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; } h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { padding: .3rem .7rem; border-bottom: 1px solid #e3e6eb; text-align: left; font-variant-numeric: tabular-nums; }
  th { background: #eceff3; font-weight: 600; }
  .state-active { color: #11823b; } .state-draining { color: #b26a00; } .state-unhealthy { color: #b42318; } .muted { color: #6b7280; }
  .health-healthy { color: #11823b; } .health-slow { color: #b26a00; } .health-unhealthy { color: #b42318; }
  #fleet td { white-space: nowrap; } #fleet td.health { white-space: normal; min-width: 12rem; max-width: 24rem; } td.health b { font-weight: 600; }
  tr.unhealthy td { background: #fdecec; } tr.unhealthy td:first-child { box-shadow: inset 3px 0 #b42318; }
  tr.slow td { background: #fff6e5; } tr.slow td:first-child { box-shadow: inset 3px 0 #b26a00; }
  .charts { display: flex; gap: 1rem; flex-wrap: wrap; }
  .chart { background: #fff; border: 1px solid #e3e6eb; padding: .5rem; }
  .legend span { margin-right: 1rem; } #status { margin-left: 1rem; }
  a { color: #2456c7; }
</style></head>
<body>
<h1>hlscdn <span id="status" class="muted">connecting…</span></h1>
<div id="links"></div>
<h2>Fleet</h2>
<table id="fleet"><thead><tr><th>Edge</th><th>URL</th><th>Zone</th><th>State</th><th>Health</th><th>Probe RTT</th><th>Failing for</th><th>Conns</th><th>Req/s</th><th>Egress</th><th>Hit ratio</th><th>Upstream errors</th><th>Heartbeat</th></tr></thead><tbody></tbody></table>
<h2>Load and edges over time</h2>
<div class="charts">
  <div class="chart"><div class="muted">Fleet utilization (%)</div><svg id="load-chart" width="520" height="180"></svg></div>
  <div class="chart"><div class="muted">Active edges</div><svg id="edges-chart" width="520" height="180"></svg></div>
</div>
<div class="legend muted"><span style="color:#11823b">▲ scale-up</span><span style="color:#b26a00">▼ scale-down</span></div>
<h2>Autoscaler decisions</h2>
<table id="decisions"><thead><tr><th>Time</th><th>Action</th><th>Edges</th><th>Reason</th></tr></thead><tbody></tbody></table>
<h2>Transcoding tasks</h2>
<table id="tasks"><thead><tr><th>Task</th><th>State</th><th>Restarts</th><th>Last error</th><th>Watch</th></tr></thead><tbody></tbody></table>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const rate = (b) => { const bits = b * 8; return bits >= 1e9 ? (bits / 1e9).toFixed(1) + ' Gb/s' : bits >= 1e6 ? (bits / 1e6).toFixed(1) + ' Mb/s' : (bits / 1e3).toFixed(0) + ' kb/s'; };
const time = (ms) => new Date(ms).toLocaleTimeString();
const rtt = (ms) => ms === null ? '—' : ms.toFixed(ms < 10 ? 1 : 0) + ' ms';
const span = (ms) => { const s = ms / 1000; return s < 60 ? s.toFixed(1) + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + Math.floor(s % 60) + ' s' : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min'; };
const failingFor = (e) => e.failingForMs === null ? '—' : (e.failingForAtLeast ? '≥ ' : '') + span(e.failingForMs);
const health = (e) => '<td class="health health-' + esc(e.health) + '"><b>' + esc(e.health) + '</b>' + (e.healthReason ? ': ' + esc(e.healthReason) : '') + '</td>';
const link = (l) => '<a href="' + esc(l.url) + '">' + esc(l.label) + '</a>';

function rows(table, html) { const t = $(table); t.querySelector('tbody').innerHTML = html || '<tr><td colspan="' + t.querySelectorAll('thead th').length + '" class="muted">none</td></tr>'; }

function chart(svgId, samples, decisions, value, maxValue) {
  const svg = $(svgId); const w = +svg.getAttribute('width'); const h = +svg.getAttribute('height'); const pad = 28;
  if (samples.length === 0) { svg.innerHTML = ''; return; }
  const t0 = samples[0].at; const t1 = Math.max(samples[samples.length - 1].at, t0 + 1);
  const top = Math.max(maxValue, ...samples.map(value)) || 1;
  const x = (t) => pad + (w - pad - 6) * (t - t0) / (t1 - t0);
  const y = (v) => h - pad + 4 - (h - pad - 6) * v / top;
  const points = samples.map((s) => x(s.at).toFixed(1) + ',' + y(value(s)).toFixed(1)).join(' ');
  let out = '<line x1="' + pad + '" y1="' + y(0) + '" x2="' + (w - 6) + '" y2="' + y(0) + '" stroke="#c9ced6"/>';
  out += '<text x="2" y="' + (y(top) + 4) + '" font-size="10" fill="#6b7280">' + (Math.round(top * 10) / 10) + '</text>';
  out += '<text x="2" y="' + y(0) + '" font-size="10" fill="#6b7280">0</text>';
  for (const d of decisions) {
    if (d.action === 'hold' || d.at < t0) continue;
    const color = d.action === 'scale-up' ? '#11823b' : '#b26a00';
    out += '<line class="decision" x1="' + x(d.at) + '" y1="6" x2="' + x(d.at) + '" y2="' + y(0) + '" stroke="' + color + '" stroke-dasharray="3,3"><title>' + esc(d.reason) + '</title></line>';
  }
  out += '<polyline fill="none" stroke="#2456c7" stroke-width="2" points="' + points + '"/>';
  svg.innerHTML = out;
}

async function refresh() {
  try {
    const state = await (await fetch('api/state')).json();
    $('status').textContent = state.registry.connected ? 'registry connected, ' + state.edges.length + ' live edge(s)' : 'registry unreachable: showing the last snapshot';
    $('links').innerHTML = state.links.map(link).join(' · ');
    rows('fleet', state.edges.map((e) => '<tr data-edge="' + esc(e.id) + '" class="' + esc(e.health) + '"><td>' + esc(e.id) + '</td><td><a href="' + esc(e.url) + '">' + esc(e.url) + '</a></td><td>' + esc(e.zone ?? '-') + '</td><td class="state-' + esc(e.state) + '">' + esc(e.state) + '</td>' + health(e) + '<td>' + rtt(e.probeRttMs) + '</td><td>' + failingFor(e) + '</td><td>' + e.connections + '</td><td>' + e.requestsPerSec.toFixed(1) + '</td><td>' + rate(e.egressBytesPerSec) + '</td><td>' + (e.hitRatio * 100).toFixed(0) + '%</td><td>' + e.upstreamErrors + '</td><td>' + (e.heartbeatAgeMs / 1000).toFixed(1) + ' s ago</td></tr>').join(''));
    const h = state.history;
    chart('load-chart', h.samples, h.decisions, (s) => s.utilization * 100, 100);
    chart('edges-chart', h.samples, h.decisions, (s) => s.edges, 4);
    rows('decisions', h.decisions.slice(-10).reverse().map((d) => '<tr><td>' + time(d.at) + '</td><td>' + esc(d.action) + '</td><td>' + d.current + ' → ' + d.desired + '</td><td>' + esc(d.reason) + '</td></tr>').join(''));
    rows('tasks', state.tasks.map((t) => '<tr><td>' + esc(t.id) + '</td><td>' + esc(t.state) + '</td><td>' + t.restarts + '</td><td>' + esc(t.lastError ?? '') + '</td><td>' + (t.links ?? []).map(link).join(' ') + '</td></tr>').join('') || (state.tasksError ? '<tr><td colspan="5" class="muted">' + esc(state.tasksError) + '</td></tr>' : ''));
  } catch (error) {
    $('status').textContent = 'dashboard server unreachable';
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body></html>`;
}
