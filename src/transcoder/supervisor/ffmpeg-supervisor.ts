/**
 * Keeps one task's ffmpeg running: prepares each run (the caller's hook, where a live
 * restart gets its next start number), restarts a crashed or stalled run after the
 * backoff restart-policy.ts decides, stops gracefully, and ends as done, stopped or
 * failed with the reason. The stall watchdog feeds out_time from -progress into a
 * StallDetector and asks it every second, so an ffmpeg blocked on a silent input
 * (which prints nothing at all) is caught too.
 */
import { EventEmitter } from 'node:events';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { sleep } from '../../core/retry.js';
import { FfmpegRun } from '../ffmpeg-process/ffmpeg-run.js';
import type { FfmpegExit } from '../ffmpeg-process/ffmpeg-run.js';
import type { Launchers } from '../ffmpeg-process/launcher.js';
import type { ProgressBlock } from '../progress/parse-progress.js';
import { StallDetector } from '../progress/stall-detector.js';
import { DEFAULT_RESTART_POLICY, decideAfterRun } from './restart-policy.js';
import type { RestartPolicy, RunEnd } from './restart-policy.js';

export type SupervisorState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed' | 'done';

export interface SupervisorOutcome {
  readonly state: 'done' | 'stopped' | 'failed';
  readonly reason?: string;
  readonly restarts: number;
}

export interface SupervisorEvents {
  state: [{ state: SupervisorState; previous: SupervisorState }];
  spawn: [{ pid: number; attempt: number }];
  progress: [ProgressBlock];
  restart: [{ attempt: number; delayMs: number; failures: number; reason: string }];
  /** One run failed (the task may still go on). */
  'run-error': [{ reason: string; stderrTail: readonly string[] }];
}

/** Thrown by prepareRun when retrying cannot help. */
export class PermanentRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentRunError';
  }
}

export interface SupervisorOptions {
  /** Returns the argv of the next run; throwing counts as a failed attempt. */
  readonly prepareRun: (attempt: number) => Promise<readonly string[]>;
  /** Called after every run's exit, before the next decision (the uploader's flush). */
  readonly finishRun?: (exit: FfmpegExit) => Promise<void>;
  /** Whether a clean exit ends the task; asked after each run (known once the input is probed). */
  readonly endsByItself: () => boolean;
  readonly launchers: Launchers;
  /** @defaultValue DEFAULT_RESTART_POLICY */
  readonly policy?: RestartPolicy;
  /** No out_time progress for this long (from the start of a run, too) is a stall. @defaultValue 20_000 */
  readonly stallTimeoutMs?: number;
  /** Time between SIGINT and SIGKILL. @defaultValue 10_000 */
  readonly stopGraceMs?: number;
  /** @defaultValue 1_000 */
  readonly watchdogIntervalMs?: number;
  readonly logger?: Logger;
  /** @defaultValue Date.now */
  readonly clock?: () => number;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

export class FfmpegSupervisor extends EventEmitter<SupervisorEvents> {
  readonly done: Promise<SupervisorOutcome>;
  private readonly options: SupervisorOptions;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly abort = new AbortController();
  private currentState: SupervisorState = 'starting';
  private run: FfmpegRun | undefined;
  private restartCount = 0;
  private started = false;
  private resolveDone!: (outcome: SupervisorOutcome) => void;

  constructor(options: SupervisorOptions) {
    super();
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.clock = options.clock ?? Date.now;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get state(): SupervisorState {
    return this.currentState;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** pid of the running ffmpeg, if one runs. */
  get pid(): number | undefined {
    return this.run?.running ? this.run.pid : undefined;
  }

  /** Starts the first run; resolves like `done`. */
  start(): Promise<SupervisorOutcome> {
    if (!this.started) {
      this.started = true;
      void this.loop().then(
        (outcome) => this.resolveDone(outcome),
        (error: unknown) =>
          this.resolveDone({ state: 'failed', reason: `supervisor error: ${errorMessage(error)}`, restarts: this.restartCount }),
      );
    }
    return this.done;
  }

  /** Stops gracefully (SIGINT, then SIGKILL after stopGraceMs); idempotent. */
  stop(): Promise<SupervisorOutcome> {
    if (!this.abort.signal.aborted) {
      this.abort.abort();
      if (!isFinal(this.currentState)) this.setState('stopping');
      void this.run?.stop({ graceMs: this.options.stopGraceMs ?? 10_000 });
    }
    if (!this.started) {
      this.started = true;
      this.resolveDone({ state: 'stopped', restarts: 0 });
    }
    return this.done;
  }

  close(): Promise<void> {
    return this.stop().then(() => undefined);
  }

  private async loop(): Promise<SupervisorOutcome> {
    let failures = 0;
    for (let attempt = 1; ; attempt += 1) {
      if (this.abort.signal.aborted) return this.end({ state: 'stopped', restarts: this.restartCount });
      const started = this.clock();
      const end = await this.attempt(attempt);
      const decision = decideAfterRun({
        policy: this.options.policy ?? DEFAULT_RESTART_POLICY,
        end,
        failures,
        ranForMs: this.clock() - started,
        endsByItself: this.options.endsByItself(),
        random: this.options.random,
      });
      if (decision.action === 'done') return this.end({ state: 'done', restarts: this.restartCount });
      if (decision.action === 'stopped') return this.end({ state: 'stopped', restarts: this.restartCount });
      if (decision.action === 'give-up') return this.end({ state: 'failed', reason: decision.reason, restarts: this.restartCount });
      failures = decision.failures;
      this.restartCount += 1;
      this.setState('restarting');
      this.logger.warn({ attempt, delayMs: decision.delayMs, reason: decision.reason }, 'ffmpeg run ended; restarting');
      this.emitSafely('restart', { attempt: attempt + 1, delayMs: decision.delayMs, failures, reason: decision.reason });
      await sleep(decision.delayMs, this.abort.signal);
    }
  }

  private async attempt(attempt: number): Promise<RunEnd> {
    let argv: readonly string[];
    try {
      argv = await this.options.prepareRun(attempt);
    } catch (error) {
      const reason = errorMessage(error);
      this.emitSafely('run-error', { reason, stderrTail: [] });
      return { kind: 'failed', reason, permanent: error instanceof PermanentRunError };
    }
    if (this.abort.signal.aborted) return { kind: 'stopped' };

    const run = FfmpegRun.start({ argv, launchers: this.options.launchers, logger: this.logger });
    this.run = run;
    const detector = new StallDetector({ stallMs: this.options.stallTimeoutMs ?? 20_000 });
    detector.observe(undefined, this.clock());
    let stalled = false;
    run.on('spawn', ({ pid }) => {
      this.setState('running');
      this.emitSafely('spawn', { pid, attempt });
    });
    run.on('progress', (block) => {
      detector.observe(block.outTimeUs, this.clock());
      this.emitSafely('progress', block);
    });
    const watchdog = setInterval(() => {
      if (stalled || !detector.isStalled(this.clock())) return;
      stalled = true;
      this.logger.warn({ stillForMs: detector.stillForMs(this.clock()) }, 'ffmpeg stalled: no output progress; restarting it');
      void run.stop({ graceMs: Math.min(this.options.stopGraceMs ?? 10_000, 3_000) });
    }, this.options.watchdogIntervalMs ?? 1_000);

    const exit = await run.exited;
    clearInterval(watchdog);
    try {
      await this.options.finishRun?.(exit);
    } catch (error) {
      this.logger.warn({ error: errorMessage(error) }, 'finishing the run failed');
    }
    const end = classifyExit(exit, { stalled, stallMs: this.options.stallTimeoutMs ?? 20_000, aborted: this.abort.signal.aborted });
    if (end.kind === 'failed' || end.kind === 'stalled') this.emitSafely('run-error', { reason: end.reason, stderrTail: exit.stderrTail });
    return end;
  }

  private end(outcome: SupervisorOutcome): SupervisorOutcome {
    this.setState(outcome.state);
    return outcome;
  }

  private setState(state: SupervisorState): void {
    const previous = this.currentState;
    if (previous === state || isFinal(previous)) return;
    // A stop wins over a run that happens to (re)start meanwhile.
    if (previous === 'stopping' && !isFinal(state)) return;
    this.currentState = state;
    this.emitSafely('state', { state, previous });
  }

  private emitSafely<E extends keyof SupervisorEvents>(event: E, ...args: SupervisorEvents[E]): void {
    try {
      this.emit(event, ...(args as never));
    } catch (error) {
      this.logger.error({ event, error: errorMessage(error) }, 'a supervisor event listener threw');
    }
  }
}

function isFinal(state: SupervisorState): boolean {
  return state === 'done' || state === 'stopped' || state === 'failed';
}

/** What an ffmpeg exit means for the task. */
export function classifyExit(
  exit: FfmpegExit,
  context: { readonly stalled: boolean; readonly stallMs: number; readonly aborted: boolean },
): RunEnd {
  if (context.stalled)
    return { kind: 'stalled', reason: `ffmpeg made no progress for ${Math.round(context.stallMs / 1000)} s (stalled input)` };
  if (exit.spawnError !== undefined) return { kind: 'failed', reason: `ffmpeg could not be started: ${exit.spawnError}` };
  if (context.aborted || exit.stopRequested) return { kind: 'stopped' };
  if (exit.code === 0) return { kind: 'finished' };
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const said = exit.stderrTail.slice(-3).join(' | ');
  return { kind: 'failed', reason: said ? `ffmpeg ${how}: ${said}` : `ffmpeg ${how}` };
}
