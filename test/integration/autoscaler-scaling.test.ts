/**
 * Scaling with real parts: redis-server, the origin, `hlscdn edge` children of the
 * local actuator, the autoscaler service. Edges declare a tiny capacity (4
 * connections) so a handful of held-open viewer connections crosses the target.
 * Load up -> a second edge joins and serves; load gone -> after the (shortened)
 * stabilization window one edge is drained, then removed, while a client that
 * fetches through the rewriter (redirect mode: each segment request is sent to
 * an edge chosen at that moment) keeps fetching without a single failure.
 */
import { Agent, get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoscalerSchema, startAutoscalerService, type AutoscalerService } from '../../src/autoscaler/index.js';
import { SEGMENT_COUNT, startCdnFixture, type CdnFixture } from '../support/cdn-fixture.js';
import { configSchema } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { waitUntil } from '../../src/core/process/index.js';
import { rewriterSchema, startRewriter, type RunningRewriter } from '../../src/rewriter/index.js';

const STABILIZATION_MS = 3_000;

let cdn: CdnFixture;
let service: AutoscalerService;
let rewriter: RunningRewriter;

beforeAll(async () => {
  cdn = await startCdnFixture('autoscaler-scaling');
  const defaults = configSchema.parse({});
  service = await startAutoscalerService({
    autoscaler: autoscalerSchema.parse({
      intervalMs: 250,
      port: 0,
      drainTimeoutSec: 10,
      policy: {
        metric: 'connections',
        target: 0.5,
        minEdges: 1,
        maxEdges: 2,
        // Two: the first goes on reaching minEdges at start.
        scaleUp: { abs: 2, pct: 0, periodMs: 60_000 },
        scaleDownStabilizationMs: STABILIZATION_MS,
        scaleDown: { abs: 1, periodMs: 60_000 },
      },
      local: { origins: [cdn.originUrl], dataDir: join(cdn.dir, 'edges') },
    }),
    redis: { ...defaults.redis, url: cdn.redis.url },
    edgeTtlMs: defaults.edge.ttlMs,
    logger: silentLogger(),
    cwd: cdn.dir,
    env: cdn.edgeEnv({ HLSCDN_EDGE_CAPACITY_CONNECTIONS: '4', HLSCDN_EDGE_HEARTBEAT_MS: '500' }),
  });
  rewriter = await startRewriter({
    rewriter: rewriterSchema.parse({ port: 0, originUrl: cdn.originUrl, mode: 'redirect' }),
    signing: { ttlSec: 3600 },
    registry: { redis: { url: cdn.redis.url }, ttlMs: defaults.edge.ttlMs },
    logger: silentLogger(),
  });
});
afterAll(async () => {
  await rewriter?.close();
  await service?.close();
  await cdn?.close();
});

const activeEdges = () => cdn.view.snapshot().edges.filter((e) => e.state === 'active');

/** One GET on its own connection (`agent`), body read to the end. */
function fetchSegment(url: string, agent: Agent | false): Promise<{ status: number; bytes: Buffer; edge: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { agent, timeout: 10_000 }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), edge: res.headers['x-edge-id'] as string | undefined }),
      );
      res.on('error', reject);
    })
      .on('timeout', function onTimeout(this: { destroy(error: Error): void }) {
        this.destroy(new Error('request timed out'));
      })
      .on('error', reject);
  });
}

describe('autoscaler scaling with real edges', () => {
  it(
    'adds an edge under load, and drains then removes one when the load is gone, without failing a request',
    { timeout: 100_000 },
    async () => {
      const first = await waitUntil(() => activeEdges()[0], { timeoutMs: 30_000, what: 'the first edge (minEdges 1)' });
      expect(first.id).toBe('local-1');

      // Load: six viewers each holding a keep-alive connection to the one edge (capacity 4 -> utilization 1.5).
      const viewers = new Agent({ keepAlive: true, maxSockets: 6 });
      const loadStarted = performance.now();
      const loaded = await Promise.all(
        Array.from({ length: 6 }, (_, i) => fetchSegment(`${first.url}${cdn.segmentPath(i % SEGMENT_COUNT)}`, viewers)),
      );
      expect(loaded.every((r) => r.status === 200)).toBe(true);
      const second = await waitUntil(() => activeEdges().find((e) => e.id !== first.id), {
        timeoutMs: 30_000,
        what: 'a second edge to join',
      });
      const joinMs = performance.now() - loadStarted;
      const served = await fetchSegment(`${second.url}${cdn.segmentPath(3)}`, false);
      expect([served.status, served.edge, served.bytes.equals(cdn.segmentBytes(3))]).toEqual([200, second.id, true]);
      // Heartbeat 0.5 s + tick 0.25 s + an edge start (about 2-3 s here); generous for a loaded 2-core machine.
      expect(joinMs).toBeLessThan(20_000);
      expect(service.autoscaler.status().decisions.some((d) => d.action === 'scale-up' && d.outcome === 'adding 1')).toBe(true);

      // The client: sequential segment fetches through the rewriter, which redirects each to an edge chosen then.
      const events: string[] = [];
      cdn.view.on('drain', (edge) => events.push(`drain ${edge.id}`));
      cdn.view.on('leave', (edge) => events.push(`leave ${edge.id}`));
      cdn.view.on('stale', (edge) => events.push(`stale ${edge.id}`));
      const failures: string[] = [];
      const servedBy = new Map<string, number>();
      let stop = false;
      const client = (async () => {
        for (let n = 0; !stop; n++) {
          const i = n % SEGMENT_COUNT;
          try {
            const res = await fetch(`${rewriter.url}${cdn.segmentPath(i)}`, { signal: AbortSignal.timeout(10_000) });
            const bytes = Buffer.from(await res.arrayBuffer());
            const edge = res.headers.get('x-edge-id') ?? 'no edge';
            if (res.status !== 200 || !bytes.equals(cdn.segmentBytes(i)))
              failures.push(`${edge}: status ${res.status}, ${bytes.length} bytes`);
            else servedBy.set(edge, (servedBy.get(edge) ?? 0) + 1);
          } catch (error) {
            failures.push(`request ${n}: ${(error as Error).message}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();

      // Load gone: the viewers hang up.
      viewers.destroy();
      const loadStopped = performance.now();
      const removed = await waitUntil(
        async () => {
          const listed = (await service.actuator.list()).map((e) => e.id);
          return listed.length === 1 && activeEdges().length === 1 && cdn.view.snapshot().edges.length === 1 ? listed : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 100, what: 'the fleet to shrink back to one edge' },
      );
      const shrinkMs = performance.now() - loadStopped;
      // Let the client run a little longer on the remaining edge, then stop it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      stop = true;
      await client;

      const victim = [first.id, second.id].find((id) => id !== removed[0])!;
      expect(events.filter((e) => e.endsWith(` ${victim}`))).toEqual([`drain ${victim}`, `leave ${victim}`]);
      // Not before the stabilization window; then heartbeat, a 1 s edge drain, and slack.
      expect(shrinkMs).toBeGreaterThanOrEqual(STABILIZATION_MS);
      expect(shrinkMs).toBeLessThan(STABILIZATION_MS + 15_000);
      expect(failures).toEqual([]);
      expect(servedBy.get(removed[0]!) ?? 0).toBeGreaterThan(10);
      expect(servedBy.get(victim) ?? 0).toBeGreaterThan(0);

      const status = service.autoscaler.status();
      expect(status.actions.find((a) => a.kind === 'remove')).toMatchObject({ ids: [victim], outcome: 'succeeded' });
      expect(status.decisions.find((d) => d.action === 'scale-down')?.outcome).toBe(`removing ${victim}`);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toMatch(/hlscdn_autoscaler_decisions_total\{action="scale-down",service="autoscaler"\} 1/);
      expect(metrics).toMatch(/hlscdn_autoscaler_leader\{service="autoscaler"\} 1/);
    },
  );
});
