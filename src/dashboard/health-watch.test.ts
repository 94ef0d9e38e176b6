import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { HealthWatch } from './health-watch.js';

const healthy = edgeRecord('a');
const sick = edgeRecord('a', { state: 'unhealthy', problem: 'canary answered 502' });

describe('HealthWatch', () => {
  it('dates the turn to unhealthy it saw, and forgets it when the edge recovers or leaves', () => {
    const watch = new HealthWatch();
    watch.observe([healthy], 1_000);
    expect(watch.unhealthySince('a')).toBeUndefined();
    watch.observe([sick], 2_000);
    watch.observe([sick], 3_000);
    expect(watch.unhealthySince('a')).toEqual({ at: 2_000, atOrBefore: false });
    watch.observe([healthy], 4_000);
    expect(watch.unhealthySince('a')).toBeUndefined();
    watch.observe([sick], 5_000);
    watch.observe([], 6_000);
    expect(watch.unhealthySince('a')).toBeUndefined();
  });

  it('marks an edge unhealthy at first sight as failing since at least then', () => {
    const watch = new HealthWatch();
    watch.observe([sick], 7_000);
    expect(watch.unhealthySince('a')).toEqual({ at: 7_000, atOrBefore: true });
  });
});
