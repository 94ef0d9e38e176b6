import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { edgeGauges } from './edge-metrics.js';

async function healthy(registry: Registry): Promise<number | undefined> {
  return (await registry.getSingleMetric('hlscdn_edge_healthy')?.get())?.values[0]?.value;
}

describe('edgeGauges', () => {
  it("sets hlscdn_edge_healthy from the agent's self-check, as its record tells it", async () => {
    const registry = new Registry();
    const update = edgeGauges(registry);
    update(edgeRecord('a'));
    expect(await healthy(registry)).toBe(1);
    update(edgeRecord('a', { state: 'unhealthy', problem: 'canary answered 502' }));
    expect(await healthy(registry)).toBe(0);
    // Draining hides the verdict in the state, not in the problem.
    update(edgeRecord('a', { state: 'draining', problem: 'canary answered 502' }));
    expect(await healthy(registry)).toBe(0);
    update(edgeRecord('a', { state: 'draining' }));
    expect(await healthy(registry)).toBe(1);
    expect(await registry.metrics()).toMatch(/^hlscdn_edge_draining 1$/m);
  });
});
