import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { createDashboardApp } from './dashboard-app.js';
import { FleetHistory } from './fleet-history.js';

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
});
