import { describe, expect, it } from 'vitest';
import { Flight, type FlightWaiter, type PartHead } from './flight.js';

interface Recorded extends FlightWaiter {
  readonly events: string[];
  body(): string;
  /** What head() said of this waiter being the primary. */
  primary(): boolean | undefined;
}

function recorder(): Recorded {
  const events: string[] = [];
  const chunks: Buffer[] = [];
  let primary: boolean | undefined;
  return {
    events,
    body: () => Buffer.concat(chunks).toString(),
    primary: () => primary,
    head: (head, isPrimary) => {
      primary = isPrimary;
      events.push(`head ${head.status}`);
    },
    data: (chunk) => {
      chunks.push(chunk);
      events.push(`data ${chunk.length}`);
    },
    end: () => void events.push('end'),
    fail: (reason) => void events.push(`fail ${reason}`),
  };
}

const HEAD: PartHead = { status: 200, headers: ['Content-Length', '6'] };

describe('Flight', () => {
  it('fans every event out to every waiter as it arrives', () => {
    const flight = new Flight('/p.m4s', { maxBodyBytes: 100 });
    const a = recorder();
    const b = recorder();
    flight.join(a);
    flight.join(b);
    flight.receiveHead(HEAD);
    flight.receiveData(Buffer.from('abc'));
    expect(a.events).toEqual(['head 200', 'data 3']);
    flight.receiveData(Buffer.from('def'));
    flight.complete();
    for (const waiter of [a, b]) {
      expect(waiter.events).toEqual(['head 200', 'data 3', 'data 3', 'end']);
      expect(waiter.body()).toBe('abcdef');
    }
    expect(flight.state).toBe('complete');
    expect(flight.waiterCount).toBe(0);
  });

  it('replays the head and the bytes so far to a waiter that joins late, then streams the rest', () => {
    const flight = new Flight('/p.m4s', { maxBodyBytes: 100 });
    flight.join(recorder());
    flight.receiveHead(HEAD);
    flight.receiveData(Buffer.from('abc'));
    const late = recorder();
    expect(flight.join(late)).toBe(true);
    expect(late.events).toEqual(['head 200', 'data 3']);
    flight.receiveData(Buffer.from('def'));
    flight.complete();
    expect(late.body()).toBe('abcdef');
    expect(late.events.at(-1)).toBe('end');
  });

  it('serves a whole complete answer to a waiter joining after the end', () => {
    const flight = new Flight('/p.m4s', { maxBodyBytes: 100 });
    flight.receiveHead(HEAD);
    flight.receiveData(Buffer.from('abcdef'));
    flight.complete();
    const after = recorder();
    expect(flight.join(after)).toBe(true);
    expect(after.events).toEqual(['head 200', 'data 6', 'end']);
    expect(flight.waiterCount).toBe(0);
  });

  it('stops taking waiters once the body outgrows the replay bound, but finishes for those it has', () => {
    const flight = new Flight('/big.m4s', { maxBodyBytes: 4 });
    const early = recorder();
    flight.join(early);
    flight.receiveHead(HEAD);
    flight.receiveData(Buffer.from('abc'));
    expect(flight.joinable).toBe(true);
    flight.receiveData(Buffer.from('def'));
    expect(flight.joinable).toBe(false);
    expect(flight.join(recorder())).toBe(false);
    flight.complete();
    expect(early.body()).toBe('abcdef');
  });

  it('tells every waiter about a failure, before or after the head, once', () => {
    const before = new Flight('/p.m4s', { maxBodyBytes: 100 });
    const a = recorder();
    before.join(a);
    before.fail('refused');
    before.fail('again');
    expect(a.events).toEqual(['fail refused']);
    expect(before.joinable).toBe(false);
    expect(before.failureReason).toBe('refused');

    const during = new Flight('/p.m4s', { maxBodyBytes: 100 });
    const b = recorder();
    during.join(b);
    during.receiveHead(HEAD);
    during.receiveData(Buffer.from('ab'));
    during.fail('cut');
    during.complete();
    expect(b.events).toEqual(['head 200', 'data 2', 'fail cut']);
  });

  it('makes exactly one waiter the primary, and hands the role on when the primary leaves early', () => {
    const flight = new Flight('/p.m4s', { maxBodyBytes: 100 });
    const a = recorder();
    const b = recorder();
    flight.join(a);
    flight.join(b);
    flight.receiveHead(HEAD);
    expect([a.primary(), b.primary()]).toEqual([true, false]);
    const c = recorder();
    flight.join(c);
    expect(c.primary()).toBe(false);
    flight.leave(a);
    const d = recorder();
    flight.join(d);
    expect(d.primary()).toBe(true);
    flight.receiveData(Buffer.from('abcdef'));
    flight.complete();
    // After the end the primary's answer is complete (nginx cached it): late waiters are not primary.
    const e = recorder();
    flight.join(e);
    expect(e.primary()).toBe(false);
  });

  it('forgets a waiter that left and keeps serving the others when one throws', () => {
    const flight = new Flight('/p.m4s', { maxBodyBytes: 100 });
    const gone = recorder();
    const thrower: FlightWaiter = {
      ...recorder(),
      head: () => {
        throw new Error('socket gone');
      },
    };
    const ok = recorder();
    flight.join(gone);
    flight.join(thrower);
    flight.join(ok);
    flight.leave(gone);
    flight.receiveHead(HEAD);
    flight.receiveData(Buffer.from('abcdef'));
    flight.complete();
    expect(gone.events).toEqual([]);
    expect(ok.events).toEqual(['head 200', 'data 6', 'end']);
  });
});
