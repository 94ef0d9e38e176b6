/**
 * A private redis-server that comes back by itself: when it exits without being
 * asked to, it is started again on the same port and in the same directory
 * after a short, growing delay, so every client (ioredis reconnects on its own)
 * finds it again at the address it knows. The data is gone (no persistence):
 * clients must write back what they own, as edge agents do with each heartbeat.
 */
import { EventEmitter } from 'node:events';
import { errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { retryDelayMs, type RetryPolicy } from '../retry.js';
import type { ExitInfo, ManagedProcess } from './managed-process.js';
import { startRedisServer, type RedisServerOptions, type RunningRedisServer } from './redis-server.js';

export interface SupervisedRedisServerOptions extends RedisServerOptions {
  /** Delays between restart attempts, exponential with jitter. @defaultValue `{ baseDelayMs: 100, maxDelayMs: 5_000 }` */
  restartBackoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** A run at least this long starts the backoff over. @defaultValue 10_000 */
  healthyAfterMs?: number;
}

export interface SupervisedRedisServerEvents {
  /** redis-server exited without being asked to; a restart follows. */
  exit: [info: ExitInfo & { pid: number }];
  /** It answers again, on the same port. */
  restart: [info: { pid: number; restarts: number; downMs: number }];
}

export class SupervisedRedisServer extends EventEmitter<SupervisedRedisServerEvents> implements RunningRedisServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pidFile: string;
  private current: ManagedProcess;
  private restartCount = 0;
  private attempt = 0;
  private startedAt = performance.now();
  private downSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private starting: Promise<unknown> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly options: SupervisedRedisServerOptions;
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;

  constructor(first: RunningRedisServer, options: SupervisedRedisServerOptions) {
    super();
    this.url = first.url;
    this.host = first.host;
    this.port = first.port;
    this.pidFile = first.pidFile;
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'redis-supervisor', port: first.port });
    this.policy = {
      maxAttempts: Number.POSITIVE_INFINITY,
      baseDelayMs: options.restartBackoff?.baseDelayMs ?? 100,
      maxDelayMs: options.restartBackoff?.maxDelayMs ?? 5_000,
      jitter: 0.5,
    };
    this.current = first.process;
    this.watch(first.process);
  }

  /** The redis-server running now (a new one after each restart). */
  get process(): ManagedProcess {
    return this.current;
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Ends the supervision (a pending restart is called off) and stops redis-server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.timer);
      await this.starting?.catch(() => undefined);
      await this.current.stop();
    })();
    return this.stopping;
  }

  private watch(proc: ManagedProcess): void {
    proc.once('exit', (info) => this.onExit(proc, info));
  }

  private onExit(proc: ManagedProcess, info: ExitInfo): void {
    if (this.stopping || proc !== this.current) return;
    this.downSince = performance.now();
    // A run that lasted starts the backoff over; a crash loop backs off further each time.
    if (this.downSince - this.startedAt >= (this.options.healthyAfterMs ?? 10_000)) this.attempt = 0;
    this.logger.warn(
      { pid: proc.pid, code: info.code, signal: info.signal, output: proc.outputTail().slice(-5) },
      'redis-server exited unexpectedly: restarting it on the same port (its data is lost)',
    );
    this.emit('exit', { ...info, pid: proc.pid });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    this.attempt += 1;
    const delayMs = retryDelayMs(this.policy, this.attempt);
    this.timer = setTimeout(() => {
      this.starting = this.restart(delayMs).finally(() => (this.starting = undefined));
    }, delayMs);
  }

  private async restart(delayMs: number): Promise<void> {
    if (this.stopping) return;
    let server: RunningRedisServer;
    try {
      server = await startRedisServer({ ...this.options, port: this.port });
    } catch (error) {
      this.logger.warn(
        { attempt: this.attempt, afterMs: delayMs, error: errorMessage(error) },
        'restarting redis-server failed: trying again',
      );
      this.scheduleRestart();
      return;
    }
    if (this.stopping) {
      // stop() came while it started: it waits for this, then stops the current process.
      this.current = server.process;
      return;
    }
    this.current = server.process;
    this.startedAt = performance.now();
    this.restartCount += 1;
    this.watch(server.process);
    const downMs = Math.round(this.startedAt - this.downSince);
    this.logger.info({ pid: server.process.pid, restarts: this.restartCount, downMs }, 'redis-server restarted');
    this.emit('restart', { pid: server.process.pid, restarts: this.restartCount, downMs });
  }
}

/** startRedisServer, supervised: restarted on the same port and directory whenever it exits unasked. */
export async function startSupervisedRedisServer(options: SupervisedRedisServerOptions): Promise<SupervisedRedisServer> {
  const first = await startRedisServer(options);
  return new SupervisedRedisServer(first, options);
}
