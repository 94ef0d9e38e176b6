/**
 * One service on every core, as nginx's `worker_processes`: node:cluster forks
 * workers that run the same command and listen on the same address (the
 * primary accepts and hands connections out round robin, Node's default on
 * Linux; Node 20 has no SO_REUSEPORT). The primary does no serving: it starts
 * the workers, replaces one that dies (with a growing delay, so a worker that
 * cannot start does not spin), stops them all on close, and answers the
 * workers' `/metrics` with every worker's metrics summed (prom-client's
 * AggregatorRegistry), so a scrape that lands on any worker sees the service.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { HlscdnError } from '../errors.js';
import type { Logger } from '../logger.js';

export type WorkerCount = number | 'auto';

/** `auto` is one worker per core the process may use. */
export function resolveWorkerCount(count: WorkerCount): number {
  return count === 'auto' ? availableParallelism() : count;
}

/** True in a process forked by startServiceCluster: it serves, and leaves supervision to the primary. */
export function isServiceWorker(): boolean {
  return cluster.isWorker;
}

export interface ServiceClusterOptions {
  workers: number;
  logger: Logger;
  /** How long the first workers get to listen. @defaultValue 30_000 */
  startTimeoutMs?: number;
  /** How long workers get to close before SIGKILL. @defaultValue 10_000 */
  closeTimeoutMs?: number;
  /** Node flags for the workers, after the primary's own (e.g. heap sizing). @defaultValue [] */
  workerExecArgv?: readonly string[];
  /** The program workers run. @defaultValue this process's own script (same argv) */
  exec?: string;
  /** Extra environment of every worker (what the primary resolved for them). */
  env?: Record<string, string>;
}

export interface RunningServiceCluster {
  /** The port the workers listen on (as bound: a requested port 0 is resolved). */
  port: number;
  /** Worker pids now. */
  pids(): number[];
  close(): Promise<void>;
}

const METRICS_REQUEST = 'hlscdn:metrics-request';
const METRICS_REPLY = 'hlscdn:metrics-reply';
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
}

/**
 * Forks `workers` copies of this process (same argv) and resolves once each is
 * listening. A worker that exits before it listens fails the start (its own
 * error message is on the shared stderr).
 */
export async function startServiceCluster(options: ServiceClusterOptions): Promise<RunningServiceCluster> {
  if (!cluster.isPrimary) throw new Error('startServiceCluster runs in the primary process only');
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const restarts = new Map<number, number>();
  let closing = false;
  let port = 0;

  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ ...options.env, HLSCDN_WORKER_SLOT: String(slot) });
    worker.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQUEST) return;
      void aggregator.clusterMetrics().then(
        (text) => worker.isConnected() && worker.send({ type: METRICS_REPLY, id: message.id, text }),
        (error: unknown) => {
          logger.warn({ err: error }, 'metrics could not be collected from every worker');
          if (worker.isConnected()) worker.send({ type: METRICS_REPLY, id: message.id });
        },
      );
    });
    worker.once('listening', () => restarts.set(slot, 0));
    worker.once('exit', (code, signal) => {
      if (closing) return;
      const attempt = restarts.get(slot) ?? 0;
      const delayMs = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
      restarts.set(slot, attempt + 1);
      logger.warn({ slot, pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'worker exited; starting another');
      setTimeout(() => {
        if (!closing) fork(slot);
      }, delayMs).unref();
    });
    return worker;
  };

  cluster.setupPrimary({
    execArgv: [...process.execArgv, ...(options.workerExecArgv ?? [])],
    ...(options.exec !== undefined && { exec: options.exec }),
  });
  const first = Array.from({ length: options.workers }, (_, slot) => ({ slot, worker: fork(slot) }));
  const close = async () => {
    closing = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map((worker) => stopWorker(worker, options.closeTimeoutMs ?? 10_000)));
  };
  try {
    const ports = await Promise.all(first.map(({ slot, worker }) => listeningPort(worker, slot, options.startTimeoutMs ?? 30_000)));
    port = ports[0]!;
  } catch (error) {
    await close();
    throw error;
  }
  logger.info({ workers: options.workers, port }, 'workers listening');
  return {
    port,
    pids: () =>
      Object.values(cluster.workers ?? {})
        .map((w) => w?.process.pid)
        .filter((pid): pid is number => pid !== undefined),
    close,
  };
}

function listeningPort(worker: Worker, slot: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new HlscdnError('timeout', `worker ${slot} did not start listening within ${timeoutMs} ms`));
    }, timeoutMs);
    const onListening = (address: { port: number }) => {
      cleanup();
      resolve(address.port);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new HlscdnError('process-failed', `worker ${slot} exited before it listened (${signal ?? `exit code ${code}`})`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('listening', onListening);
      worker.off('exit', onExit);
    };
    worker.on('listening', onListening);
    worker.on('exit', onExit);
  });
}

/** SIGTERM (the worker's own service runner closes it), then SIGKILL after the deadline. */
function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}

let nextMetricsRequest = 0;

/**
 * In a worker: the service's metrics as the primary sums them over every
 * worker, or this worker's own when the primary does not answer in time.
 * Registers `registry` as this worker's contribution.
 */
export function clusterMetricsSource(registry: Registry, timeoutMs = 3_000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Its constructor installs the worker's listener that answers the primary's collection requests.
  new AggregatorRegistry();
  return () =>
    new Promise((resolve) => {
      const id = nextMetricsRequest++;
      const onMessage = (message: MetricsMessage) => {
        if (message?.type !== METRICS_REPLY || message.id !== id) return;
        done(message.text);
      };
      const done = (text: string | undefined) => {
        clearTimeout(timer);
        process.off('message', onMessage);
        if (text !== undefined) resolve(text);
        else void registry.metrics().then(resolve);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      process.on('message', onMessage);
      process.send?.({ type: METRICS_REQUEST, id });
    });
}
