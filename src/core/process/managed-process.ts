/**
 * Starts and supervises one external program (redis-server, nginx, ffmpeg):
 * spawn without a shell, log capture (line by line, with a tail kept for error
 * reports), a readiness probe, and a graceful stop that escalates to SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { HlscdnError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { killGroup, parentDeathPrefix, trackProcessGroup, untrackProcessGroup } from './orphan-guard.js';
import { waitUntil } from './wait-until.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcessOptions {
  /** Short name for logs and errors, e.g. "redis-server:6379". */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Lines of output kept for error reports. @defaultValue 100 */
  tailLines?: number;
  /** Log level for the child's output lines. @defaultValue 'debug' */
  outputLevel?: 'debug' | 'info' | 'silent';
  readiness?: { probe: () => Promise<boolean>; timeoutMs?: number; intervalMs?: number };
  /** First signal of a stop. @defaultValue 'SIGTERM' (nginx wants 'SIGQUIT' to finish in-flight requests) */
  stopSignal?: NodeJS.Signals;
  /** Then SIGKILL to the whole process group. @defaultValue 10_000 */
  stopTimeoutMs?: number;
  /** Stdin of the child. @defaultValue 'ignore' */
  stdin?: 'ignore' | 'pipe';
}

export interface ManagedProcessEvents {
  line: [{ stream: 'stdout' | 'stderr'; line: string }];
  exit: [ExitInfo];
}

export class ManagedProcess extends EventEmitter<ManagedProcessEvents> {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private readonly options: ManagedProcessOptions;
  private readonly logger: Logger;
  private readonly tail: string[] = [];
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  /** Spawns the program and resolves once its readiness probe passes; rejects (after killing it) if it exits first or never gets ready. */
  static async start(options: ManagedProcessOptions): Promise<ManagedProcess> {
    const proc = new ManagedProcess(options);
    await proc.waitReady();
    return proc;
  }

  private constructor(options: ManagedProcessOptions) {
    super();
    this.options = options;
    this.name = options.name;
    this.logger = (options.logger ?? silentLogger()).child({ process: options.name });
    const argv = [...parentDeathPrefix(), options.command, ...options.args];
    this.child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // With `detached`, an error event (ENOENT) can come before a pid exists.
    this.pid = this.child.pid ?? -1;
    if (this.pid > 0) trackProcessGroup(this.pid);
    this.exited = new Promise((resolve) => {
      const finish = (info: ExitInfo) => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        if (this.pid > 0) {
          // Whatever the leader left in its group (workers, helpers) goes with it.
          killGroup(this.pid, 'SIGKILL');
          untrackProcessGroup(this.pid);
        }
        this.logger.debug({ ...info }, 'exited');
        this.emit('exit', info);
        resolve(info);
      };
      this.child.once('exit', (code, signal) => finish({ code, signal }));
      this.child.once('error', (error) => {
        this.remember(`spawn error: ${errorMessage(error)}`);
        finish({ code: null, signal: null });
      });
    });
    this.capture('stdout');
    this.capture('stderr');
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get stdin(): NodeJS.WritableStream | null {
    return this.child.stdin;
  }

  /** The last lines the program printed, oldest first. */
  outputTail(): string[] {
    return [...this.tail];
  }

  signal(signal: NodeJS.Signals): boolean {
    return this.running && this.child.kill(signal);
  }

  /** Graceful stop then SIGKILL of the group; idempotent, resolves when the process is gone. */
  stop(): Promise<ExitInfo> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.child.kill(this.options.stopSignal ?? 'SIGTERM');
    // A stopped (SIGSTOP) process keeps the signal pending and never acts on it: continue
    // the group so it can stop gracefully. Harmless for a group that runs.
    killGroup(this.pid, 'SIGCONT');
    const timeoutMs = this.options.stopTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const escalated = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn({ timeoutMs }, 'did not stop in time: SIGKILL');
        killGroup(this.pid, 'SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.exited, escalated]);
    clearTimeout(timer);
    return this.exited;
  }

  private async waitReady(): Promise<void> {
    const readiness = this.options.readiness;
    const failure = (why: string, cause?: unknown) =>
      new HlscdnError(
        'process-failed',
        `${this.name} ${why}${this.tail.length ? `; its last output:\n${this.tail.slice(-15).join('\n')}` : ''}`,
        {
          cause,
          details: { command: this.options.command },
        },
      );
    if (!readiness) {
      // Without a probe, "ready" means it did not fail to spawn.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.exitInfo && this.pid < 0) throw failure('could not be started');
      return;
    }
    const exitedEarly = this.exited.then((info) => {
      throw failure(`exited before it was ready (code ${info.code}, signal ${info.signal})`);
    });
    const ready = waitUntil(readiness.probe, {
      timeoutMs: readiness.timeoutMs ?? 15_000,
      intervalMs: readiness.intervalMs ?? 50,
      what: `${this.name} to be ready`,
    });
    try {
      await Promise.race([ready, exitedEarly]);
    } catch (error) {
      exitedEarly.catch(() => undefined);
      ready.catch(() => undefined);
      await this.stop();
      throw error instanceof HlscdnError && error.code === 'process-failed' ? error : failure('did not become ready', error);
    }
    exitedEarly.catch(() => undefined);
  }

  private capture(stream: 'stdout' | 'stderr'): void {
    const source = this.child[stream];
    if (!source) return;
    const level = this.options.outputLevel ?? 'debug';
    createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
      this.remember(line);
      if (level !== 'silent') this.logger[level]({ stream }, line);
      this.emit('line', { stream, line });
    });
  }

  private remember(line: string): void {
    this.tail.push(line);
    if (this.tail.length > (this.options.tailLines ?? 100)) this.tail.shift();
  }
}
