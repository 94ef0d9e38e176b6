/**
 * The edge tier with real parts: redis-server, the origin server over a
 * filesystem store, and two edges (nginx + agent) registered in Redis.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/core/http/serve.js';
import { silentLogger } from '../../src/core/logger.js';
import { startRedisServer, waitUntil, type RunningRedisServer } from '../../src/core/process/index.js';
import { EdgeRegistryView, EdgeRegistryWriter } from '../../src/edge-registry/index.js';
import type { EdgeService } from '../../src/edge/index.js';
import { appendSignature } from '../../src/edge/index.js';
import { FsObjectStore, startOriginServer } from '../../src/origin-store/index.js';
import { countingStore, type CountingStore } from '../support/counting-store.js';
import { startTestEdge } from '../support/edge-fixture.js';

let dir: string;
let redis: RunningRedisServer;
let store: CountingStore;
let origin: RunningServer;
let originPort: number;
let edgeA: EdgeService;
let edgeB: EdgeService;
let view: EdgeRegistryView;
const segment = Buffer.alloc(100_000, 7);

const get = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, cache: res.headers.get('x-cache-status'), edge: res.headers.get('x-edge-id'), body, headers: res.headers };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-edge-tier-'));
  redis = await startRedisServer({ dir: join(dir, 'redis') });
  store = countingStore(new FsObjectStore({ root: join(dir, 'store') }));
  origin = await startOriginServer({ store, logger: silentLogger(), port: 0 });
  originPort = Number(new URL(origin.url).port);
  for (let i = 0; i < 5; i++) await store.put(`live/seg${i}.ts`, segment);
  await store.put('live/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg0.ts\n');
  [edgeA, edgeB] = await Promise.all([
    startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-a' }),
    startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-b' }),
  ]);
  view = new EdgeRegistryView({ redis: { url: redis.url }, resyncIntervalMs: 500 });
  await view.start();
});

afterAll(async () => {
  await view?.close();
  await Promise.all([edgeA?.close(), edgeB?.close()]);
  await origin?.close();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('edge tier', () => {
  it('registers both edges in the registry', async () => {
    await waitUntil(() => view.snapshot().edges.length === 2, { what: 'two edges in the view' });
    expect(view.snapshot().edges.map((e) => [e.id, e.state, e.url])).toEqual([
      ['edge-a', 'active', edgeA.url],
      ['edge-b', 'active', edgeB.url],
    ]);
  });

  it('serves a segment as MISS then HIT, with its edge id', async () => {
    const first = await get(`${edgeA.url}/live/seg0.ts`);
    const second = await get(`${edgeA.url}/live/seg0.ts`);
    expect([first.status, first.cache, second.status, second.cache]).toEqual([200, 'MISS', 200, 'HIT']);
    expect(second.edge).toBe('edge-a');
    expect(second.body.equals(segment)).toBe(true);
    expect(store.reads('live/seg0.ts')).toBe(1);
  });

  it('collapses 50 concurrent requests for one uncached segment into one origin request', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => get(`${edgeB.url}/live/seg1.ts`)));
    expect(results.every((r) => r.status === 200 && r.body.equals(segment))).toBe(true);
    expect(store.reads('live/seg1.ts')).toBe(1);
  });

  it('refreshes a playlist from the origin after its short TTL, but not a segment', async () => {
    expect((await get(`${edgeA.url}/live/index.m3u8`)).body.toString()).toContain('seg0.ts');
    await get(`${edgeA.url}/live/seg2.ts`);
    await store.put('live/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg1.ts\n');
    await store.put('live/seg2.ts', Buffer.alloc(10, 1));
    const started = Date.now();
    await waitUntil(async () => (await get(`${edgeA.url}/live/index.m3u8`)).body.toString().includes('seg1.ts'), {
      timeoutMs: 5_000,
      what: 'the new playlist',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    const seg = await get(`${edgeA.url}/live/seg2.ts`);
    expect(seg.cache).toBe('HIT');
    expect(seg.body.equals(segment)).toBe(true);
  });

  it('reports request rate, egress and hit ratio that follow the traffic sent', async () => {
    const before = view.snapshot().edges.find((e) => e.id === 'edge-b')!;
    const requests = 40;
    for (let i = 0; i < requests; i++) await get(`${edgeB.url}/live/seg3.ts`);
    // The agent's window is 10 s: 40 requests (+ the 50 of the collapse test, maybe) show as >= 4 req/s.
    const after = await waitUntil(
      () => {
        const e = view.snapshot().edges.find((x) => x.id === 'edge-b');
        return e && e.load.requestsPerSec >= before.load.requestsPerSec + requests / 10 - 0.01 ? e : undefined;
      },
      { timeoutMs: 5_000, what: 'the agent to report the traffic' },
    );
    const windowSec = 10;
    const egressSent = (requests * segment.length) / windowSec;
    expect(after.load.egressBytesPerSec).toBeGreaterThanOrEqual(before.load.egressBytesPerSec + egressSent);
    // Headers add well under 1 kB per response.
    expect(after.load.egressBytesPerSec).toBeLessThan(
      before.load.egressBytesPerSec + egressSent + (requests * 1_000 + 50 * (segment.length + 1_000)) / windowSec,
    );
    expect(after.load.cacheHitRatio).toBeGreaterThan(0.9);
  });

  it('keeps serving cached segments when the origin is down (stale on error)', async () => {
    await get(`${edgeB.url}/live/seg4.ts`);
    await get(`${edgeB.url}/live/index.m3u8`);
    await origin.close();
    try {
      const seg = await get(`${edgeB.url}/live/seg4.ts`);
      expect([seg.status, seg.cache]).toEqual([200, 'HIT']);
      // The playlist expires after 1 s; with the origin gone the edge answers from its stale copy.
      await waitUntil(async () => (await get(`${edgeB.url}/live/index.m3u8`)).cache === 'STALE', {
        timeoutMs: 8_000,
        what: 'a stale playlist',
      });
      const uncached = await get(`${edgeB.url}/live/never-fetched.ts`);
      expect(uncached.status).toBe(502);
    } finally {
      origin = await startOriginServer({ store, logger: silentLogger(), port: originPort });
    }
  });

  it('drops an edge whose agent stops heartbeating within the TTL', async () => {
    const extra = await startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-c' });
    try {
      await waitUntil(() => view.snapshot().edges.some((e) => e.id === 'edge-c'), { what: 'edge-c to join' });
      const stoppedAt = Date.now();
      await extra.agent.close({ deregister: false }); // the agent dies without a goodbye
      await waitUntil(() => !view.snapshot().edges.some((e) => e.id === 'edge-c'), {
        timeoutMs: 6_000,
        intervalMs: 50,
        what: 'edge-c to expire',
      });
      expect(Date.now() - stoppedAt).toBeLessThan(3_000 + 1_000 /* one heartbeat may have just been sent */);
    } finally {
      await extra.close();
    }
  });

  it('reports an edge whose nginx hangs as unhealthy within about a beat, and active again when it answers', async () => {
    const extra = await startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-h', edge: { heartbeatMs: 500 } });
    const state = () => view.snapshot().edges.find((e) => e.id === 'edge-h')?.state;
    try {
      await waitUntil(() => state() === 'active', { what: 'edge-h to join' });
      // SIGSTOP to the process group: master and workers stop, the kernel still accepts connections, the agent still heartbeats.
      const hungAt = Date.now();
      process.kill(-extra.nginxPid, 'SIGSTOP');
      await waitUntil(() => state() === 'unhealthy', { timeoutMs: 5_000, intervalMs: 20, what: 'edge-h to report itself unhealthy' });
      // One beat (500 ms) plus the canary's deadline (250 ms) plus the write.
      expect(Date.now() - hungAt).toBeLessThan(1_500);
      expect(view.snapshot().edges.find((e) => e.id === 'edge-h')?.problem).toMatch(/canary/);
      process.kill(-extra.nginxPid, 'SIGCONT');
      await waitUntil(() => state() === 'active', { timeoutMs: 5_000, intervalMs: 20, what: 'edge-h to be active again' });
    } finally {
      try {
        process.kill(-extra.nginxPid, 'SIGCONT');
      } catch {
        // Already gone.
      }
      await extra.close();
    }
  });

  it('deregisters an edge whose nginx is killed', async () => {
    const extra = await startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-d' });
    await waitUntil(() => view.snapshot().edges.some((e) => e.id === 'edge-d'), { what: 'edge-d to join' });
    const stopped = new Promise((resolve) => extra.once('stopped', resolve));
    process.kill(extra.nginxPid, 'SIGKILL');
    expect(await stopped).toBe('nginx exited');
    await waitUntil(() => !view.snapshot().edges.some((e) => e.id === 'edge-d'), { timeoutMs: 3_000, what: 'edge-d to leave' });
  });

  it('re-registers edges by themselves after redis-server restarts', async () => {
    const port = redis.port;
    await redis.stop();
    redis = await startRedisServer({ dir: join(dir, 'redis'), port });
    await waitUntil(() => ['edge-a', 'edge-b'].every((id) => view.snapshot().edges.some((e) => e.id === id)) && view.snapshot().connected, {
      timeoutMs: 15_000,
      what: 'the edges to re-register',
    });
  });

  it('shows a drained edge as draining, then lets it leave', async () => {
    const extra = await startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-e' });
    await waitUntil(() => view.snapshot().edges.some((e) => e.id === 'edge-e'), { what: 'edge-e to join' });
    const states: string[] = [];
    view.on('drain', (e) => e.id === 'edge-e' && states.push('draining'));
    view.on('leave', (e) => e.id === 'edge-e' && states.push('left'));
    const stopped = new Promise((resolve) => extra.once('stopped', resolve));
    const writer = new EdgeRegistryWriter({ redis: { url: redis.url } });
    const drainAskedAt = Date.now();
    await writer.requestDrain('edge-e');
    await writer.close();
    expect(await stopped).toBe('drained');
    // No viewer is connected, so the drain must not sit out its 5 s timeout (the agent's own probes don't count).
    expect(Date.now() - drainAskedAt).toBeLessThan(3_000);
    await waitUntil(() => !view.snapshot().edges.some((e) => e.id === 'edge-e'), { timeoutMs: 3_000, what: 'edge-e to leave' });
    expect(states[0]).toBe('draining');
  });
});

describe('edge with signed URLs', () => {
  it('serves valid signatures, refuses tampered (403) and expired (410) ones, and keeps one cache entry', async () => {
    const secret = 'test-secret-0123456789';
    const edge = await startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id: 'edge-signed', signingSecret: secret });
    try {
      const now = Math.floor(Date.now() / 1000);
      const signed = (expiresAt: number) => appendSignature(new URL(`${edge.url}/live/seg0.ts`), { expiresAt, secret }).toString();
      const first = await get(signed(now + 60));
      expect([first.status, first.cache]).toEqual([200, 'MISS']);
      const other = await get(signed(now + 120));
      expect([other.status, other.cache]).toEqual([200, 'HIT']);
      const tampered = new URL(signed(now + 60));
      tampered.searchParams.set('expires', String(now + 999));
      expect((await get(tampered.toString())).status).toBe(403);
      expect((await get(signed(now - 10))).status).toBe(410);
      expect((await get(`${edge.url}/live/seg0.ts`)).status).toBe(403);
    } finally {
      await edge.close();
    }
  });
});
