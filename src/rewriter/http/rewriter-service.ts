/**
 * Starts the rewriter: the registry view (its own, unless one is passed in),
 * with it the outside-in edge prober (which probes only while this rewriter
 * holds the prober lease), the Hono app behind the hot-answer fast path
 * (core/http/serve.ts fastPath), and a close() that stops them all, once.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { clusterMetricsSource, isServiceWorker } from '../../core/process/index.js';
import { LeaderLease } from '../../core/redis/index.js';
import { EdgeProber } from '../../edge-health/index.js';
import { EdgeRegistryView, EdgeRegistryWriter, registryKeys, type RegistryRedisOptions } from '../../edge-registry/index.js';
import type { AccessConfig } from '../access/index.js';
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
  /** The `access` section: viewer tokens and sessions (docs/access-tokens.md). */
  access?: AccessConfig;
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
  const metrics = createMetricsRegistry({ service: 'rewriter' });
  let ownView: EdgeRegistryView | undefined;
  let fleet: FleetSource;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  if ('view' in options.registry) fleet = options.registry.view;
  else {
    ownView = new EdgeRegistryView({
      redis: options.registry.redis,
      keyPrefix: options.registry.keyPrefix,
      ttlMs: options.registry.ttlMs,
      logger,
    });
    const view = ownView;
    stops.push(() => view.close());
    // Rejects (unavailable, unauthorized) and closes the view when Redis cannot be reached at start.
    await ownView.start();
    fleet = ownView;
    if (rewriter.probe.enabled)
      stops.push(
        ...(await startProber({ rewriter, redis: options.registry.redis, keyPrefix: options.registry.keyPrefix, view, logger, metrics })),
      );
  }
  try {
    const hotAnswers = new HotAnswers({ varyHeader: rewriter.zoneHeader, now: Date.now });
    const accessOn = options.access?.enabled === true;
    const app = createRewriterApp({
      config: rewriter,
      // With access control the session query is the edges' signature: per-URL md5 links would be refused.
      signing: accessOn ? { ttlSec: options.signing.ttlSec } : options.signing,
      ...(accessOn && { access: options.access }),
      fleet,
      logger,
      registry: metrics,
      hotAnswers,
      // A worker of `--workers n` answers /metrics with every worker's figures summed.
      ...(isServiceWorker() && { metricsText: clusterMetricsSource(metrics) }),
    });
    const server = await startHttpServer(app, {
      host: rewriter.host,
      port: rewriter.port,
      // Playlists are read and answered on the socket; everything else still reaches Hono.
      ...(rewriter.rawHttpFront
        ? { rawFastPath: (request, now) => hotAnswers.answerRaw(request, now) }
        : { fastPath: (req, res) => hotAnswers.tryServe(req, res) }),
    });
    logger.info(
      { url: server.url, origin: rewriter.originUrl, mode: rewriter.mode, signed: options.signing.secret !== undefined },
      'rewriter listening',
    );
    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          await stopAll();
        })()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface ProberParts {
  rewriter: RewriterConfig;
  redis: RegistryRedisOptions;
  keyPrefix: string | undefined;
  view: EdgeRegistryView;
  logger: Logger;
  metrics: Registry;
}

/** The prober, its lease and the writer it publishes verdicts with; returns how to stop them, in order. */
async function startProber(parts: ProberParts): Promise<Array<() => Promise<void>>> {
  const { probe } = parts.rewriter;
  const keys = registryKeys(parts.keyPrefix);
  const writer = new EdgeRegistryWriter({
    redis: { ...parts.redis, name: 'hlscdn-prober' },
    keyPrefix: parts.keyPrefix,
    logger: parts.logger,
  });
  // Short enough that a dead prober is replaced within a few seconds; its verdicts go stale in the views meanwhile.
  const lease = new LeaderLease({
    redis: { ...parts.redis, name: 'hlscdn-prober-lease' },
    key: keys.proberLease,
    ttlMs: 3_000,
    logger: parts.logger,
  });
  const stops: Array<() => Promise<void>> = [() => writer.close()];
  try {
    await lease.start();
  } catch (error) {
    await writer.close();
    throw error;
  }
  stops.push(() => lease.close());
  const prober = new EdgeProber({
    fleet: parts.view,
    sink: writer,
    leadership: lease,
    intervalMs: probe.intervalMs,
    timeoutMs: probe.timeoutMs,
    policy: { fall: probe.fall, rise: probe.rise },
    logger: parts.logger,
    metrics: parts.metrics,
  });
  prober.start();
  stops.push(() => prober.close());
  return stops;
}
