/**
 * The edge registry against real redis-server processes (no mocks): the writer,
 * the view, liveness by expiry, drains, malformed payloads, a Redis restart,
 * passwords and ACL users.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isHlscdnError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { findFreePort, startRedisServer, waitUntil, type RunningRedisServer } from '../core/process/index.js';
import type { EdgeRecord } from './edge-record.js';
import { registryAclRules } from './acl-rules.js';
import { registryKeys } from './keys.js';
import { EdgeRegistryView, type EdgeRegistryViewOptions } from './registry-view.js';
import { EdgeRegistryWriter, type EdgeRegistryWriterOptions } from './registry-writer.js';
import { edgeRecord } from './test-support/records.js';

let dir: string;
let server: RunningRedisServer;
let admin: Redis;
const closers: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-edge-registry-'));
  server = await startRedisServer({ dir: join(dir, 'main') });
  admin = new Redis(server.url);
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A pino logger whose lines land in an array. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

function writer(
  url: string,
  options: Partial<EdgeRegistryWriterOptions> & { redisExtra?: Partial<EdgeRegistryWriterOptions['redis']> } = {},
): EdgeRegistryWriter {
  const { redisExtra, ...rest } = options;
  const created = new EdgeRegistryWriter({ redis: { url, ...redisExtra }, ...rest });
  closers.push(() => created.close());
  return created;
}

async function view(
  url: string,
  options: Partial<EdgeRegistryViewOptions> & { redisExtra?: Partial<EdgeRegistryViewOptions['redis']> } = {},
): Promise<EdgeRegistryView> {
  const { redisExtra, ...rest } = options;
  const created = new EdgeRegistryView({ redis: { url, ...redisExtra }, ...rest });
  closers.push(() => created.close());
  await created.start();
  return created;
}

const now = (id: string, overrides: Partial<EdgeRecord> = {}) =>
  edgeRecord(id, { startedAt: Date.now(), heartbeatAt: Date.now(), ...overrides });
const ids = (v: EdgeRegistryView) => v.snapshot().edges.map((e) => e.id);

describe('writer and view', () => {
  it('registers an edge under the documented keys and the view sees it join', async () => {
    const keys = registryKeys('t-join');
    const w = writer(server.url, { keyPrefix: 't-join' });
    const v = await view(server.url, { keyPrefix: 't-join' });
    const joined = new Promise<EdgeRecord>((resolve) => v.once('join', resolve));
    const record = now('edge-1', { zone: 'zone-a' });
    expect(await w.register(record)).toEqual({ drainRequested: false });

    expect((await joined).id).toBe('edge-1');
    expect(v.snapshot()).toMatchObject({ edges: [record], connected: true });
    expect(JSON.parse((await admin.get(keys.record('edge-1')))!)).toEqual(record);
    const pttl = await admin.pttl(keys.record('edge-1'));
    expect(pttl).toBeGreaterThan(2_000);
    expect(pttl).toBeLessThanOrEqual(3_000);
    expect(Number(await admin.zscore(keys.index, 'edge-1'))).toBe(record.heartbeatAt);
  });

  it('updates the load on a heartbeat, and a throwing listener does not stop the view', async () => {
    const { logger, lines } = captureLogs();
    const w = writer(server.url, { keyPrefix: 't-beat' });
    const v = await view(server.url, { keyPrefix: 't-beat', logger });
    v.on('join', () => {
      throw new Error('listener bug');
    });
    const updates: Array<[EdgeRecord, EdgeRecord]> = [];
    v.on('update', (edge, previous) => updates.push([edge, previous]));
    const first = now('edge-1');
    await w.register(first);
    await waitUntil(() => ids(v).includes('edge-1'), { what: 'join' });
    await w.heartbeat({
      ...first,
      heartbeatAt: first.heartbeatAt + 1,
      load: { ...first.load, requestsPerSec: 420, activeConnections: 77 },
    });
    await waitUntil(() => v.snapshot().edges[0]?.load.requestsPerSec === 420, { what: 'the new load' });
    expect(v.snapshot().edges[0]?.load.activeConnections).toBe(77);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.[1].load.requestsPerSec).toBe(first.load.requestsPerSec);
    expect(lines.some((l) => l.msg === 'registry view listener threw' && l.level === 50)).toBe(true);
  });

  it('drops an edge that stops heartbeating within the 3 s ttl, by the local clock, while another edge heartbeats', async () => {
    const keys = registryKeys('t-expiry');
    const w = writer(server.url, { keyPrefix: 't-expiry' });
    // No resync in the test's time span: only the local clock can remove the edge.
    const v = await view(server.url, { keyPrefix: 't-expiry', resyncIntervalMs: 60_000 });
    const stale = new Promise<[EdgeRecord, string]>((resolve) => v.once('stale', (edge, reason) => resolve([edge, reason])));
    await w.register(now('edge-1'));
    await w.register(now('edge-2'));
    await waitUntil(() => ids(v).includes('edge-1') && ids(v).includes('edge-2'), { what: 'join' });
    // edge-2 goes on heartbeating (every heartbeat is news from Redis); edge-1 stops after this one.
    const beating = setInterval(() => void w.heartbeat(now('edge-2')).catch(() => undefined), 500);
    try {
      const last = now('edge-1');
      await w.heartbeat(last);

      await waitUntil(() => !ids(v).includes('edge-1'), { timeoutMs: 5_000, intervalMs: 10, what: 'the edge to leave the snapshot' });
      const goneAfterMs = Date.now() - last.heartbeatAt;
      expect(goneAfterMs).toBeGreaterThanOrEqual(2_990);
      // The ttl plus scheduling slack on a shared 2-core machine.
      expect(goneAfterMs).toBeLessThanOrEqual(3_200);
      const [edge, reason] = await stale;
      expect(edge.id).toBe('edge-1');
      expect(reason).toBe('expired');
      expect(ids(v)).toContain('edge-2');
    } finally {
      clearInterval(beating);
    }
    // Redis expired the record too (PX), with nothing published.
    await waitUntil(async () => (await admin.exists(keys.record('edge-1'))) === 0, { timeoutMs: 1_000, what: 'the key to expire' });
  });

  it('keeps edges while Redis says nothing (a hung Redis looks the same), and drops a silent lone edge at the next full read', async () => {
    const w = writer(server.url, { keyPrefix: 't-silent' });
    const v = await view(server.url, { keyPrefix: 't-silent', resyncIntervalMs: 60_000 });
    await w.register(now('edge-1'));
    await waitUntil(() => ids(v).includes('edge-1'), { what: 'join' });
    const last = now('edge-1');
    await w.heartbeat(last);
    // Past the ttl with no event and no full read: nothing says whether the edge or the registry went quiet.
    await waitUntil(() => Date.now() - last.heartbeatAt > 3_500, { timeoutMs: 5_000, intervalMs: 50, what: 'the ttl to pass' });
    expect(ids(v)).toEqual(['edge-1']);
    // A full read is news: the record has expired in Redis meanwhile, and the edge leaves.
    await v.resync();
    expect(ids(v)).toEqual([]);
  });

  it('deregisters: the view gets a leave event and every key of the edge is gone', async () => {
    const keys = registryKeys('t-leave');
    const w = writer(server.url, { keyPrefix: 't-leave' });
    const v = await view(server.url, { keyPrefix: 't-leave' });
    await w.register(now('edge-1'));
    await w.requestDrain('edge-1');
    await waitUntil(() => ids(v).includes('edge-1'), { what: 'join' });
    const left = new Promise<EdgeRecord>((resolve) => v.once('leave', resolve));
    expect(await w.deregister('edge-1')).toEqual({ removed: true });
    expect((await left).id).toBe('edge-1');
    expect(ids(v)).toEqual([]);
    expect(await admin.exists(keys.record('edge-1'))).toBe(0);
    expect(await admin.zscore(keys.index, 'edge-1')).toBeNull();
    expect(await admin.sismember(keys.draining, 'edge-1')).toBe(0);
    expect(await w.deregister('edge-1')).toEqual({ removed: false });
  });

  it('drains: an unknown id is not-found, the next heartbeat answers drainRequested, the view shows draining', async () => {
    const w = writer(server.url, { keyPrefix: 't-drain' });
    const v = await view(server.url, { keyPrefix: 't-drain' });
    const unknown = await w.requestDrain('edge-404').catch((e: unknown) => e);
    expect(isHlscdnError(unknown, 'not-found')).toBe(true);
    expect(await admin.smembers(registryKeys('t-drain').draining)).toEqual([]);

    const record = now('edge-1');
    await w.register(record);
    await waitUntil(() => ids(v).includes('edge-1'), { what: 'join' });
    const drained = new Promise<EdgeRecord>((resolve) => v.once('drain', resolve));
    expect(await w.requestDrain('edge-1')).toEqual({ alreadyRequested: false });
    expect((await drained).state).toBe('draining');
    expect(v.snapshot().edges[0]?.state).toBe('draining');
    expect(await w.heartbeat({ ...record, heartbeatAt: Date.now() })).toEqual({ drainRequested: true });
    expect(await w.requestDrain('edge-1')).toEqual({ alreadyRequested: true });
  });

  it('refuses an invalid record before writing anything', async () => {
    const keys = registryKeys('t-invalid');
    const w = writer(server.url, { keyPrefix: 't-invalid' });
    const bad = { ...now('edge-1'), capacity: { weight: 0, egressBytesPerSec: 1, connections: 1 } };
    const error = await w.heartbeat(bad).catch((e: unknown) => e);
    expect(isHlscdnError(error, 'invalid-input')).toBe(true);
    expect((error as Error).message).toContain('capacity.weight');
    expect(isHlscdnError(await w.deregister('../etc').catch((e: unknown) => e), 'invalid-input')).toBe(true);
    expect(await admin.exists(keys.record('edge-1'), keys.index)).toBe(0);
  });

  it('never lets malformed records or events into the snapshot, and logs each with its key', async () => {
    const keys = registryKeys('t-malformed');
    const { logger, lines } = captureLogs();
    const w = writer(server.url, { keyPrefix: 't-malformed' });
    const v = await view(server.url, { keyPrefix: 't-malformed', logger });
    const heartbeatAt = Date.now();
    const bad: Record<string, string> = {
      'bad-json': '{"id": "bad-json", ',
      'wrong-fields': JSON.stringify({ ...now('wrong-fields'), state: 'exploding', capacity: { weight: -1 } }),
      huge: JSON.stringify({ ...now('huge'), padding: 'x'.repeat(1_000_000) }),
      'other-id': JSON.stringify(now('someone-else')),
    };
    for (const [id, value] of Object.entries(bad)) {
      await admin.multi().set(keys.record(id), value, 'PX', 10_000).zadd(keys.index, heartbeatAt, id).exec();
    }
    await admin.publish(keys.events, '{not json');
    await admin.publish(keys.events, JSON.stringify({ v: 1, type: 'heartbeat', record: { ...now('evil'), url: 'javascript:alert(1)' } }));
    await admin.publish(keys.events, JSON.stringify({ v: 1, type: 'join', record: now('big'), padding: 'y'.repeat(100_000) }));
    await admin.publish(keys.events, JSON.stringify({ v: 1, type: 'leave', id: 'EDGE*', at: 1 }));
    await w.register(now('good'));
    await v.resync();

    await waitUntil(() => ids(v).includes('good'), { what: 'the good edge' });
    expect(ids(v)).toEqual(['good']);
    const recordWarnings = lines.filter((l) => l.msg === 'ignoring malformed edge record' && l.level === 40);
    expect(recordWarnings.map((l) => l.key).sort()).toEqual(
      Object.keys(bad)
        .map((id) => keys.record(id))
        .sort(),
    );
    expect(recordWarnings.find((l) => l.key === keys.record('huge'))?.reason).toBe('too-large');
    expect(recordWarnings.find((l) => l.key === keys.record('bad-json'))?.reason).toBe('invalid-json');
    const eventWarnings = lines.filter((l) => l.msg === 'ignoring malformed registry event' && l.level === 40);
    expect(eventWarnings.map((l) => l.reason)).toEqual(['invalid-json', 'invalid-record', 'too-large', 'invalid-record']);
    // A bad key is one warning, not one per resync.
    await v.resync();
    expect(lines.filter((l) => l.msg === 'ignoring malformed edge record')).toHaveLength(recordWarnings.length);
  });

  it('prunes index entries and drain marks whose record expired', async () => {
    const keys = registryKeys('t-prune');
    await admin.multi().zadd(keys.index, 1, 'ghost').sadd(keys.draining, 'ghost', 'ghost-2').exec();
    const v = await view(server.url, { keyPrefix: 't-prune' });
    expect(ids(v)).toEqual([]);
    await waitUntil(async () => (await admin.zcard(keys.index)) === 0 && (await admin.scard(keys.draining)) === 0, { what: 'the prune' });
  });

  it('fails start() with unavailable when Redis cannot be reached', async () => {
    const port = await findFreePort();
    const v = new EdgeRegistryView({ redis: { url: `redis://127.0.0.1:${port}` }, startTimeoutMs: 300 });
    const error = await v.start().catch((e: unknown) => e);
    expect(isHlscdnError(error, 'unavailable')).toBe(true);
    await v.close();
  });
});

describe('a Redis restart', () => {
  it('keeps the last snapshot while Redis is down, then catches up; writers re-register by heartbeating', async () => {
    const redis = await startRedisServer({ dir: join(dir, 'restart') });
    let current: RunningRedisServer | undefined = redis;
    closers.push(() => current?.stop());
    const fast = { reconnect: { baseDelayMs: 50, maxDelayMs: 300 } };
    const keys = registryKeys();
    const a = writer(redis.url, { redisExtra: fast, readyTimeoutMs: 300 });
    const b = writer(redis.url, { redisExtra: fast });
    const v = await view(redis.url, { redisExtra: fast, reconnectGraceMs: 1_500 });

    // Agent a heartbeats every 250 ms through the outage, as the real agent does every second.
    const failures: unknown[] = [];
    let beating = true;
    const loop = (async () => {
      while (beating) {
        await a.heartbeat(now('edge-a')).catch((error: unknown) => failures.push(error));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    closers.push(async () => {
      beating = false;
      await loop;
    });
    await b.register(now('edge-b'));
    await waitUntil(() => ids(v).join() === 'edge-a,edge-b', { what: 'both edges' });
    const departures: string[] = [];
    v.on('stale', (edge, reason) => departures.push(`${edge.id}:${reason}`));
    v.on('leave', (edge) => departures.push(`${edge.id}:leave`));

    // Down: edge-b stops for good with it.
    await redis.stop();
    current = undefined;
    await waitUntil(() => !v.snapshot().connected, { what: 'the view to notice' });
    const down = v.snapshot();
    await waitUntil(() => v.snapshot().ageMs > 3_500, { timeoutMs: 6_000, what: 'more than a ttl without Redis' });
    // Older than the ttl, yet served: a Redis outage is not an edge outage.
    expect(v.snapshot()).toMatchObject({ connected: false, edges: down.edges });
    expect(v.snapshot().updatedAt).toBe(down.updatedAt);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((error) => isHlscdnError(error, 'unavailable'))).toBe(true);

    // Back, empty (no persistence), on the same port.
    current = await startRedisServer({ dir: join(dir, 'restart'), port: redis.port });
    const backAt = Date.now();
    await waitUntil(() => v.snapshot().connected && (v.snapshot().edges.find((e) => e.id === 'edge-a')?.heartbeatAt ?? 0) > backAt, {
      timeoutMs: 5_000,
      what: 'the view to catch up with edge-a',
    });
    expect(v.snapshot().ageMs).toBeLessThan(1_000);
    const probe = new Redis(current.url);
    closers.push(() => probe.disconnect());
    expect(await probe.exists(keys.record('edge-a'))).toBe(1);
    // edge-b never came back: gone once the reconnect grace is over.
    await waitUntil(() => !ids(v).includes('edge-b'), { timeoutMs: 4_000, what: 'edge-b to leave after the grace' });
    expect(ids(v)).toEqual(['edge-a']);
    // Thanks to the reconnect grace, edge-a never left the view although the restarted Redis was empty.
    expect(departures).toHaveLength(1);
    expect(departures[0]).toMatch(/^edge-b:(expired|missing)$/);
  });
});

describe('authentication and ACL users', () => {
  let locked: RunningRedisServer;
  let root: Redis;
  const keys = registryKeys();
  beforeAll(async () => {
    locked = await startRedisServer({ dir: join(dir, 'locked'), password: 'admin-password' });
    root = new Redis(locked.url);
    for (const [user, role] of [
      ['edge-agent', 'agent'],
      ['registry-view', 'view'],
      ['registry-control', 'controller'],
      ['edge-prober', 'prober'],
    ] as const) {
      await root.call('ACL', 'SETUSER', user, 'reset', 'on', `>${user}-password`, ...registryAclRules(keys, role));
    }
  });
  afterAll(async () => {
    root?.disconnect();
    await locked?.stop();
  });
  const plainUrl = () => `redis://127.0.0.1:${locked.port}`;
  const as = (user: string) => ({ username: user, password: `${user}-password` });

  it('refuses a writer with the wrong password, with a clear unauthorized error, and writes nothing', async () => {
    const w = writer(plainUrl(), { redisExtra: { password: 'not-the-password' } });
    const error = await w.register(now('edge-1')).catch((e: unknown) => e);
    expect(isHlscdnError(error, 'unauthorized')).toBe(true);
    expect((error as Error).message).toContain('register of edge "edge-1" failed');
    expect((error as Error).message).toContain('refused the credentials');
    expect(await root.dbsize()).toBe(0);
    // Still refused on later calls, while the client keeps retrying in the background.
    expect(isHlscdnError(await w.heartbeat(now('edge-1')).catch((e: unknown) => e), 'unauthorized')).toBe(true);

    const v = new EdgeRegistryView({ redis: { url: plainUrl(), password: 'not-the-password' }, startTimeoutMs: 2_000 });
    expect(isHlscdnError(await v.start().catch((e: unknown) => e), 'unauthorized')).toBe(true);
    await v.close();
  });

  it('lets each documented ACL user do its job and nothing outside its keys', async () => {
    const agent = writer(plainUrl(), { redisExtra: as('edge-agent') });
    const v = await view(plainUrl(), { redisExtra: as('registry-view') });
    const control = writer(plainUrl(), { redisExtra: as('registry-control') });
    await agent.register(now('edge-1'));
    await waitUntil(() => ids(v).includes('edge-1'), { what: 'the agent edge in the view' });
    expect(await control.requestDrain('edge-1')).toEqual({ alreadyRequested: false });
    expect(await agent.heartbeat(now('edge-1'))).toEqual({ drainRequested: true });
    await waitUntil(() => v.snapshot().edges[0]?.state === 'draining', { what: 'draining in the view' });
    await v.resync();
    expect(v.snapshot().connected).toBe(true);

    // The agent cannot ask for drains, nor write under another prefix (the whole MULTI is refused).
    expect(isHlscdnError(await agent.requestDrain('edge-1').catch((e: unknown) => e), 'unauthorized')).toBe(true);
    const elsewhere = writer(plainUrl(), { redisExtra: as('edge-agent'), keyPrefix: 'other' });
    const refused = await elsewhere.heartbeat(now('edge-2')).catch((e: unknown) => e);
    expect(isHlscdnError(refused, 'unauthorized')).toBe(true);
    expect((refused as Error).message).toContain('NOPERM');
    expect(await root.keys('other:*')).toEqual([]);

    const raw = new Redis(plainUrl(), { ...as('edge-agent'), maxRetriesPerRequest: 0 });
    closers.push(() => raw.disconnect());
    await expect(raw.set('other:key', 'x')).rejects.toThrow(/NOPERM/);
    await expect(raw.sadd(keys.draining, 'edge-1')).rejects.toThrow(/NOPERM/);
    await expect(raw.flushall()).rejects.toThrow(/NOPERM/);
    const reader = new Redis(plainUrl(), { ...as('registry-view'), maxRetriesPerRequest: 0 });
    closers.push(() => reader.disconnect());
    await expect(reader.set(keys.record('edge-1'), '{}')).rejects.toThrow(/NOPERM/);
    expect(await root.exists('other:key')).toBe(0);

    // The prober publishes verdicts the view folds in, and cannot touch records.
    const prober = writer(plainUrl(), { redisExtra: as('edge-prober') });
    const at = Date.now();
    await prober.publishProbeVerdicts([{ id: 'edge-1', verdict: 'down', rttMs: null, since: at, checkedAt: at, detail: 'refused' }]);
    await waitUntil(() => v.snapshot().edges[0]?.probe?.verdict === 'down', { what: 'the verdict in the view' });
    const proberRaw = new Redis(plainUrl(), { ...as('edge-prober'), maxRetriesPerRequest: 0 });
    closers.push(() => proberRaw.disconnect());
    await expect(proberRaw.set(keys.record('edge-1'), '{}')).rejects.toThrow(/NOPERM/);

    await agent.deregister('edge-1');
    await waitUntil(() => ids(v).length === 0, { what: 'the leave' });
  });
});
