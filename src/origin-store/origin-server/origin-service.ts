/** Starts the origin HTTP server over a store: what `hlscdn origin` runs. */
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { startHttpServer, type RunningServer } from '../../core/http/serve.js';
import type { ObjectStore } from '../object-store.js';
import { createOriginApp } from './origin-app.js';

export interface OriginServiceOptions {
  store: ObjectStore;
  logger: Logger;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 = a free port. */
  port: number;
  corsOrigin?: string;
}

export async function startOriginServer(options: OriginServiceOptions): Promise<RunningServer> {
  const registry = createMetricsRegistry({ service: 'origin' });
  const app = createOriginApp({ store: options.store, logger: options.logger, registry, corsOrigin: options.corsOrigin });
  const server = await startHttpServer(app, { host: options.host ?? '127.0.0.1', port: options.port });
  options.logger.info({ url: server.url, store: options.store.description }, 'origin server listening');
  return server;
}
