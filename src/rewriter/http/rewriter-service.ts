/**
 * Starts the rewriter: the registry view (its own, unless one is passed in),
 * the Hono app behind the hot-answer fast path (core/http/serve.ts fastPath), and a
 * close() that stops both, once.
 */
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { EdgeRegistryView, type RegistryRedisOptions } from '../../edge-registry/index.js';
import type { RewriterConfig, RewriterSigning } from '../config.js';
import type { FleetSource } from '../targeting/index.js';
import { HotAnswers } from './hot-answers.js';
import { createRewriterApp } from './rewriter-app.js';
import { startHttpServer } from '../../core/http/serve.js';

/** Where live edges come from: a registry view the rewriter opens (and closes), or one the caller owns. */
export type RewriterFleetOptions =
  | {
      redis: RegistryRedisOptions;
      /** @defaultValue 'hlscdn' */
      keyPrefix?: string;
      /** Same as the edges' ttlMs. @defaultValue 3_000 */
      ttlMs?: number;
    }
  | { view: FleetSource };

export interface StartRewriterOptions {
  /** The parsed `rewriter` configuration section (host, port, origin, mode...). */
  rewriter: RewriterConfig;
  /** The shared `signing` section. */
  signing: RewriterSigning;
  registry: RewriterFleetOptions;
  logger: Logger;
}

export interface RunningRewriter {
  /** `http://host:port` as bound. */
  url: string;
  port: number;
  /** Stops the server, then the registry view it opened. Idempotent. */
  close(): Promise<void>;
}

export async function startRewriter(options: StartRewriterOptions): Promise<RunningRewriter> {
  const { rewriter, logger } = options;
  let ownView: EdgeRegistryView | undefined;
  let fleet: FleetSource;
  if ('view' in options.registry) fleet = options.registry.view;
  else {
    ownView = new EdgeRegistryView({ redis: options.registry.redis, keyPrefix: options.registry.keyPrefix, ttlMs: options.registry.ttlMs, logger });
    // Rejects (unavailable, unauthorized) and closes the view when Redis cannot be reached at start.
    await ownView.start();
    fleet = ownView;
  }
  const view = ownView;
  try {
    const hotAnswers = new HotAnswers({ varyHeader: rewriter.zoneHeader, now: Date.now });
    const app = createRewriterApp({ config: rewriter, signing: options.signing, fleet, logger, registry: createMetricsRegistry({ service: 'rewriter' }), hotAnswers });
    const server = await startHttpServer(app, { host: rewriter.host, port: rewriter.port, fastPath: (req, res) => hotAnswers.tryServe(req, res) });
    logger.info({ url: server.url, origin: rewriter.originUrl, mode: rewriter.mode, signed: options.signing.secret !== undefined }, 'rewriter listening');
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          await view?.close();
        })()),
    };
  } catch (error) {
    await view?.close();
    throw error;
  }
}
