import { describe, expect, it } from 'vitest';
import type { EdgeRecord } from './edge-record.js';
import { FleetSnapshot, type FleetChange } from './fleet-snapshot.js';
import type { RecordEvent } from './registry-events.js';
import { edgeRecord } from './test-support/records.js';

const TTL = 3_000;
const T0 = 1_700_000_000_000;
const live = { now: T0, clock: true };

const beat = (id: string, at: number, overrides: Partial<EdgeRecord> = {}): RecordEvent => ({
  v: 1,
  type: 'heartbeat',
  record: edgeRecord(id, { heartbeatAt: at, ...overrides }),
});
const summary = (changes: FleetChange[]) => changes.map((c) => `${c.type}:${c.edge.id}${c.type === 'stale' ? `:${c.reason}` : ''}`);

describe('FleetSnapshot events', () => {
  it('joins an unknown edge on its first heartbeat and updates it on newer ones only', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    expect(summary(fleet.applyEvent(beat('a', T0), live))).toEqual(['join:a']);
    const update = fleet.applyEvent(beat('a', T0 + 1_000, { load: { ...edgeRecord('a').load, requestsPerSec: 99 } }), live);
    expect(summary(update)).toEqual(['update:a']);
    expect(update[0]?.type === 'update' && update[0].previous.heartbeatAt).toBe(T0);
    // The same heartbeat twice (event and resync) and an older one are not news.
    expect(fleet.applyEvent(beat('a', T0 + 1_000), live)).toEqual([]);
    expect(fleet.applyEvent(beat('a', T0 + 500), live)).toEqual([]);
    expect(fleet.edges(live)[0]?.load.requestsPerSec).toBe(99);
  });

  it('removes an edge on leave, and a leave for an unknown edge changes nothing', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    expect(summary(fleet.applyEvent({ v: 1, type: 'leave', id: 'a', at: T0 }, live))).toEqual(['leave:a']);
    expect(fleet.applyEvent({ v: 1, type: 'leave', id: 'zz', at: T0 }, live)).toEqual([]);
    expect(fleet.edges(live)).toEqual([]);
  });

  it('shows a drained edge as draining and reports the transition once', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    expect(summary(fleet.applyEvent({ v: 1, type: 'drain', id: 'a', at: T0 }, live))).toEqual(['update:a', 'drain:a']);
    expect(fleet.edges(live)[0]?.state).toBe('draining');
    expect(fleet.applyEvent({ v: 1, type: 'drain', id: 'a', at: T0 }, live)).toEqual([]);
    // The agent reports 'draining' itself afterwards: no second drain.
    expect(summary(fleet.applyEvent(beat('a', T0 + 1_000, { state: 'draining' }), live))).toEqual(['update:a']);
  });

  it('ignores a heartbeat that is already older than the ttl when the clock applies', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    expect(fleet.applyEvent(beat('a', T0 - TTL), live)).toEqual([]);
    expect(summary(fleet.applyEvent(beat('a', T0 - TTL), { now: T0, clock: false }))).toEqual(['join:a']);
  });
});

describe('FleetSnapshot local expiry', () => {
  it('expires an edge exactly when its heartbeat is ttl old, not a millisecond before', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    fleet.applyEvent(beat('b', T0 + 500), live);
    expect(fleet.nextExpiryAt()).toBe(T0 + TTL);
    expect(fleet.edges({ now: T0 + TTL - 1, clock: true }).map((e) => e.id)).toEqual(['a', 'b']);
    expect(fleet.edges({ now: T0 + TTL, clock: true }).map((e) => e.id)).toEqual(['b']);
    expect(fleet.expire(T0 + TTL - 1)).toEqual([]);
    expect(summary(fleet.expire(T0 + TTL))).toEqual(['stale:a:expired']);
    expect(fleet.nextExpiryAt()).toBe(T0 + 500 + TTL);
  });

  it('keeps serving old edges when the clock does not apply (disconnected)', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    expect(fleet.edges({ now: T0 + 60_000, clock: false }).map((e) => e.id)).toEqual(['a']);
  });
});

describe('FleetSnapshot resync', () => {
  it('adds what the read found and drops what it did not as missing', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    const token = fleet.beginResync();
    const changes = fleet.applyResync(
      token,
      { records: [edgeRecord('b', { heartbeatAt: T0 })], draining: ['b'] },
      { ...live, keepMissing: false },
    );
    expect(summary(changes).sort()).toEqual(['join:b', 'stale:a:missing']);
    expect(fleet.edges(live).map((e) => [e.id, e.state])).toEqual([['b', 'draining']]);
  });

  it('keeps edges the read did not find during the reconnect grace, drain marks included', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    fleet.applyEvent({ v: 1, type: 'drain', id: 'a', at: T0 }, live);
    const changes = fleet.applyResync(fleet.beginResync(), { records: [], draining: [] }, { now: T0, clock: false, keepMissing: true });
    expect(changes).toEqual([]);
    expect(fleet.edges(live).map((e) => [e.id, e.state])).toEqual([['a', 'draining']]);
  });

  it('does not let a read that predates a leave bring the edge back', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    const token = fleet.beginResync();
    fleet.applyEvent({ v: 1, type: 'leave', id: 'a', at: T0 }, live);
    const changes = fleet.applyResync(
      token,
      { records: [edgeRecord('a', { heartbeatAt: T0 })], draining: [] },
      { ...live, keepMissing: false },
    );
    expect(changes).toEqual([]);
    expect(fleet.edges(live)).toEqual([]);
  });

  it('does not drop an edge that joined after the read started', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    const token = fleet.beginResync();
    fleet.applyEvent(beat('a', T0), live);
    expect(fleet.applyResync(token, { records: [], draining: [] }, { ...live, keepMissing: false })).toEqual([]);
    expect(fleet.edges(live).map((e) => e.id)).toEqual(['a']);
    // The next read, started after the join, is authoritative again.
    expect(summary(fleet.applyResync(fleet.beginResync(), { records: [], draining: [] }, { ...live, keepMissing: false }))).toEqual([
      'stale:a:missing',
    ]);
  });

  it('learns a missed drain mark even when the edge heartbeated during the read', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    const token = fleet.beginResync();
    fleet.applyEvent(beat('a', T0 + 1_000), live);
    const changes = fleet.applyResync(
      token,
      { records: [edgeRecord('a', { heartbeatAt: T0 })], draining: ['a'] },
      { ...live, keepMissing: false },
    );
    expect(summary(changes)).toEqual(['update:a', 'drain:a']);
    expect(fleet.edges(live)[0]).toMatchObject({ state: 'draining', heartbeatAt: T0 + 1_000 });
  });

  it('does not let a read that predates a drain event undo it', () => {
    const fleet = new FleetSnapshot({ ttlMs: TTL });
    fleet.applyEvent(beat('a', T0), live);
    const token = fleet.beginResync();
    fleet.applyEvent({ v: 1, type: 'drain', id: 'a', at: T0 }, live);
    expect(
      fleet.applyResync(token, { records: [edgeRecord('a', { heartbeatAt: T0 })], draining: [] }, { ...live, keepMissing: false }),
    ).toEqual([]);
    expect(fleet.edges(live)[0]?.state).toBe('draining');
  });
});
