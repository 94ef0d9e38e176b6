/**
 * Runs the control API: a Redis connection for the task store, the BullMQ queue, the
 * Hono app on a port. close() is idempotent and closes everything it opened.
 */
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { startHttpServer } from '../../core/http/serve.js';
import type { RunningServer } from '../../core/http/serve.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { createMetricsRegistry } from '../../core/metrics.js';
import { closeRedis, createRedisConnection, waitForReady } from '../../core/redis/index.js';
import type { TranscoderConfig } from '../config.js';
import { TaskControl } from '../tasks/task-control.js';
import { taskKeys } from '../tasks/task-keys.js';
import { TaskQueue } from '../tasks/task-queue.js';
import type { TaskRedisOptions } from '../tasks/task-queue.js';
import { TaskStore } from '../tasks/task-store.js';
import { createControlApp } from './control-app.js';

export interface ControlServiceOptions {
  readonly redis: TaskRedisOptions;
  /** `api.token`. */
  readonly token: string | undefined;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Queue name and SRS hook settings. */
  readonly transcoder: Pick<TranscoderConfig, 'hooks'> & { readonly worker: Pick<TranscoderConfig['worker'], 'queueName'> };
  readonly logger?: Logger;
  /** Served at /metrics; pass the worker's to show its metrics too. @defaultValue a new registry */
  readonly registry?: Registry;
}

export interface RunningControlService extends RunningServer {
  readonly control: TaskControl;
}

export async function startControlService(options: ControlServiceOptions): Promise<RunningControlService> {
  const logger = (options.logger ?? silentLogger()).child({ component: 'transcoder-api' });
  const keys = taskKeys(options.redis.keyPrefix);
  const redis: Redis = createRedisConnection({
    ...withoutKeyPrefix(options.redis),
    name: 'hlscdn-transcoder-api',
    lazyConnect: true,
    logger,
  });
  let queue: TaskQueue | undefined;
  try {
    await waitForReady(redis, { what: 'the transcoder control API' });
    queue = new TaskQueue({ redis: options.redis, keys, queueName: options.transcoder.worker.queueName, logger });
    const control = new TaskControl({ tasks: new TaskStore({ redis, keys }), queue });
    const registry = options.registry ?? createMetricsRegistry({ service: 'transcoder-api' });
    const srs = options.transcoder.hooks.srs;
    const app = createControlApp({
      control,
      token: options.token,
      registry,
      logger,
      checks: [{ name: 'redis', check: async () => void (await redis.ping()) }],
      srsHooks: { ...srs, control, logger },
    });
    const server = await startHttpServer(app, { host: options.host, port: options.port });
    const openQueue = queue;
    let closing: Promise<void> | undefined;
    return {
      ...server,
      control,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          await openQueue.close();
          await closeRedis(redis);
        })()),
    };
  } catch (error) {
    await queue?.close();
    await closeRedis(redis);
    throw error;
  }
}

function withoutKeyPrefix(redis: TaskRedisOptions): Omit<TaskRedisOptions, 'keyPrefix'> {
  const { keyPrefix: _keyPrefix, ...connection } = redis;
  return connection;
}
