/**
 * The leader lease against a real redis-server: one leader at a time, hand-over
 * on close, takeover after a holder dies (its key is left to expire), and a
 * holder whose key was taken from it stepping down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, waitUntil, type RunningRedisServer } from '../process/index.js';
import { LeaderLease, type LeaderLeaseOptions } from './leader-lease.js';

let dir: string;
let server: RunningRedisServer;
let admin: Redis;
const leases: LeaderLease[] = [];
let prefixCounter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-lease-'));
  server = await startRedisServer({ dir });
  admin = new Redis(server.url);
});
afterEach(async () => {
  await Promise.all(leases.splice(0).map((lease) => lease.close()));
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Each test gets its own key prefix, so leases of other tests never interfere. */
function nextPrefix(): string {
  prefixCounter += 1;
  return `lease-test-${prefixCounter}`;
}

function lease(options: Partial<LeaderLeaseOptions> & { key: string }): LeaderLease {
  const created = new LeaderLease({ redis: { url: server.url }, ttlMs: 1_500, ...options });
  leases.push(created);
  return created;
}

const leaseKey = (prefix: string) => `${prefix}:test:leader`;

describe('LeaderLease', () => {
  it('lets exactly one of two instances lead and tells the other who leads', async () => {
    const keyPrefix = nextPrefix();
    const a = lease({ key: leaseKey(keyPrefix), holderId: 'a' });
    const b = lease({ key: leaseKey(keyPrefix), holderId: 'b' });
    const events: string[] = [];
    a.on('leader', () => events.push('a:leader'));
    b.on('follower', (info) => events.push(`b:follower:${info.reason}:${info.leader}`));
    await a.start();
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(events).toEqual(['a:leader', 'b:follower:held-by-another:a']);
    expect(b.leader).toBe('a');
    expect(await admin.get(leaseKey(keyPrefix))).toBe('a');
  });

  it('keeps the lease past its ttl by renewing it', async () => {
    const keyPrefix = nextPrefix();
    const a = lease({ key: leaseKey(keyPrefix), holderId: 'a', ttlMs: 600 });
    await a.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(a.isLeader).toBe(true);
    expect(await admin.pttl(leaseKey(keyPrefix))).toBeGreaterThan(0);
  });

  it('hands over within one renew interval when the leader closes', async () => {
    const keyPrefix = nextPrefix();
    const a = lease({ key: leaseKey(keyPrefix), holderId: 'a' });
    const b = lease({ key: leaseKey(keyPrefix), holderId: 'b' });
    await a.start();
    await b.start();
    const closedAt = performance.now();
    await a.close();
    expect(a.isLeader).toBe(false);
    await waitUntil(() => b.isLeader, { timeoutMs: 5_000, intervalMs: 10, what: 'b to lead' });
    // renewInterval = 500 ms; a loaded machine may add a few hundred ms of timer lateness.
    expect(performance.now() - closedAt).toBeLessThan(b.renewIntervalMs + 700);
  });

  it('takes over from a dead holder once its key expires, within ttl + one renew interval', async () => {
    const keyPrefix = nextPrefix();
    // A holder that died right after acquiring: its key is there and nobody renews it.
    await admin.set(leaseKey(keyPrefix), 'dead-holder', 'PX', 1_500);
    const diedAt = performance.now();
    const b = lease({ key: leaseKey(keyPrefix), holderId: 'b' });
    await b.start();
    expect(b.isLeader).toBe(false);
    expect(b.leader).toBe('dead-holder');
    await waitUntil(() => b.isLeader, { timeoutMs: 6_000, intervalMs: 10, what: 'b to take over' });
    const elapsed = performance.now() - diedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(1_500 + b.renewIntervalMs + 700);
  });

  it('steps down when its key now names someone else, and never extends that lease', async () => {
    const keyPrefix = nextPrefix();
    const key = leaseKey(keyPrefix);
    const a = lease({ key: leaseKey(keyPrefix), holderId: 'a' });
    const reasons: string[] = [];
    a.on('follower', (info) => reasons.push(info.reason));
    await a.start();
    await admin.set(key, 'usurper', 'PX', 60_000);
    await waitUntil(() => !a.isLeader, { timeoutMs: 3_000, what: 'a to step down' });
    expect(reasons).toEqual(['lost']);
    expect(a.leader).toBe('usurper');
    // The usurper's ttl was not reset to a's 1.5 s.
    expect(await admin.pttl(key)).toBeGreaterThan(50_000);
  });

  it('releases on close, so the key is gone at once', async () => {
    const keyPrefix = nextPrefix();
    const a = lease({ key: leaseKey(keyPrefix), holderId: 'a', ttlMs: 60_000 });
    await a.start();
    await a.close();
    await a.close();
    expect(await admin.exists(leaseKey(keyPrefix))).toBe(0);
  });

  it('refuses to start when Redis cannot be reached', async () => {
    const a = new LeaderLease({ redis: { url: 'redis://127.0.0.1:1' }, startTimeoutMs: 500, key: leaseKey(nextPrefix()) });
    await expect(a.start()).rejects.toMatchObject({ code: 'unavailable' });
    await a.close();
  });
});
