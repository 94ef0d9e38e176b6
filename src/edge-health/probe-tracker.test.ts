import { describe, expect, it } from 'vitest';
import { ProbeTracker } from './probe-tracker.js';

const ok = (rttMs: number) => ({ ok: true as const, rttMs });
const fail = { ok: false as const, error: 'timed out after 400 ms' };

function kinds(tracker: ProbeTracker, now: number): Record<string, string> {
  return Object.fromEntries(tracker.evaluate(now).verdicts.map((v) => [v.id, v.verdict]));
}

describe('ProbeTracker', () => {
  it('starts an edge up, takes it down after `fall` failures in a row and back after `rise` successes', () => {
    const t = new ProbeTracker({ fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 0.3 });
    t.track('a', 0);
    expect(kinds(t, 0)).toEqual({ a: 'up' });
    t.record('a', fail, 100);
    expect(kinds(t, 100)).toEqual({ a: 'up' });
    t.record('a', ok(2), 200); // a success in between resets the count
    t.record('a', fail, 300);
    expect(kinds(t, 300)).toEqual({ a: 'up' });
    t.record('a', fail, 400);
    const down = t.evaluate(400);
    expect(down.changed).toEqual([expect.objectContaining({ id: 'a', verdict: 'down', since: 400, detail: 'timed out after 400 ms' })]);
    t.record('a', ok(2), 500);
    expect(kinds(t, 500)).toEqual({ a: 'down' });
    t.record('a', ok(2), 600);
    const up = t.evaluate(600);
    expect(up.changed).toEqual([expect.objectContaining({ id: 'a', verdict: 'up', since: 600 })]);
    expect(t.evaluate(700).changed).toEqual([]);
  });

  it('calls an edge slow against the median of the others, not against a fixed figure', () => {
    const t = new ProbeTracker({ fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 1 });
    for (const [id, rtt] of [
      ['a', 20],
      ['b', 25],
      ['c', 30],
      ['d', 200],
    ] as const)
      t.record(id, ok(rtt), 0);
    expect(kinds(t, 0)).toEqual({ a: 'up', b: 'up', c: 'up', d: 'slow' });
    expect(t.evaluate(1).verdicts.find((v) => v.id === 'd')?.detail).toBe('round trip 200 ms, fleet median 25 ms');
    // A whole fleet that is far away is not slow.
    const far = new ProbeTracker({ fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 1 });
    for (const id of ['a', 'b', 'c']) far.record(id, ok(180), 0);
    expect(kinds(far, 0)).toEqual({ a: 'up', b: 'up', c: 'up' });
    // Under the floor, a large factor still is not slow (1 ms vs 0.1 ms on loopback).
    const near = new ProbeTracker({ fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 1 });
    near.record('a', ok(0.1), 0);
    near.record('b', ok(1), 0);
    expect(kinds(near, 0)).toEqual({ a: 'up', b: 'up' });
  });

  it('smooths round trips so one slow answer does not make an edge slow', () => {
    const t = new ProbeTracker({ fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 0.3 });
    for (const id of ['a', 'b', 'c']) t.record(id, ok(10), 0);
    t.record('c', ok(120), 1); // smoothed: 10 + 0.3 x 110 = 43, under the 50 ms floor
    expect(kinds(t, 1).c).toBe('up');
    t.record('c', ok(120), 2);
    t.record('c', ok(120), 3); // smoothed: about 82: over 4 x 10 ms and over the floor
    expect(kinds(t, 3).c).toBe('slow');
  });

  it('forgets edges that left the fleet', () => {
    const t = new ProbeTracker();
    t.track('a', 0);
    t.track('b', 0);
    expect(t.forgetAllBut(new Set(['b']))).toEqual(['a']);
    expect(kinds(t, 1)).toEqual({ b: 'up' });
  });
});
