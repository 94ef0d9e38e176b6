/**
 * What `hlscdn autoscaler` runs: the registry view and writer, the leader lease,
 * the actuator, the loop and the status server, started in that order and closed
 * in reverse. Everything comes in through the options (the parsed `autoscaler`
 * section, the Redis settings, the environment for child processes); nothing
 * here reads process.env.
 */
import type { RedisConfig } from '../../core/redis/index.js';
import { LeaderLease, redisOptionsFromConfig } from '../../core/redis/index.js';
import { startHttpServer, type RunningServer } from '../../core/http/serve.js';
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import type { SelfCommand } from '../../core/process/index.js';
import { EdgeRegistryView, EdgeRegistryWriter } from '../../edge-registry/index.js';
import type { EdgeActuator } from '../actuators/edge-actuator.js';
import { toPolicyConfig, type AutoscalerConfig } from '../config.js';
import { autoscalerKeys } from '../keys.js';
import { Autoscaler } from '../loop/autoscaler.js';
import { createAutoscalerMetrics } from '../status/autoscaler-metrics.js';
import { createStatusApp } from '../status/status-app.js';
import { actuatorFromConfig } from './actuator-from-config.js';

export interface AutoscalerServiceOptions {
  /** The parsed `autoscaler` configuration section. */
  autoscaler: AutoscalerConfig;
  redis: RedisConfig & { url: string };
  /** The edges' registry ttl (`edge.ttlMs`): the view drops an edge whose heartbeat is this old. */
  edgeTtlMs: number;
  logger: Logger;
  /** Base of relative directories (local data dir, terraform working dir). */
  cwd: string;
  /** Environment of the processes the actuator starts (local edges, terraform): PATH, cloud credentials... */
  env: NodeJS.ProcessEnv;
  /** Use this actuator instead of the configured one; the service closes it. */
  actuator?: EdgeActuator;
  /** How to run `hlscdn edge`. @defaultValue hlscdnCommand() */
  command?: SelfCommand;
  /** Lease holder id. @defaultValue `<hostname>:<pid>:<random>` */
  holderId?: string;
}

export interface AutoscalerService {
  /** Base URL of the status server. */
  url: string;
  autoscaler: Autoscaler;
  lease: LeaderLease;
  actuator: EdgeActuator;
  close(): Promise<void>;
}

export async function startAutoscalerService(options: AutoscalerServiceOptions): Promise<AutoscalerService> {
  const { autoscaler: config, logger } = options;
  const redis = redisOptionsFromConfig(options.redis);
  const parts: Array<{ close(): Promise<void> }> = [];
  const closeAll = async () => {
    for (const part of parts.splice(0).reverse()) {
      await part.close().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping the autoscaler'));
    }
  };
  try {
    const view = new EdgeRegistryView({
      redis: { ...redis, name: 'hlscdn-autoscaler-view' },
      keyPrefix: options.redis.keyPrefix,
      ttlMs: options.edgeTtlMs,
      logger,
    });
    parts.push(view);
    await view.start();
    const writer = new EdgeRegistryWriter({
      redis: { ...redis, name: 'hlscdn-autoscaler-writer' },
      keyPrefix: options.redis.keyPrefix,
      ttlMs: options.edgeTtlMs,
      logger,
    });
    parts.push(writer);
    const actuator =
      options.actuator ??
      actuatorFromConfig({
        config,
        redis: options.redis,
        edgeTtlMs: options.edgeTtlMs,
        env: options.env,
        cwd: options.cwd,
        command: options.command,
        logger,
      });
    // The actuator outlives the lease on the way down: local edges drain after the lease is handed over.
    parts.push(actuator);
    const lease = new LeaderLease({
      redis: { ...redis, name: 'hlscdn-autoscaler-lease' },
      key: autoscalerKeys(options.redis.keyPrefix).leader,
      ttlMs: config.lease.ttlMs,
      holderId: options.holderId,
      logger,
    });
    parts.push(lease);
    await lease.start();
    const registry = createMetricsRegistry({ service: 'autoscaler' });
    const metrics = createAutoscalerMetrics(registry);
    const autoscaler = new Autoscaler({
      policy: toPolicyConfig(config.policy),
      fleet: view,
      drains: writer,
      actuator,
      lease,
      intervalMs: config.intervalMs,
      drainTimeoutMs: config.drainTimeoutSec * 1000,
      bootTimeoutMs: config.bootTimeoutSec * 1000,
      historySize: config.historySize,
      metrics,
      logger,
    });
    parts.push(autoscaler);
    lease.on('leader', () => metrics.setLeader(true));
    lease.on('follower', () => metrics.setLeader(false));
    metrics.setLeader(lease.isLeader);
    const app = createStatusApp({
      autoscaler,
      registry,
      logger,
      checks: [
        {
          name: 'registry',
          check: async () => {
            if (!view.snapshot().connected) throw new Error('the registry view is not connected to Redis');
          },
        },
      ],
    });
    const server: RunningServer = await startHttpServer(app, { host: config.host, port: config.port });
    parts.push(server);
    autoscaler.start();
    logger.info({ url: server.url, actuator: config.actuator, holder: lease.holderId, leader: lease.isLeader }, 'autoscaler running');
    let closing: Promise<void> | undefined;
    return { url: server.url, autoscaler, lease, actuator, close: () => (closing ??= closeAll()) };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
