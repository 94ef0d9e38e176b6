import { describe, expect, it } from 'vitest';
import type { AutoscalerStatus } from '../loop/autoscaler-types.js';
import { formatStatus } from './format-status.js';

const base: AutoscalerStatus = {
  leader: true,
  holderId: 'host:1:ab',
  leaderId: 'host:1:ab',
  policy: { metric: 'max', target: 0.6, tolerance: 0.1, minEdges: 1, maxEdges: 5 },
  current: 2,
  desired: 3,
  utilization: 0.84,
  metrics: { egress: 0.2, connections: 0.84 },
  lastDecisionAt: 90_000,
  pending: ['local-3'],
  stuck: [],
  removing: [],
  registry: { connected: true, ageMs: 10, edges: 2 },
  actuator: {
    kind: 'local',
    edges: [{ id: 'local-1', state: 'running' }],
    lastFailure: { at: 40_000, operation: 'add 1', message: 'nginx did not start' },
  },
  decisions: [
    {
      at: 90_000,
      current: 2,
      desired: 3,
      rawDesired: 3,
      utilization: 0.84,
      metrics: { egress: 0.2, connections: 0.84 },
      action: 'scale-up',
      reason: 'utilization 0.84 > target 0.60 (+10% tolerance): 2 -> 3 edges',
      pending: 0,
      outcome: 'adding 1',
    },
  ],
  actions: [{ at: 40_000, kind: 'add', ids: [], outcome: 'failed', durationMs: 5, error: 'nginx did not start' }],
};

describe('formatStatus', () => {
  it('prints role, metric, counts, pending edges, the actuator and recent decisions', () => {
    const text = formatStatus(base, 100_000);
    expect(text).toContain('role:      leader, holder host:1:ab');
    expect(text).toContain('max utilization 84.0% (target 60.0% ±10.0%; egress 20.0%, connections 84.0%)');
    expect(text).toContain('edges:     current 2, desired 3 (min 1, max 5)');
    expect(text).toContain('pending:   local-3');
    expect(text).toContain('actuator:  local, 1 edges');
    expect(text).toContain('last failure (60s ago, add 1): nginx did not start');
    expect(text).toContain('10s ago  scale-up   2 -> 3  utilization 0.84 > target 0.60 (+10% tolerance): 2 -> 3 edges [adding 1]');
  });

  it('names the leader when following, and says why no decision is made', () => {
    const text = formatStatus(
      { ...base, leader: false, leaderId: 'other:2:cd', lastSkip: { at: 95_000, reason: 'follower' }, decisions: [], actions: [] },
      100_000,
    );
    expect(text).toContain('role:      follower (leader: other:2:cd)');
    expect(text).toContain('waiting:   follower');
    expect(text).toContain('recent decisions: none yet');
  });
});
