/**
 * The BullMQ side of the task system: the queue a task is put on, and the connection
 * options BullMQ needs. BullMQ holds only "run task <id>"; the record (spec, state,
 * progress) lives in the task store, so a job carries nothing that can go stale.
 */
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { redisOptionsFor, type RedisConnectionOptions } from '../../core/redis/index.js';
import { errorMessage } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TaskKeys } from './task-keys.js';

/** Where the task system's Redis is (with Sentinel and TLS settings, as every hlscdn service takes them). */
export type TaskRedisOptions = Omit<RedisConnectionOptions, 'name' | 'logger' | 'lazyConnect'> & {
  /** Key prefix of every hlscdn key. @defaultValue 'hlscdn' */
  readonly keyPrefix?: string;
};

export interface TaskJobData {
  readonly taskId: string;
}

/** BullMQ refuses custom job ids that are integers, and "123" is a valid task id. */
export function jobIdFor(taskId: string): string {
  return `task-${taskId}`;
}

/**
 * Options from which BullMQ opens its own ioredis connections: blocking reads need
 * `maxRetriesPerRequest: null` (BullMQ sets it) and the offline queue, unlike the
 * fail-fast connections of core/redis.
 */
export function bullConnection(redis: TaskRedisOptions, name: string): ConnectionOptions {
  // Credentials, TLS and Sentinel as for every other connection; BullMQ keeps its own
  // retry and queueing behaviour (it needs the offline queue while reconnecting).
  const {
    username,
    password,
    tls,
    sentinels,
    name: sentinelMaster,
    sentinelUsername,
    sentinelPassword,
    enableTLSForSentinelMode,
    sentinelTLS,
  } = redisOptionsFor({ ...redis, name });
  const shared = {
    username,
    password,
    tls,
    sentinels,
    name: sentinelMaster,
    sentinelUsername,
    sentinelPassword,
    enableTLSForSentinelMode,
    sentinelTLS,
  };
  return {
    url: redis.url,
    ...Object.fromEntries(Object.entries(shared).filter(([, value]) => value !== undefined)),
    connectionName: name,
    enableOfflineQueue: true,
  };
}

/** BullMQ's Worker and Queue: both close their connections with QUIT, or cut them. */
export interface BullClient {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Closes a BullMQ client within `timeoutMs`. BullMQ's connections queue commands
 * while Redis is away (they must, for blocking reads), so a QUIT sent to a Redis
 * that is gone waits for it forever; past the deadline the connections are cut,
 * which fails whatever was still queued. `close` is the graceful call (a worker
 * passes `() => worker.close(true)` when it knows Redis is unreachable).
 * Resolves 'closed' or 'cut'; never throws.
 */
export async function closeBullClient(client: BullClient, timeoutMs: number, close = () => client.close()): Promise<'closed' | 'cut'> {
  const closing = Promise.resolve()
    .then(close)
    .catch(() => undefined);
  if (await settlesWithin(closing, timeoutMs)) return 'closed';
  await settlesWithin(
    client.disconnect().catch(() => undefined),
    1_000,
  );
  await settlesWithin(closing, 1_000);
  return 'cut';
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface TaskQueueOptions {
  readonly redis: TaskRedisOptions;
  readonly keys: TaskKeys;
  /** @defaultValue 'transcode' */
  readonly queueName?: string;
  /** Longest wait for a graceful close before the connection is cut (Redis gone). @defaultValue 2_000 */
  readonly closeTimeoutMs?: number;
  /** Where connection trouble is reported (once per outage, not per reconnect attempt). @defaultValue silent */
  readonly logger?: Logger;
}

/** One warning per this long while Redis stays away. */
const OUTAGE_REPORT_INTERVAL_MS = 30_000;

export class TaskQueue {
  private readonly queue: Queue<TaskJobData>;
  private closing: Promise<void> | undefined;
  private readonly closeTimeoutMs: number;

  constructor(options: TaskQueueOptions) {
    this.closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
    this.queue = new Queue<TaskJobData>(options.queueName ?? 'transcode', {
      connection: bullConnection(options.redis, 'hlscdn-transcoder-queue'),
      prefix: options.keys.bullPrefix,
    });
    // Without a listener BullMQ prints every failed reconnect as a raw stack on stderr while Redis is away.
    const logger = options.logger ?? silentLogger();
    let reportedAt = Number.NEGATIVE_INFINITY;
    this.queue.on('error', (error) => {
      const now = Date.now();
      if (now - reportedAt < OUTAGE_REPORT_INTERVAL_MS) return;
      reportedAt = now;
      logger.warn({ err: errorMessage(error) }, 'task queue cannot reach Redis; enqueueing fails until it is back');
    });
  }

  /** Puts a task on the queue for the next free worker. */
  async enqueue(taskId: string): Promise<void> {
    // Finished jobs are removed so a task id can be used again after DELETE.
    await this.queue.add('transcode', { taskId }, { jobId: jobIdFor(taskId), attempts: 1, removeOnComplete: true, removeOnFail: true });
  }

  /** Takes a waiting task off the queue; a job a worker holds stays (its worker stops it). */
  async remove(taskId: string): Promise<void> {
    const job = await this.queue.getJob(jobIdFor(taskId));
    await job?.remove().catch(() => undefined);
  }

  async ping(): Promise<void> {
    await this.queue.getJobCounts('wait');
  }

  /** Closes the queue's connection; bounded even when Redis is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= closeBullClient(this.queue, this.closeTimeoutMs).then(() => undefined);
    return this.closing;
  }
}
