import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { buildFleetLoads, type FleetLoadsInput } from './fleet-loads.js';

const assumedCapacity = { egressBytesPerSec: 1_000, connections: 10 };

function input(overrides: Partial<FleetLoadsInput>): FleetLoadsInput {
  return {
    records: [],
    owned: [],
    removing: new Set(),
    pendingSince: new Map(),
    now: 10_000,
    bootTimeoutMs: 5_000,
    assumedCapacity,
    ...overrides,
  };
}

describe('buildFleetLoads', () => {
  it('turns each live record into a ready row with its reported load', () => {
    const record = edgeRecord('a', { load: { ...edgeRecord('a').load, activeConnections: 7, egressBytesPerSec: 300 } });
    const { loads } = buildFleetLoads(input({ records: [record] }));
    expect(loads).toEqual([
      {
        id: 'a',
        state: 'active',
        ready: true,
        capacity: { egressBytesPerSec: 125_000_000, connections: 10_000 },
        egressBytesPerSec: 300,
        connections: 7,
      },
    ]);
  });

  it('counts a launched edge without a record as pending: active, not ready, no load, the typical capacity', () => {
    const small = edgeRecord('a', { capacity: { weight: 1, egressBytesPerSec: 100, connections: 2 } });
    const big = edgeRecord('b', { capacity: { weight: 1, egressBytesPerSec: 300, connections: 4 } });
    const result = buildFleetLoads(
      input({
        records: [small, big],
        owned: [
          { id: 'b', state: 'running' },
          { id: 'c', state: 'starting' },
        ],
      }),
    );
    expect(result.pending).toEqual(['c']);
    expect(result.loads.find((l) => l.id === 'c')).toEqual({
      id: 'c',
      state: 'active',
      ready: false,
      capacity: { egressBytesPerSec: 200, connections: 3 },
      egressBytesPerSec: 0,
      connections: 0,
    });
    expect(result.pendingSince.get('c')).toBe(10_000);
  });

  it('uses the assumed capacity for a pending edge when nothing is registered', () => {
    const { loads } = buildFleetLoads(input({ owned: [{ id: 'c', state: 'starting' }] }));
    expect(loads[0]?.capacity).toEqual(assumedCapacity);
  });

  it('keeps the first pending time, and calls an edge stuck once the boot timeout has passed', () => {
    const owned = [{ id: 'c', state: 'running' as const }];
    const waiting = buildFleetLoads(input({ owned, pendingSince: new Map([['c', 6_000]]), now: 10_999 }));
    expect([waiting.pending, waiting.stuck, waiting.pendingSince.get('c')]).toEqual([['c'], [], 6_000]);
    const stuck = buildFleetLoads(input({ owned, pendingSince: new Map([['c', 6_000]]), now: 11_000 }));
    expect([stuck.pending, stuck.stuck, stuck.loads]).toEqual([[], ['c'], []]);
  });

  it('calls an edge lost, not pending, when it registered at an earlier tick and its record is gone: no capacity', () => {
    const owned = [
      { id: 'a', state: 'running' as const },
      { id: 'b', state: 'running' as const },
      { id: 'c', state: 'starting' as const },
    ];
    const first = buildFleetLoads(input({ records: [edgeRecord('a'), edgeRecord('b')], owned }));
    expect([...first.registered].sort()).toEqual(['a', 'b']);
    const next = buildFleetLoads(input({ records: [edgeRecord('a')], owned, registered: first.registered }));
    expect([next.lost, next.pending, next.loads.map((l) => l.id)]).toEqual([['b'], ['c'], ['a', 'c']]);
    expect([...next.registered].sort()).toEqual(['a', 'b']);
    // Forgotten once the actuator no longer runs it; an edge being removed is not lost.
    const gone = buildFleetLoads(input({ records: [edgeRecord('a')], owned: owned.slice(0, 1), registered: next.registered }));
    expect([gone.lost, [...gone.registered]]).toEqual([[], ['a']]);
    const removing = buildFleetLoads(input({ records: [edgeRecord('a')], owned, registered: next.registered, removing: new Set(['b']) }));
    expect(removing.lost).toEqual([]);
  });

  it('counts an unhealthy edge with its state, so the policy gives it no capacity', () => {
    const { loads } = buildFleetLoads(input({ records: [edgeRecord('a', { state: 'unhealthy', problem: 'canary failed' })] }));
    expect(loads.map((l) => [l.id, l.state])).toEqual([['a', 'unhealthy']]);
  });

  it('shows edges being removed as draining, and forgets pending times of edges that registered or left', () => {
    const result = buildFleetLoads(
      input({
        records: [edgeRecord('a'), edgeRecord('b')],
        owned: [
          { id: 'a', state: 'running' },
          { id: 'b', state: 'running' },
          { id: 'd', state: 'stopping' },
        ],
        removing: new Set(['b']),
        pendingSince: new Map([
          ['a', 1],
          ['gone', 1],
        ]),
      }),
    );
    expect(result.loads.map((l) => [l.id, l.state])).toEqual([
      ['a', 'active'],
      ['b', 'draining'],
    ]);
    expect([...result.pendingSince.keys()]).toEqual([]);
  });
});
