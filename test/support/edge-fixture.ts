/** Starts real edges (nginx + agent) for integration tests, on free ports in a temp dir. */
import { join } from 'node:path';
import { configSchema, type HlscdnConfig } from '../../src/config/index.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { findFreePort } from '../../src/core/process/index.js';
import { EdgeService } from '../../src/edge/index.js';

export interface EdgeFixtureOptions {
  dir: string;
  redisUrl: string;
  originUrl: string;
  id: string;
  signingSecret?: string;
  logger?: Logger;
  edge?: Partial<HlscdnConfig['edge']>;
}

export async function startTestEdge(options: EdgeFixtureOptions): Promise<EdgeService> {
  const defaults = configSchema.parse({});
  const port = await findFreePort();
  return EdgeService.start({
    edge: {
      ...defaults.edge,
      id: options.id,
      port,
      origins: [options.originUrl],
      dataDir: join(options.dir, options.id),
      drainTimeoutSec: 5,
      ...options.edge,
    },
    redis: { ...defaults.redis, url: options.redisUrl },
    signing: { ...defaults.signing, ...(options.signingSecret && { secret: options.signingSecret }) },
    logger: options.logger ?? silentLogger(),
    cwd: options.dir,
  });
}
