import { describe, expect, it } from 'vitest';
import type { FlightWaiter } from './flight.js';
import { FlightTable } from './flight-table.js';

const waiter = (): FlightWaiter => ({ head: () => {}, data: () => {}, end: () => {}, fail: () => {} });
const limits = { maxKeys: 2, maxWaitersPerKey: 3, maxBodyBytes: 8 };

describe('FlightTable', () => {
  it('makes the first request for a part lead and the next ones join its flight', () => {
    const table = new FlightTable(limits);
    const first = table.admit('/a/part1.m4s', waiter());
    expect(first.kind).toBe('lead');
    const second = table.admit('/a/part1.m4s', waiter());
    expect(second.kind).toBe('joined');
    if (first.kind === 'rejected' || second.kind === 'rejected') throw new Error('unexpected');
    expect(second.flight).toBe(first.flight);
    expect(first.flight.waiterCount).toBe(2);
    expect(table.admit('/a/part2.m4s', waiter()).kind).toBe('lead');
    expect(table.size).toBe(2);
    expect(table.inFlight).toBe(2);
  });

  it('refuses a new part past maxKeys and a waiter past maxWaitersPerKey', () => {
    const table = new FlightTable(limits);
    table.admit('/p1', waiter());
    table.admit('/p2', waiter());
    expect(table.admit('/p3', waiter())).toEqual({ kind: 'rejected', reason: 'too-many-keys' });
    table.admit('/p1', waiter());
    table.admit('/p1', waiter());
    expect(table.admit('/p1', waiter())).toEqual({ kind: 'rejected', reason: 'too-many-waiters' });
  });

  it('lets a new flight take the key of one that failed or outgrew its replay bound', () => {
    const table = new FlightTable(limits);
    const failed = table.admit('/p1', waiter());
    if (failed.kind !== 'lead') throw new Error('unexpected');
    failed.flight.fail('refused');
    const retry = table.admit('/p1', waiter());
    expect(retry.kind).toBe('lead');

    const big = table.admit('/p2', waiter());
    if (big.kind !== 'lead' || retry.kind !== 'lead') throw new Error('unexpected');
    big.flight.receiveHead({ status: 200, headers: [] });
    big.flight.receiveData(Buffer.alloc(9));
    const next = table.admit('/p2', waiter());
    expect(next.kind).toBe('lead');
    // Releasing the replaced flight leaves the new one in place.
    table.release(big.flight);
    expect(table.size).toBe(2);
    if (next.kind !== 'lead') throw new Error('unexpected');
    table.release(next.flight);
    table.release(next.flight);
    expect(table.size).toBe(1);
  });

  it('serves a lingering complete flight to late requests without counting them as waiters', () => {
    const table = new FlightTable({ ...limits, maxWaitersPerKey: 1 });
    const lead = table.admit('/p1', waiter());
    if (lead.kind !== 'lead') throw new Error('unexpected');
    lead.flight.receiveHead({ status: 200, headers: [] });
    lead.flight.receiveData(Buffer.from('ok'));
    lead.flight.complete();
    expect(table.inFlight).toBe(0);
    expect(table.admit('/p1', waiter()).kind).toBe('joined');
    expect(table.admit('/p1', waiter()).kind).toBe('joined');
  });
});
