/**
 * Test fixture of the autoscaler's integration tests: a real redis-server, the
 * origin server over a filesystem store holding a few segments, and a registry
 * view and writer on that Redis. Edges themselves come from the actuator under test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../src/core/http/serve.js';
import { silentLogger } from '../../src/core/logger.js';
import { startRedisServer, type RunningRedisServer } from '../../src/core/process/index.js';
import { EdgeRegistryView, EdgeRegistryWriter } from '../../src/edge-registry/index.js';
import { FsObjectStore, startOriginServer } from '../../src/origin-store/index.js';

export interface CdnFixture {
  dir: string;
  redis: RunningRedisServer;
  originUrl: string;
  view: EdgeRegistryView;
  writer: EdgeRegistryWriter;
  /** `/live/seg<i>.ts`, each 64 kB of the byte i. */
  segmentPath(i: number): string;
  segmentBytes(i: number): Buffer;
  /**
   * Environment for `hlscdn edge` children: this process's PATH and friends,
   * the registry, short drains and `extra` (e.g. HLSCDN_EDGE_CAPACITY_CONNECTIONS).
   */
  edgeEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const SEGMENT_COUNT = 8;
const SEGMENT_BYTES = 64 * 1024;

export async function startCdnFixture(name: string): Promise<CdnFixture> {
  const dir = await mkdtemp(join(tmpdir(), `hlscdn-${name}-`));
  const redis = await startRedisServer({ dir: join(dir, 'redis') });
  const store = new FsObjectStore({ root: join(dir, 'store') });
  const segmentBytes = (i: number) => Buffer.alloc(SEGMENT_BYTES, i);
  for (let i = 0; i < SEGMENT_COUNT; i++) await store.put(`live/seg${i}.ts`, segmentBytes(i));
  const origin: RunningServer = await startOriginServer({ store, logger: silentLogger(), port: 0 });
  const view = new EdgeRegistryView({ redis: { url: redis.url }, resyncIntervalMs: 500 });
  await view.start();
  const writer = new EdgeRegistryWriter({ redis: { url: redis.url } });
  let closing: Promise<void> | undefined;
  return {
    dir,
    redis,
    originUrl: origin.url,
    view,
    writer,
    segmentPath: (i) => `/live/seg${i}.ts`,
    segmentBytes,
    edgeEnv: (extra = {}) => {
      // Nothing of the test runner's own hlscdn settings may leak into the edges.
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('HLSCDN_') && key !== 'REDIS_URL'),
      );
      return { ...inherited, REDIS_URL: redis.url, HLSCDN_EDGE_DRAIN_TIMEOUT_SEC: '1', HLSCDN_LOG_LEVEL: 'warn', ...extra };
    },
    close: () =>
      (closing ??= (async () => {
        await view.close();
        await writer.close();
        await origin.close();
        await store.close();
        await redis.stop();
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
