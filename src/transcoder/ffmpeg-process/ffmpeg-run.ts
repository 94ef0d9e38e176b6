/**
 * One ffmpeg process, driven through fluent-ffmpeg (the one module that imports it):
 * progress from `-progress pipe:1` parsed by progress/, stderr lines kept for error
 * reports, and a stop that is graceful first (SIGINT: hlsenc closes the segment and
 * writes the playlist) and SIGKILL only after a timeout. fluent-ffmpeg's kill()
 * defaults to SIGKILL, which loses the last segment: it is never called.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import ffmpeg from 'fluent-ffmpeg';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { killGroup, trackProcessGroup, untrackProcessGroup } from '../../core/process/orphan-guard.js';
import { parseProgressChunk } from '../progress/parse-progress.js';
import type { ProgressBlock } from '../progress/parse-progress.js';
import { planFluentCommand } from './fluent-plan.js';
import type { Launchers } from './launcher.js';

export interface FfmpegRunOptions {
  /** The argv after the binary name, e.g. from buildTranscodeArgs. */
  readonly argv: readonly string[];
  readonly launchers: Launchers;
  readonly logger?: Logger;
  /**
   * stderr lines kept for the failure reason.
   * @defaultValue 30
   */
  readonly stderrTailLines?: number;
}

export interface FfmpegExit {
  /** Exit code; ffmpeg exits 255 after a SIGINT stop and 0 when its input ended. */
  readonly code: number | null;
  readonly signal: string | null;
  /** The exit followed our stop()/kill(). */
  readonly stopRequested: boolean;
  /** Last stderr lines, oldest first. */
  readonly stderrTail: readonly string[];
  /** Set when ffmpeg could not be started at all. */
  readonly spawnError?: string;
}

export interface FfmpegRunEvents {
  spawn: [{ pid: number }];
  progress: [ProgressBlock];
  stderr: [string];
  exit: [FfmpegExit];
}

export interface StopOptions {
  /**
   * Time ffmpeg gets to finish after SIGINT before SIGKILL.
   * @defaultValue 10_000
   */
  readonly graceMs?: number;
}

type FluentCommand = ReturnType<typeof ffmpeg>;

export class FfmpegRun extends EventEmitter<FfmpegRunEvents> {
  readonly exited: Promise<FfmpegExit>;
  private spawnedPid: number | undefined;
  private child: ChildProcess | undefined;
  private stopRequested = false;
  private exit: FfmpegExit | undefined;
  private progressRest = '';
  private readonly tail: string[] = [];
  private readonly tailLines: number;
  private readonly logger: Logger;
  private readonly ownGroup: boolean;
  private resolveExit!: (exit: FfmpegExit) => void;

  /** Starts ffmpeg; failures to start arrive as an exit with `spawnError`. */
  static start(options: FfmpegRunOptions): FfmpegRun {
    return new FfmpegRun(options);
  }

  private constructor(options: FfmpegRunOptions) {
    super();
    this.tailLines = options.stderrTailLines ?? 30;
    this.logger = options.logger ?? silentLogger();
    this.ownGroup = options.launchers.ownProcessGroup;
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    const plan = planFluentCommand(options.argv);
    if (!plan.ok) {
      // Let listeners attach before the exit is announced.
      queueMicrotask(() => this.finish({ code: null, signal: null, spawnError: plan.error.message }));
      return;
    }
    const command = ffmpeg();
    // Process-wide in fluent-ffmpeg; every run sets the same launcher.
    command.setFfmpegPath(options.launchers.ffmpeg);
    for (const input of plan.value.inputs) {
      command.input(input.source);
      // Spread, not an array: with one array argument fluent-ffmpeg splits items on spaces.
      if (input.options.length > 0) command.inputOptions(...input.options);
    }
    if (plan.value.complexFilter !== undefined) command.complexFilter(plan.value.complexFilter);
    command.output(plan.value.target);
    if (plan.value.outputOptions.length > 0) command.outputOptions(...plan.value.outputOptions);
    this.wire(command);
    command.run();
  }

  get pid(): number | undefined {
    return this.spawnedPid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  stderrTail(): string[] {
    return [...this.tail];
  }

  /** SIGINT, then SIGKILL after graceMs; idempotent, resolves with the exit. */
  stop(options: StopOptions = {}): Promise<FfmpegExit> {
    if (this.exit) return this.exited;
    this.stopRequested = true;
    if (this.child) {
      this.signal('SIGINT');
      const timer = setTimeout(() => {
        this.logger.warn({ pid: this.spawnedPid }, 'ffmpeg did not stop after SIGINT: SIGKILL');
        this.signal('SIGKILL');
      }, options.graceMs ?? 10_000);
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** SIGKILL at once (the last segment is lost). */
  kill(): Promise<FfmpegExit> {
    if (this.exit) return this.exited;
    this.stopRequested = true;
    this.signal('SIGKILL');
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.spawnedPid;
    if (pid === undefined || this.exit) return;
    if (signal === 'SIGKILL' && this.ownGroup) killGroup(pid, 'SIGKILL');
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone: the exit handler reports it.
    }
  }

  private wire(command: FluentCommand): void {
    // fluent-ffmpeg's 'end'/'error' can come before our own 'exit' listener runs; the
    // ChildProcess has its exitCode/signalCode set by then.
    const exitInfo = (): { code: number | null; signal: string | null } | undefined =>
      this.child && (this.child.exitCode !== null || this.child.signalCode !== null)
        ? { code: this.child.exitCode, signal: this.child.signalCode }
        : undefined;
    command.on('start', () => {
      // fluent-ffmpeg keeps the ChildProcess on the command while it runs (not in its typings).
      const child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      if (!child?.pid) return;
      this.child = child;
      this.spawnedPid = child.pid;
      if (this.ownGroup) trackProcessGroup(child.pid);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => this.onProgressText(chunk));
      // A stop requested while fluent-ffmpeg was still checking capabilities.
      if (this.stopRequested) this.signal('SIGINT');
      this.emit('spawn', { pid: child.pid });
    });
    command.on('stderr', (line: string) => {
      if (line.trim() === '') return;
      this.tail.push(line);
      if (this.tail.length > this.tailLines) this.tail.shift();
      this.emit('stderr', line);
    });
    // Both fire after the process exited and its output closed.
    command.on('end', () => this.finish(exitInfo() ?? { code: 0, signal: null }));
    command.on('error', (error: unknown) => {
      const info = exitInfo();
      if (info) this.finish(info);
      else this.finish({ code: null, signal: null, spawnError: errorMessage(error) });
    });
  }

  private onProgressText(chunk: string): void {
    const parsed = parseProgressChunk(this.progressRest + chunk);
    // A pipe that never ends a line must not grow without bound.
    this.progressRest = parsed.rest.length > 64_000 ? '' : parsed.rest;
    for (const block of parsed.blocks) this.emit('progress', block);
  }

  private finish(info: { code: number | null; signal: string | null; spawnError?: string }): void {
    if (this.exit) return;
    if (this.spawnedPid !== undefined && this.ownGroup) {
      // Anything ffmpeg left in its group goes with it.
      killGroup(this.spawnedPid, 'SIGKILL');
      untrackProcessGroup(this.spawnedPid);
    }
    this.exit = { ...info, stopRequested: this.stopRequested, stderrTail: [...this.tail] };
    this.logger.debug({ pid: this.spawnedPid, code: info.code, signal: info.signal }, 'ffmpeg exited');
    this.emit('exit', this.exit);
    this.resolveExit(this.exit);
  }
}
