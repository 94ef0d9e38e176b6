import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { chooseRemovals, type RemovalInput } from './choose-removals.js';

function edge(id: string, connections: number, egress: number, startedAt: number): EdgeRecord {
  const base = edgeRecord(id);
  return { ...base, startedAt, load: { ...base.load, activeConnections: connections, egressBytesPerSec: egress } };
}

const fleet = [edge('a', 5, 100, 1), edge('b', 1, 900, 1), edge('c', 1, 100, 1), edge('d', 1, 100, 2)];
const ownedAll = fleet.map((r) => ({ id: r.id, state: 'running' as const }));

function input(overrides: Partial<RemovalInput>): RemovalInput {
  return { count: 1, current: 4, minEdges: 1, records: fleet, owned: ownedAll, pending: [], removing: new Set(), ...overrides };
}

describe('chooseRemovals', () => {
  it('prefers fewest connections, then least egress, then the newest edge', () => {
    expect(chooseRemovals(input({ count: 3 })).ids).toEqual(['d', 'c', 'b']);
    expect(chooseRemovals(input({ count: 1 }))).toEqual({ ids: ['d'], drain: ['d'] });
  });

  it('takes pending edges first, without draining them', () => {
    const owned = [...ownedAll, { id: 'p', state: 'starting' as const }];
    expect(chooseRemovals(input({ count: 2, current: 5, owned, pending: ['p'] }))).toEqual({ ids: ['p', 'd'], drain: ['d'] });
  });

  it('never goes below minEdges, and says so', () => {
    const removal = chooseRemovals(input({ count: 3, current: 4, minEdges: 3 }));
    expect(removal.ids).toEqual(['d']);
    expect(removal.shortfall).toBe('only 1 may go without dropping below minEdges 3');
  });

  it('only removes edges its actuator runs, skipping ones already being removed or draining', () => {
    const records = [...fleet.slice(0, 3), { ...fleet[3]!, state: 'draining' as const }];
    const removal = chooseRemovals(input({ count: 3, records, owned: ownedAll.filter((e) => e.id !== 'c'), removing: new Set(['b']) }));
    expect(removal.ids).toEqual(['a']);
    expect(removal.shortfall).toBe("only 1 of the active edges are run by this autoscaler's actuator");
  });
});
