/**
 * A worker: takes tasks from the BullMQ queue (up to `concurrency` at once), runs each
 * as a TranscodeSession, and keeps its record up to date (state, restarts, last
 * error, throttled progress). Stop requests arrive by pub/sub (and a poll as backup)
 * and stop ffmpeg wherever it runs.
 *
 * Failover: BullMQ keeps a lock on every active job, renewed every lockDuration/2
 * while the worker lives. A worker that dies stops renewing; at most lockDurationMs
 * later the lock is gone and within stalledIntervalMs another worker's stalled-job
 * check moves the job back to the queue, where the next free worker takes it. That
 * worker finds the task already started and resumes it: the uploader continues the
 * published live stream behind a discontinuity. A worker that shuts down cleanly hands
 * its live tasks back to the queue at once instead.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Registry } from 'prom-client';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { closeRedis, createRedisConnection, waitForReady } from '../../core/redis/index.js';
import type { ObjectStore } from '../../origin-store/index.js';
import type { Launchers } from '../ffmpeg-process/launcher.js';
import { TranscodeSession } from '../session/transcode-session.js';
import type { SessionSettings } from '../session/transcode-session.js';
import type { TaskProgress } from '../session/progress-view.js';
import type { SupervisorState } from '../supervisor/ffmpeg-supervisor.js';
import { createUploadMetrics } from '../uploader/upload-metrics.js';
import type { UploadMetrics } from '../uploader/upload-metrics.js';
import { taskKeys } from './task-keys.js';
import type { TaskKeys } from './task-keys.js';
import { bullConnection, closeBullClient } from './task-queue.js';
import type { TaskJobData, TaskRedisOptions } from './task-queue.js';
import { isFinalState } from './task-record.js';
import type { TaskState } from './task-record.js';
import { TaskStore } from './task-store.js';

export interface TaskWorkerOptions {
  readonly redis: TaskRedisOptions;
  readonly store: ObjectStore;
  /** Local scratch directory; each task works in `<workDir>/<task id>`. */
  readonly workDir: string;
  readonly launchers: Launchers;
  /** @defaultValue `<hostname>-<pid>` */
  readonly id?: string;
  /** @defaultValue 1 */
  readonly concurrency?: number;
  /** @defaultValue 'transcode' */
  readonly queueName?: string;
  /** @defaultValue 30_000 */
  readonly lockDurationMs?: number;
  /** @defaultValue 15_000 */
  readonly stalledIntervalMs?: number;
  /** @defaultValue 1_000 */
  readonly maxStalledCount?: number;
  /** @defaultValue 2_000 */
  readonly stopPollMs?: number;
  /** @defaultValue 2_000 */
  readonly progressIntervalMs?: number;
  /**
   * Longest wait in close() for BullMQ to finish gracefully before its connections
   * are cut (a Redis that died would otherwise hold close() forever). @defaultValue 3_000
   */
  readonly closeTimeoutMs?: number;
  readonly session?: SessionSettings;
  /** Where the worker's metrics go. @defaultValue a private registry */
  readonly registry?: Registry;
  readonly logger?: Logger;
}

interface RunningTask {
  readonly session: TranscodeSession;
  readonly baseRestarts: number;
  latestProgress: TaskProgress | undefined;
}

export class TaskWorker {
  readonly id: string;
  private readonly options: TaskWorkerOptions;
  private readonly logger: Logger;
  private readonly keys: TaskKeys;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly tasks: TaskStore;
  private readonly running = new Map<string, RunningTask>();
  private readonly uploadMetrics: UploadMetrics;
  private readonly metrics: { running: Gauge; restarts: Counter; ended: Counter<'state'> };
  private worker: Worker<TaskJobData> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closing: Promise<void> | undefined;

  static async start(options: TaskWorkerOptions): Promise<TaskWorker> {
    const worker = new TaskWorker(options);
    try {
      await worker.connect();
    } catch (error) {
      await worker.close();
      throw error;
    }
    return worker;
  }

  private constructor(options: TaskWorkerOptions) {
    this.options = options;
    this.id = options.id ?? `${hostname()}-${process.pid}`;
    this.logger = (options.logger ?? silentLogger()).child({ worker: this.id });
    this.keys = taskKeys(options.redis.keyPrefix);
    const { keyPrefix: _keyPrefix, ...redis } = options.redis;
    const connection = { ...redis, logger: this.logger, lazyConnect: true };
    this.redis = createRedisConnection({ ...connection, name: `hlscdn-transcoder-worker:${this.id}` });
    this.subscriber = createRedisConnection({ ...connection, name: `hlscdn-transcoder-stops:${this.id}` });
    this.tasks = new TaskStore({ redis: this.redis, keys: this.keys });
    const registry = options.registry ?? new Registry();
    const registers = [registry];
    this.uploadMetrics = createUploadMetrics(registry);
    this.metrics = {
      running: new Gauge({ name: 'hlscdn_transcoder_tasks_running', help: 'Tasks this worker runs now', registers }),
      restarts: new Counter({ name: 'hlscdn_transcoder_ffmpeg_restarts_total', help: 'ffmpeg restarts after a crash or stall', registers }),
      ended: new Counter({
        name: 'hlscdn_transcoder_tasks_ended_total',
        help: 'Tasks that ended on this worker, by final state',
        labelNames: ['state'] as const,
        registers,
      }),
    };
  }

  /** Ids of the tasks running here. */
  runningTasks(): string[] {
    return [...this.running.keys()];
  }

  /** The session of a task running here (its ffmpeg pid, for instance). */
  session(taskId: string): TranscodeSession | undefined {
    return this.running.get(taskId)?.session;
  }

  /**
   * Shuts down: stops taking tasks, hands running ones back to the queue (live
   * playlists stay open) and closes the connections. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async connect(): Promise<void> {
    await waitForReady(this.redis, { what: `transcoder worker ${this.id}` });
    await waitForReady(this.subscriber, { what: `transcoder worker ${this.id} stop channel` });
    this.subscriber.on('message', (_channel: string, taskId: string) => void this.stopIfRunning(taskId, 'stop requested'));
    await this.subscriber.subscribe(this.keys.stopChannel);
    const o = this.options;
    this.worker = new Worker<TaskJobData>(o.queueName ?? 'transcode', (job, token) => this.processJob(job, token), {
      connection: bullConnection(o.redis, `hlscdn-transcoder-bull:${this.id}`),
      prefix: this.keys.bullPrefix,
      name: this.id,
      concurrency: Math.max(1, o.concurrency ?? 1),
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 15_000,
      maxStalledCount: o.maxStalledCount ?? 1_000,
      // An idle worker must notice new tasks promptly; BullMQ blocks this long per poll.
      drainDelay: 1,
    });
    this.worker.on('error', (error) => this.logger.warn({ error: errorMessage(error) }, 'queue error'));
    await this.worker.waitUntilReady();
    this.timers.push(
      setInterval(() => void this.pollStops(), o.stopPollMs ?? 2_000),
      setInterval(() => void this.flushProgress(), o.progressIntervalMs ?? 2_000),
    );
    this.logger.info({ concurrency: o.concurrency ?? 1 }, 'transcoder worker ready');
  }

  private async processJob(job: Job<TaskJobData>, token: string | undefined): Promise<string> {
    const { taskId } = job.data;
    try {
      return await this.runTask(job, token, taskId);
    } catch (error) {
      if (error instanceof WaitingError) throw error;
      this.logger.error({ task: taskId, error: errorMessage(error) }, 'task failed in the worker');
      await this.tasks
        .updateLive(taskId, { state: 'failed', lastError: `worker ${this.id}: ${errorMessage(error)}` })
        .catch(() => undefined);
      return 'failed';
    }
  }

  private async runTask(job: Job<TaskJobData>, token: string | undefined, taskId: string): Promise<string> {
    const record = await this.tasks.get(taskId);
    if (!record || isFinalState(record.state)) return 'gone';
    if (record.stopRequested) {
      await this.tasks.updateLive(taskId, { state: 'stopped' });
      return 'stopped';
    }
    const resumed = record.state !== 'queued';
    const baseRestarts = record.restarts + (resumed ? 1 : 0);
    await this.tasks.updateLive(taskId, {
      state: 'running',
      workerId: this.id,
      restarts: baseRestarts,
      ...(resumed ? { lastError: `resumed on ${this.id} after ${record.workerId ?? 'another worker'} stopped running it` } : {}),
    });
    if (resumed) this.logger.warn({ task: taskId, previous: record.workerId }, 'resuming a task another worker was running');

    const session = TranscodeSession.start({
      ...this.options.session,
      spec: record.spec,
      store: this.options.store,
      workDir: join(this.options.workDir, taskId),
      launchers: this.options.launchers,
      uploadMetrics: this.uploadMetrics,
      logger: this.logger,
    });
    const running: RunningTask = { session, baseRestarts, latestProgress: undefined };
    this.running.set(taskId, running);
    this.metrics.running.set(this.running.size);
    session.on('state', ({ state }) => void this.recordState(taskId, state));
    session.on('restart', ({ reason }) => {
      this.metrics.restarts.inc();
      void this.tasks.updateLive(taskId, { restarts: baseRestarts + session.restarts, lastError: reason }).catch(() => undefined);
    });
    session.on('run-error', ({ reason }) => void this.tasks.updateLive(taskId, { lastError: reason }).catch(() => undefined));
    session.on('progress', (progress) => {
      running.latestProgress = { ...progress, restarts: baseRestarts + progress.restarts };
    });

    const outcome = await session.done;
    this.running.delete(taskId);
    this.metrics.running.set(this.running.size);
    if (outcome.handedOver) {
      try {
        await this.tasks.updateLive(taskId, { state: 'restarting', lastError: `handed back to the queue: worker ${this.id} shut down` });
        await job.moveToWait(token);
      } catch (error) {
        // Redis is away: the job stays active with a lock nobody renews, and another
        // worker's stalled-job check hands it on, as after a crash.
        this.logger.warn({ task: taskId, error: errorMessage(error) }, 'could not hand the task back: the stalled-job check will');
      }
      throw new WaitingError();
    }
    this.metrics.ended.inc({ state: outcome.state });
    await this.tasks.updateLive(taskId, {
      state: outcome.state,
      restarts: baseRestarts + outcome.restarts,
      ...(outcome.reason === undefined ? {} : { lastError: outcome.reason }),
      ...(running.latestProgress === undefined ? {} : { progress: running.latestProgress }),
    });
    return outcome.state;
  }

  private async recordState(taskId: string, state: SupervisorState): Promise<void> {
    const mapped: Partial<Record<SupervisorState, TaskState>> = {
      starting: 'running',
      running: 'running',
      restarting: 'restarting',
      stopping: 'stopping',
    };
    const next = mapped[state];
    if (next === undefined) return;
    await this.tasks.updateLive(taskId, { state: next }).catch(() => undefined);
  }

  private async stopIfRunning(taskId: string, why: string): Promise<void> {
    const task = this.running.get(taskId);
    if (!task) return;
    this.logger.info({ task: taskId, why }, 'stopping task');
    await task.session.stop();
  }

  private async pollStops(): Promise<void> {
    for (const taskId of this.running.keys()) {
      try {
        if (await this.tasks.stopRequested(taskId)) await this.stopIfRunning(taskId, 'stop requested (poll)');
      } catch {
        // Redis away: the next poll asks again.
      }
    }
  }

  private async flushProgress(): Promise<void> {
    for (const [taskId, task] of this.running) {
      const progress = task.latestProgress;
      if (progress === undefined) continue;
      task.latestProgress = undefined;
      await this.tasks.updateLive(taskId, { progress }).catch(() => undefined);
    }
  }

  private async shutDown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const worker = this.worker;
    // No new tasks while the running ones are handed back.
    await worker?.pause(true).catch(() => undefined);
    await Promise.all([...this.running.values()].map(({ session }) => session.stop({ handover: true })));
    if (worker) {
      // Finishing the jobs and QUIT both need Redis. Without it BullMQ would wait for
      // it forever: close at once, and cut the connections if even that hangs.
      const redisUp = this.redis.status === 'ready';
      if (!redisUp) this.logger.warn('Redis is unreachable: closing the queue worker without waiting for its jobs');
      const how = await closeBullClient(worker, this.options.closeTimeoutMs ?? 3_000, () => worker.close(!redisUp));
      if (how === 'cut') this.logger.warn('the queue worker did not close in time: its connections were cut');
    }
    await closeRedis(this.subscriber);
    await closeRedis(this.redis);
  }
}
