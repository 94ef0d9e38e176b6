/**
 * Edge health as viewers see it, with real parts: redis-server, the origin, three
 * nginx edges with their agents, two outside-in probers contending for the lease
 * (as two rewriters would) and two registry views. A hung nginx (SIGSTOP: it
 * accepts connections and never answers) leaves both views within a second, and
 * the probe load per edge stays at one prober's rate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/core/http/serve.js';
import { silentLogger } from '../../src/core/logger.js';
import { startRedisServer, waitUntil, type RunningRedisServer } from '../../src/core/process/index.js';
import { LeaderLease } from '../../src/core/redis/index.js';
import { EdgeProber, probeHealthPath } from '../../src/edge-health/index.js';
import { EdgeRegistryView, EdgeRegistryWriter, registryKeys } from '../../src/edge-registry/index.js';
import type { EdgeService } from '../../src/edge/index.js';
import { FsObjectStore, startOriginServer } from '../../src/origin-store/index.js';
import { startTestEdge } from '../support/edge-fixture.js';

const INTERVAL_MS = 200;
let dir: string;
let redis: RunningRedisServer;
let origin: RunningServer;
let edges: EdgeService[];
const views: EdgeRegistryView[] = [];
const probers: EdgeProber[] = [];
const leases: LeaderLease[] = [];
const writers: EdgeRegistryWriter[] = [];
/** Probes sent to each edge, by any prober. */
const probesSent = new Map<string, number>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-edge-health-'));
  redis = await startRedisServer({ dir: join(dir, 'redis') });
  origin = await startOriginServer({ store: new FsObjectStore({ root: join(dir, 'store') }), logger: silentLogger(), port: 0 });
  edges = await Promise.all(
    ['h1', 'h2', 'h3'].map((id) => startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id, edge: { heartbeatMs: 500 } })),
  );
  for (const name of ['rw-a', 'rw-b']) {
    const view = new EdgeRegistryView({ redis: { url: redis.url, name }, resyncIntervalMs: 1_000 });
    await view.start();
    const writer = new EdgeRegistryWriter({ redis: { url: redis.url } });
    const lease = new LeaderLease({ redis: { url: redis.url }, key: registryKeys().proberLease, ttlMs: 3_000, holderId: name });
    await lease.start();
    const prober = new EdgeProber({
      fleet: view,
      sink: writer,
      leadership: lease,
      intervalMs: INTERVAL_MS,
      timeoutMs: 300,
      probe: (edge, timeoutMs) => {
        probesSent.set(edge.id, (probesSent.get(edge.id) ?? 0) + 1);
        return probeHealthPath(edge, timeoutMs);
      },
    });
    prober.start();
    views.push(view);
    writers.push(writer);
    leases.push(lease);
    probers.push(prober);
  }
  await waitUntil(() => views.every((v) => v.snapshot().edges.filter((e) => e.probe?.verdict === 'up').length === 3), {
    timeoutMs: 10_000,
    what: 'three probed edges in both views',
  });
});

afterAll(async () => {
  for (const prober of probers) await prober.close();
  for (const lease of leases) await lease.close();
  for (const w of writers) await w.close();
  for (const v of views) await v.close();
  await Promise.all((edges ?? []).map((e) => e.close()));
  await origin?.close();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const stateIn = (view: EdgeRegistryView, id: string) => view.snapshot().edges.find((e) => e.id === id)?.state;

describe('edge health from the viewers side', () => {
  it('takes a hung edge out of every view within a second, with the probe verdict and its reason, and brings it back', async () => {
    const victim = edges[1]!;
    const hungAt = Date.now();
    process.kill(-victim.nginxPid, 'SIGSTOP');
    try {
      await waitUntil(() => views.every((v) => stateIn(v, 'h2') === 'unhealthy'), {
        timeoutMs: 5_000,
        intervalMs: 10,
        what: 'h2 out of both views',
      });
      const tookMs = Date.now() - hungAt;
      expect(tookMs).toBeLessThan(1_000);
      // The agent's own canary can mark the edge unhealthy before the prober's verdict lands
      // (a loaded machine); the verdict must still say down within the same second.
      const seen = await waitUntil(
        () => {
          const edge = views[0]!.snapshot().edges.find((e) => e.id === 'h2');
          return edge?.probe?.verdict === 'down' ? edge : undefined;
        },
        { timeoutMs: Math.max(1, 1_000 - (Date.now() - hungAt)), intervalMs: 10, what: 'the probe verdict down for h2' },
      );
      expect(seen.probe?.verdict).toBe('down');
      expect(seen.problem).toMatch(/probes fail|canary/);
      for (const id of ['h1', 'h3']) expect(stateIn(views[1]!, id)).toBe('active');
    } finally {
      process.kill(-victim.nginxPid, 'SIGCONT');
    }
    await waitUntil(() => views.every((v) => stateIn(v, 'h2') === 'active'), { timeoutMs: 5_000, what: 'h2 back in both views' });
  });

  it('probes each edge at one prober rate however many probers run', async () => {
    const before = new Map(probesSent);
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // a measuring window, not synchronization
    const seconds = (Date.now() - startedAt) / 1000;
    for (const id of ['h1', 'h2', 'h3']) {
      const rate = ((probesSent.get(id) ?? 0) - (before.get(id) ?? 0)) / seconds;
      // One leader at 1000 / 200 ms = 5 probes/s; two probers probing would be 10.
      expect(rate).toBeGreaterThan(3);
      expect(rate).toBeLessThan(6.5);
    }
    expect(leases.filter((l) => l.isLeader)).toHaveLength(1);
  });
});
