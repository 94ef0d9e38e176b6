/**
 * The whole CDN on one machine, on embedded defaults: what `npm start` runs.
 * Today: a private redis-server (unless REDIS_URL is set), the filesystem
 * origin store, the origin server and two nginx edges registered in Redis.
 * The rewriter, a live transcode and the autoscaler join here as their
 * components land.
 */
import { access, constants, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HlscdnConfig } from '../core/config/index.js';
import { HlscdnError } from '../core/errors.js';
import type { RunningServer } from '../core/http/serve.js';
import type { Logger } from '../core/logger.js';
import { findFreePort, startRedisServer, type RunningRedisServer } from '../core/process/index.js';
import { openStoreFromConfig, startOriginServer, type ObjectStore } from '../origin-store/index.js';
import { EdgeService } from '../edge/index.js';

export interface LocalStackOptions {
  config: HlscdnConfig;
  logger: Logger;
  /** Where the store (unless configured otherwise), the private Redis and the edges' caches live. @defaultValue ./data */
  dataDir: string;
  /** Edges started, on consecutive ports from `config.edge.port`. @defaultValue 2 */
  edges?: number;
}

export interface LocalStack {
  redisUrl: string;
  originUrl: string;
  edgeUrls: string[];
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config, logger } = options;
  const dataDir = resolve(options.dataDir);
  await ensureWritableDir(dataDir);
  const parts: Array<{ close(): Promise<void> }> = [];
  const close = async () => {
    for (const part of parts.reverse()) await part.close().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping'));
  };
  try {
    let redis: RunningRedisServer | undefined;
    if (!config.redis.url) {
      redis = await startRedisServer({ dir: join(dataDir, 'redis'), logger });
      parts.push({ close: () => redis!.stop() });
    }
    const store: ObjectStore = await openStoreFromConfig(config.store, process.cwd());
    parts.push(store);
    const origin: RunningServer = await startOriginServer({ store, logger, host: config.origin.host, port: config.origin.port, corsOrigin: config.origin.corsOrigin });
    parts.push(origin);
    const redisUrl = config.redis.url ?? redis!.url;
    const edges: EdgeService[] = [];
    for (let i = 0; i < (options.edges ?? 2); i++) {
      // Port 0 means "any free port" for every edge (tests); otherwise consecutive ports.
      const port = config.edge.port === 0 ? await findFreePort() : config.edge.port + i;
      const edge = await EdgeService.start({
        edge: { ...config.edge, id: `local-${i + 1}`, port, origins: [origin.url], dataDir: join(dataDir, 'edges', `local-${i + 1}`), publicUrl: undefined },
        redis: { ...config.redis, url: redisUrl },
        signing: config.signing,
        logger: logger.child({ edge: `local-${i + 1}` }),
        cwd: dataDir,
      });
      parts.push(edge);
      edges.push(edge);
    }
    let closing: Promise<void> | undefined;
    return { redisUrl, originUrl: origin.url, edgeUrls: edges.map((e) => e.url), close: () => (closing ??= close()) };
  } catch (error) {
    await close();
    throw error;
  }
}

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new HlscdnError('unavailable', `the data directory ${dir} is not writable: pass --data-dir <dir> with a directory you can write`, { cause: error });
  }
}
