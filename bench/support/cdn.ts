/**
 * The parts the delivery benchmarks share, all real: redis-server, the origin
 * server over a filesystem store that counts reads per key, nginx edges
 * (test/support/edge-fixture.ts) and the rewriter, in one temp directory. With
 * `observeChanges`, the origin also hears of the writes made in this process
 * (a transcode writing through `publishStore`), so its held LL-HLS requests wake
 * at once, as in the local stack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../src/core/http/serve.js';
import { silentLogger } from '../../src/core/logger.js';
import { startRedisServer, waitUntil, type RunningRedisServer } from '../../src/core/process/index.js';
import type { EdgeService } from '../../src/edge/index.js';
import { FsObjectStore, observeStore, startOriginServer, type ObjectStore } from '../../src/origin-store/index.js';
import {
  rewriterSchema,
  startRewriter,
  STEERING_PATH,
  type RewriterConfigInput,
  type RunningRewriter,
  type SteeringManifest,
} from '../../src/rewriter/index.js';
import { countingStore, type CountingStore } from '../../test/support/counting-store.js';
import { startTestEdge } from '../../test/support/edge-fixture.js';
import { Closers } from './closers.js';

export interface BenchCdnOptions {
  /**
   * Wrap the store with `observeStore` and give the origin its changes, so LL-HLS
   * blocking reloads and preload hints wake on this process's writes instead of
   * polling. Writers must then use `publishStore`. @defaultValue false
   */
  observeChanges?: boolean;
}

export interface BenchCdn {
  dir: string;
  redis: RunningRedisServer;
  /** The origin's store, counting reads per key. */
  store: CountingStore;
  /** Where writers in this process put objects: `store` itself, or its observed wrapper with `observeChanges`. */
  publishStore: ObjectStore;
  origin: RunningServer;
  /** Starts edges with these ids (in parallel); they are closed with the CDN (closing one twice is harmless). */
  startEdges(ids: string[]): Promise<EdgeService[]>;
  /** The rewriter over this registry and origin; closed with the CDN. */
  startRewriter(config?: RewriterConfigInput): Promise<RunningRewriter>;
  /** Waits until the rewriter's registry view lists exactly these edge ids. */
  waitForFleet(rewriter: RunningRewriter, ids: string[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchCdn(name: string, options: BenchCdnOptions = {}): Promise<BenchCdn> {
  const closers = new Closers();
  const dir = await mkdtemp(join(tmpdir(), `hlscdn-bench-${name}-`));
  closers.add(() => rm(dir, { recursive: true, force: true }));
  try {
    const redis = await startRedisServer({ dir: join(dir, 'redis') });
    closers.add(() => redis.stop());
    const store = countingStore(new FsObjectStore({ root: join(dir, 'store') }));
    // Reads through the observed wrapper still reach the counting store underneath.
    const observed = options.observeChanges ? observeStore(store) : undefined;
    const origin = await startOriginServer({
      store: observed?.store ?? store,
      ...(observed && { changes: observed.changes }),
      logger: silentLogger(),
      port: 0,
    });
    closers.add(() => origin.close());
    const edgeClosers = new Closers();
    closers.add(() => edgeClosers.closeAll());
    const rewriterClosers = new Closers();
    closers.add(() => rewriterClosers.closeAll());
    return {
      dir,
      redis,
      store,
      publishStore: observed?.store ?? store,
      origin,
      startEdges: async (ids) => {
        const edges = await Promise.all(ids.map((id) => startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id })));
        // In parallel: each drain may wait for idle keep-alive connections to go.
        edgeClosers.add(() => Promise.all(edges.map((edge) => edge.close())));
        return edges;
      },
      startRewriter: async (config = {}) => {
        const rewriter = await startRewriter({
          rewriter: rewriterSchema.parse({ port: 0, originUrl: origin.url, ...config }),
          signing: { ttlSec: 3_600 },
          registry: { redis: { url: redis.url } },
          logger: silentLogger(),
        });
        rewriterClosers.add(() => rewriter.close());
        return rewriter;
      },
      waitForFleet: async (rewriter, ids, timeoutMs = 15_000) => {
        const want = [...ids].sort().join(',');
        await waitUntil(
          async () => {
            const manifest = (await (await fetch(`${rewriter.url}${STEERING_PATH}`)).json()) as SteeringManifest;
            return (
              manifest['PATHWAY-CLONES']
                .map((clone) => clone.ID)
                .sort()
                .join(',') === want
            );
          },
          { timeoutMs, intervalMs: 50, what: `the rewriter to see edges ${want}` },
        );
      },
      close: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
