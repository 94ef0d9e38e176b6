/** Starts the origin HTTP server over a store: what `hlscdn origin` runs. */
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { startHttpServer, type RunningServer } from '../../core/http/serve.js';
import type { ObjectStore } from '../object-store.js';
import type { StoreChanges } from '../store-changes.js';
import type { LowLatencyOptions } from './low-latency-handler.js';
import { createOriginApp } from './origin-app.js';

export interface OriginServiceOptions {
  store: ObjectStore;
  logger: Logger;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 = a free port. */
  port: number;
  corsOrigin?: string;
  /** Changes of `store` made in this process (`observeStore`), so LL-HLS waits wake without polling. */
  changes?: StoreChanges;
  /** `origin.lowLatency` of the configuration. */
  lowLatency?: LowLatencyOptions;
}

export async function startOriginServer(options: OriginServiceOptions): Promise<RunningServer> {
  const registry = createMetricsRegistry({ service: 'origin' });
  const shutdown = new AbortController();
  const app = createOriginApp({
    store: options.store,
    logger: options.logger,
    registry,
    corsOrigin: options.corsOrigin,
    changes: options.changes,
    lowLatency: options.lowLatency,
    shutdown: shutdown.signal,
  });
  const server = await startHttpServer(app, { host: options.host ?? '127.0.0.1', port: options.port });
  options.logger.info({ url: server.url, store: options.store.description }, 'origin server listening');
  return {
    url: server.url,
    port: server.port,
    close: () => {
      // Held LL-HLS requests are answered (503) first, so close() does not wait up to three target durations.
      shutdown.abort();
      return server.close();
    },
  };
}
