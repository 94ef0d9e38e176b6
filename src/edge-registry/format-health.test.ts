import { describe, expect, it } from 'vitest';
import { describeEdgeHealth } from './format-health.js';
import { edgeRecord } from './test-support/records.js';

describe('describeEdgeHealth', () => {
  it('calls an edge nothing complains about healthy, with its probe round trip', () => {
    expect(describeEdgeHealth(edgeRecord('a', { probe: { verdict: 'up', rttMs: 8.5, since: 1_000 } }), 5_000)).toEqual({
      verdict: 'healthy',
      label: 'healthy',
      rttMs: 8.5,
      failingSince: null,
      failingForMs: null,
      failingForAtLeast: false,
    });
    expect(describeEdgeHealth(edgeRecord('a'), 5_000)).toMatchObject({ verdict: 'healthy', rttMs: null });
  });

  it('gives a slow edge the probe detail and how long it has been slow', () => {
    const record = edgeRecord('a', {
      probe: { verdict: 'slow', rttMs: 240, since: 2_000, detail: 'round trip 240 ms, fleet median 12 ms' },
    });
    expect(describeEdgeHealth(record, 5_000)).toMatchObject({
      verdict: 'slow',
      label: 'slow',
      reason: 'round trip 240 ms, fleet median 12 ms',
      rttMs: 240,
      failingSince: 2_000,
      failingForMs: 3_000,
    });
  });

  it('counts an edge the probes call down as failing since the verdict began', () => {
    const record = edgeRecord('a', {
      state: 'unhealthy',
      problem: "viewers' probes fail: timed out after 400 ms",
      probe: { verdict: 'down', rttMs: 9, since: 4_000, detail: 'timed out after 400 ms' },
    });
    expect(describeEdgeHealth(record, 5_000)).toMatchObject({
      verdict: 'unhealthy',
      label: "unhealthy: viewers' probes fail: timed out after 400 ms",
      failingForMs: 1_000,
      failingForAtLeast: false,
    });
  });

  it("uses a watcher's first sighting for an agent's own unhealthy verdict, which the record does not date", () => {
    const record = edgeRecord('a', { state: 'unhealthy', problem: 'canary answered 502', probe: { verdict: 'up', rttMs: 3, since: 0 } });
    expect(describeEdgeHealth(record, 5_000)).toMatchObject({ label: 'unhealthy: canary answered 502', failingForMs: null });
    expect(describeEdgeHealth(record, 5_000, { at: 3_500, atOrBefore: true })).toMatchObject({
      failingSince: 3_500,
      failingForMs: 1_500,
      failingForAtLeast: true,
    });
  });

  it('still reports a draining edge whose self-check fails', () => {
    const record = edgeRecord('a', { state: 'draining', problem: '9 of 12 answers were 5xx' });
    expect(describeEdgeHealth(record, 0)).toMatchObject({ verdict: 'unhealthy', reason: '9 of 12 answers were 5xx' });
  });
});
