import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import type { AutoscalerStatus } from '../loop/autoscaler-types.js';
import { createAutoscalerMetrics } from './autoscaler-metrics.js';
import { createStatusApp } from './status-app.js';

const status = { leader: true, current: 2, desired: 3, decisions: [], actions: [] } as unknown as AutoscalerStatus;

describe('status app', () => {
  it('answers /status with the autoscaler status and /metrics with its gauges', async () => {
    const registry = new Registry();
    createAutoscalerMetrics(registry).setLeader(true);
    const app = createStatusApp({ autoscaler: { status: () => status }, registry, logger: silentLogger() });
    const res = await app.request('/status');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(status);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain('hlscdn_autoscaler_leader 1');
    expect(metrics).toContain('hlscdn_autoscaler_decisions_total{action="scale-up"} 0');
  });

  it('is not ready while a check fails, and always alive', async () => {
    const app = createStatusApp({
      autoscaler: { status: () => status },
      registry: new Registry(),
      logger: silentLogger(),
      checks: [{ name: 'registry', check: () => Promise.reject(new Error('the registry view is not connected to Redis')) }],
    });
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      checks: [{ name: 'registry', ok: false, error: 'the registry view is not connected to Redis' }],
    });
  });
});
