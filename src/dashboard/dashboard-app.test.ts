import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { createDashboardApp } from './dashboard-app.js';
import { FleetHistory } from './fleet-history.js';
import { HealthWatch } from './health-watch.js';

const record = edgeRecord('local-1', {
  url: 'http://127.0.0.1:8081',
  state: 'draining',
  load: { activeConnections: 4, requestsPerSec: 2, egressBytesPerSec: 1000, cacheHitRatio: 0.5, upstreamErrors: 1, cacheBytes: 0 },
  heartbeatAt: 9_000,
});

describe('dashboard app', () => {
  const history = new FleetHistory();
  history.add({ at: 1, edges: 1, draining: 1, utilization: 0.04, requestsPerSec: 2, egressBytesPerSec: 1000 });
  history.addDecisions([{ at: 2, action: 'scale-down', current: 2, desired: 1, reason: 'utilization 0.04 < target' }]);
  const app = createDashboardApp({
    sources: {
      fleet: () => ({ edges: [record], ageMs: 100, connected: true }),
      tasks: async () => [{ id: 'live', state: 'running', restarts: 1 }],
      links: [{ label: 'player', url: 'http://127.0.0.1:8090/play/live/master.m3u8' }],
    },
    history,
    registry: createMetricsRegistry({ service: 'dashboard', processMetrics: false }),
    logger: silentLogger(),
    now: () => 10_000,
  });

  it('serves the page', async () => {
    const res = await app.request('/');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<table id="fleet">');
  });

  it('gives the fleet, history, decisions, tasks and links as JSON', async () => {
    const state = (await (await app.request('/api/state')).json()) as Record<string, unknown>;
    expect(state).toMatchObject({
      registry: { connected: true, ageMs: 100 },
      edges: [{ id: 'local-1', state: 'draining', connections: 4, hitRatio: 0.5, heartbeatAgeMs: 1_000 }],
      history: { decisions: [{ action: 'scale-down', reason: 'utilization 0.04 < target' }] },
      tasks: [{ id: 'live', state: 'running', restarts: 1 }],
      links: [{ label: 'player' }],
    });
  });

  it('reports a failing task source instead of failing', async () => {
    const broken = createDashboardApp({
      sources: {
        fleet: () => ({ edges: [], ageMs: Infinity, connected: false }),
        tasks: async () => Promise.reject(new Error('transcoder API unreachable')),
      },
      history: new FleetHistory(),
      registry: createMetricsRegistry({ service: 'dashboard', processMetrics: false }),
      logger: silentLogger(),
    });
    const state = (await (await broken.request('/api/state')).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ registry: { connected: false, ageMs: null }, tasks: [], tasksError: 'transcoder API unreachable' });
  });

  describe('edge health', () => {
    const unhealthy = edgeRecord('edge-sick', {
      state: 'unhealthy',
      problem: 'canary answered 502',
      probe: { verdict: 'up', rttMs: 7.5, since: 1_000 },
      heartbeatAt: 9_800,
    });
    const down = edgeRecord('edge-hung', {
      state: 'unhealthy',
      problem: "viewers' probes fail: timed out after 400 ms",
      probe: { verdict: 'down', rttMs: 8, since: 6_500, detail: 'timed out after 400 ms' },
      heartbeatAt: 9_800,
    });
    const slow = edgeRecord('edge-slow', {
      probe: { verdict: 'slow', rttMs: 240, since: 7_000, detail: 'round trip 240 ms, fleet median 9 ms' },
      heartbeatAt: 9_800,
    });
    const healthy = edgeRecord('edge-ok', { probe: { verdict: 'up', rttMs: 9, since: 0 }, heartbeatAt: 9_800 });
    let clock = 10_000;
    const healthWatch = new HealthWatch();
    // The service's sampler saw edge-sick healthy, then unhealthy from 10 s (a record does not date its agent's verdict).
    healthWatch.observe([edgeRecord('edge-sick')], 4_000);
    healthWatch.observe([unhealthy], 10_000);
    const app = createDashboardApp({
      sources: { fleet: () => ({ edges: [unhealthy, down, slow, healthy], ageMs: 0, connected: true }) },
      history: new FleetHistory(),
      registry: createMetricsRegistry({ service: 'dashboard', processMetrics: false }),
      logger: silentLogger(),
      healthWatch,
      now: () => clock,
    });

    it('gives each edge its verdict, probe round trip and how long it has been failing', async () => {
      clock = 10_000;
      const state = (await (await app.request('/api/state')).json()) as { edges: unknown[] };
      expect(state.edges).toEqual([
        expect.objectContaining({
          id: 'edge-sick',
          state: 'unhealthy',
          health: 'unhealthy',
          healthLabel: 'unhealthy: canary answered 502',
          healthReason: 'canary answered 502',
          probeVerdict: 'up',
          probeRttMs: 7.5,
          failingSince: 10_000,
          failingForMs: 0,
          failingForAtLeast: false,
        }),
        expect.objectContaining({
          id: 'edge-hung',
          health: 'unhealthy',
          healthLabel: "unhealthy: viewers' probes fail: timed out after 400 ms",
          probeVerdict: 'down',
          failingSince: 6_500,
          failingForMs: 3_500,
          // First seen here, but the probe's verdict dates it.
          failingForAtLeast: false,
        }),
        expect.objectContaining({
          id: 'edge-slow',
          state: 'active',
          health: 'slow',
          healthLabel: 'slow',
          healthReason: 'round trip 240 ms, fleet median 9 ms',
          probeVerdict: 'slow',
          probeRttMs: 240,
          failingForMs: 3_000,
        }),
        expect.objectContaining({ id: 'edge-ok', health: 'healthy', probeRttMs: 9, failingSince: null, failingForMs: null }),
      ]);
      clock = 12_500;
      const later = (await (await app.request('/api/state')).json()) as { edges: Array<{ failingForMs: number }> };
      expect(later.edges.map((e) => e.failingForMs)).toEqual([2_500, 6_000, 5_500, null]);
    });

    it('renders health columns and marks unhealthy and slow rows', async () => {
      clock = 12_500;
      const html = await (await app.request('/')).text();
      expect(html).toContain('<th>Health</th><th>Probe RTT</th><th>Failing for</th>');
      const rows = await renderFleetRows(html, () => app.request('/api/state'));
      const row = (id: string) => rows.find((r) => r.includes(`data-edge="${id}"`)) ?? '';
      expect(row('edge-sick')).toContain('class="unhealthy"');
      expect(row('edge-sick')).toContain(
        '<td class="health health-unhealthy"><b>unhealthy</b>: canary answered 502</td><td>7.5 ms</td><td>2.5 s</td>',
      );
      expect(row('edge-slow')).toContain('class="slow"');
      expect(row('edge-slow')).toContain('<b>slow</b>: round trip 240 ms, fleet median 9 ms</td><td>240 ms</td><td>5.5 s</td>');
      expect(row('edge-ok')).toContain('class="healthy"');
      expect(row('edge-ok')).toContain('<b>healthy</b></td><td>9.0 ms</td><td>—</td>');
      expect(html).toMatch(/tr\.unhealthy td \{ background/);
    });
  });
});

/** Runs the page's script against a minimal stand-in DOM and returns the fleet table's rows as rendered. */
async function renderFleetRows(html: string, request: () => Promise<Response> | Response): Promise<string[]> {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
  const elements = new Map<string, { textContent: string; innerHTML: string; tbody: { innerHTML: string } }>();
  const element = (id: string) => {
    if (!elements.has(id)) elements.set(id, { textContent: '', innerHTML: '', tbody: { innerHTML: '' } });
    const e = elements.get(id)!;
    return {
      set textContent(v: string) {
        e.textContent = v;
      },
      set innerHTML(v: string) {
        e.innerHTML = v;
      },
      getAttribute: () => '100',
      querySelector: () => e.tbody,
      querySelectorAll: () => [],
    };
  };
  const document = { getElementById: element };
  const fetchState = async () => ({ json: async () => (await request()).json() as Promise<unknown> });
  // The page's own script, run as the browser would, with refresh() handed back to await it.
  const refresh = new Function('document', 'fetch', 'setInterval', `${script}\nreturn refresh;`)(
    document,
    fetchState,
    () => 0,
  ) as () => Promise<void>;
  await refresh();
  return (elements.get('fleet')?.tbody.innerHTML ?? '').split('</tr>').filter((r) => r !== '');
}
