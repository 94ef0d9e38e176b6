import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { edgeCandidate, fleetState } from './fleet.js';

const options = { maxSnapshotAgeMs: 10_000 };

describe('edgeCandidate', () => {
  it('uses the weight and the raw requests/s (the bound already scales by weight), and keeps state and zone', () => {
    const record = edgeRecord('e1', { zone: 'eu', state: 'draining', capacity: { weight: 3, egressBytesPerSec: 1, connections: 1 } });
    expect(edgeCandidate(record)).toEqual({ id: 'e1', weight: 3, state: 'draining', load: 30, zone: 'eu' });
    expect('zone' in edgeCandidate(edgeRecord('e2'))).toBe(false);
  });
});

describe('fleetState', () => {
  it('gives candidates, URLs and a version for a young snapshot with an active edge', () => {
    const state = fleetState({ edges: [edgeRecord('e1'), edgeRecord('e2', { state: 'draining' })], ageMs: 500, connected: true }, options);
    expect(state.usable).toBe(true);
    if (!state.usable) return;
    expect(state.candidates.map((edge) => edge.id)).toEqual(['e1', 'e2']);
    expect(state.urls.get('e2')).toBe('https://e2.edges.example.net/');
  });

  it('still trusts a disconnected snapshot younger than the limit, not an older one (nor one never read)', () => {
    const edges = [edgeRecord('e1')];
    expect(fleetState({ edges, ageMs: 9_999, connected: false }, options).usable).toBe(true);
    expect(fleetState({ edges, ageMs: 10_001, connected: false }, options)).toEqual({ usable: false, reason: 'registry-stale' });
    expect(fleetState({ edges, ageMs: Number.POSITIVE_INFINITY, connected: false }, options)).toEqual({
      usable: false,
      reason: 'registry-stale',
    });
  });

  it('falls back when no edge is active with a positive weight', () => {
    expect(fleetState({ edges: [], ageMs: 0, connected: true }, options)).toEqual({ usable: false, reason: 'no-live-edge' });
    expect(fleetState({ edges: [edgeRecord('e1', { state: 'draining' })], ageMs: 0, connected: true }, options)).toEqual({
      usable: false,
      reason: 'no-live-edge',
    });
  });

  it('gives unhealthy edges no new work while a healthy one exists, and uses them all when every edge is unhealthy (panic)', () => {
    const mixed = fleetState({ edges: [edgeRecord('e1', { state: 'unhealthy' }), edgeRecord('e2')], ageMs: 0, connected: true }, options);
    expect(mixed.usable && mixed.candidates.map((c) => `${c.id}:${c.state}`)).toEqual(['e1:unhealthy', 'e2:active']);
    const all = fleetState(
      { edges: [edgeRecord('e1', { state: 'unhealthy' }), edgeRecord('e2', { state: 'unhealthy' })], ageMs: 0, connected: true },
      options,
    );
    expect(all.usable && all.candidates.map((c) => `${c.id}:${c.state}`)).toEqual(['e1:active', 'e2:active']);
  });

  it('gives a slow edge a tenth of its weight', () => {
    const slow = edgeRecord('e1', { probe: { verdict: 'slow', rttMs: 300, since: 0 } });
    const state = fleetState({ edges: [slow, edgeRecord('e2')], ageMs: 0, connected: true }, options);
    expect(state.usable && state.candidates.map((c) => c.weight)).toEqual([slow.capacity.weight * 0.1, 1]);
  });

  it('changes the version with anything that changes a rewrite, and only then', () => {
    const version = (edges: ReturnType<typeof edgeRecord>[]) => {
      const state = fleetState({ edges, ageMs: 0, connected: true }, options);
      return state.usable ? state.version : undefined;
    };
    const base = version([edgeRecord('e1'), edgeRecord('e2')]);
    expect(version([edgeRecord('e1', { heartbeatAt: 1 }), edgeRecord('e2')])).toBe(base);
    const busier = edgeRecord('e2');
    busier.load.requestsPerSec = 31;
    const changed = [
      [edgeRecord('e1'), busier],
      [edgeRecord('e1'), edgeRecord('e2', { state: 'draining' })],
      [edgeRecord('e1'), edgeRecord('e2', { url: 'http://127.0.0.1:9/' })],
      [edgeRecord('e1'), edgeRecord('e2', { zone: 'eu' })],
      [edgeRecord('e1')],
    ];
    for (const edges of changed) expect(version(edges)).not.toBe(base);
  });

  it('hashes the version of a large fleet into a short string', () => {
    const state = fleetState({ edges: Array.from({ length: 50 }, (_, i) => edgeRecord(`edge-${i}`)), ageMs: 0, connected: true }, options);
    expect(state.usable && state.version.length).toBeLessThan(40);
  });
});
