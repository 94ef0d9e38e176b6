/**
 * One task from start to end, wherever it runs (CLI foreground, a worker): probe the
 * input (ffprobe through fluent-ffmpeg; a test source needs none), plan the ladder,
 * open the uploader, and let the supervisor run ffmpeg, each run starting where the
 * uploader says (live continuity). When it ends: VOD checks the final playlists and
 * the master are in the store; live publishes EXT-X-ENDLIST unless the task is being
 * handed over to another worker. The local work directory is removed at the end.
 */
import { EventEmitter } from 'node:events';
import { access, mkdir, rm } from 'node:fs/promises';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { ObjectStore } from '../../origin-store/index.js';
import { buildInputArgs } from '../ffmpeg-args/input-args.js';
import type { Launchers } from '../ffmpeg-process/launcher.js';
import { probeInput } from '../ffmpeg-process/probe-input.js';
import { planTranscode, probeForTestSource } from '../plan/plan-transcode.js';
import type { TranscodePlan } from '../plan/plan-transcode.js';
import { FfmpegSupervisor, PermanentRunError } from '../supervisor/ffmpeg-supervisor.js';
import type { SupervisorEvents, SupervisorOutcome, SupervisorState } from '../supervisor/ffmpeg-supervisor.js';
import type { RestartPolicy } from '../supervisor/restart-policy.js';
import type { TaskSpec } from '../task-spec.js';
import { HlsUploader } from '../uploader/hls-uploader.js';
import { LowLatencyUploader } from '../low-latency/low-latency-uploader.js';
import type { UploadMetrics } from '../uploader/upload-metrics.js';
import type { PublishedPlaylist } from '../uploader/uploader-events.js';
import { describeProgress } from './progress-view.js';
import type { TaskProgress } from './progress-view.js';

/** Settings shared by every session of a process (from the `transcoder` config section). */
export interface SessionSettings {
  /** @defaultValue DEFAULT_RESTART_POLICY */
  readonly restartPolicy?: RestartPolicy;
  /** @defaultValue 20_000 */
  readonly stallTimeoutMs?: number;
  /** @defaultValue 10_000 */
  readonly stopGraceMs?: number;
  /** @defaultValue DEFAULT_UPLOAD_RETRY */
  readonly uploadRetry?: RetryPolicy;
  /** @defaultValue 500 */
  readonly scanIntervalMs?: number;
  /** Font of a test source's clock; a missing file leaves the clock out. */
  readonly fontFile?: string;
  readonly threads?: number;
}

export interface TranscodeSessionOptions extends SessionSettings {
  readonly spec: TaskSpec;
  readonly store: ObjectStore;
  /** This task's local directory: created, and removed when the session ends. */
  readonly workDir: string;
  readonly launchers: Launchers;
  readonly uploadMetrics?: UploadMetrics;
  readonly logger?: Logger;
  /** @defaultValue Date.now */
  readonly clock?: () => number;
}

export interface SessionOutcome extends SupervisorOutcome {
  /** Stopped to continue elsewhere: the live playlists were left open (no ENDLIST). */
  readonly handedOver: boolean;
}

export interface SessionEvents {
  state: SupervisorEvents['state'];
  spawn: SupervisorEvents['spawn'];
  restart: SupervisorEvents['restart'];
  'run-error': SupervisorEvents['run-error'];
  progress: [TaskProgress];
  published: [PublishedPlaylist];
}

export class TranscodeSession extends EventEmitter<SessionEvents> {
  readonly done: Promise<SessionOutcome>;
  private readonly options: TranscodeSessionOptions;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly supervisor: FfmpegSupervisor;
  private readonly startedAtMs: number;
  private currentPlan: TranscodePlan | undefined;
  private uploader: HlsUploader | LowLatencyUploader | undefined;
  private handover = false;

  static start(options: TranscodeSessionOptions): TranscodeSession {
    return new TranscodeSession(options);
  }

  private constructor(options: TranscodeSessionOptions) {
    super();
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ task: options.spec.id });
    this.clock = options.clock ?? Date.now;
    this.startedAtMs = this.clock();
    this.supervisor = new FfmpegSupervisor({
      prepareRun: () => this.prepareRun(),
      finishRun: async () => {
        await this.uploader?.endRun();
      },
      endsByItself: () => this.currentPlan?.endsByItself ?? options.spec.mode === 'vod',
      launchers: options.launchers,
      policy: options.restartPolicy,
      stallTimeoutMs: options.stallTimeoutMs,
      stopGraceMs: options.stopGraceMs,
      logger: this.logger,
      clock: this.clock,
    });
    this.supervisor.on('state', (change) => this.emitSafely('state', change));
    this.supervisor.on('spawn', (spawned) => this.emitSafely('spawn', spawned));
    this.supervisor.on('restart', (restart) => this.emitSafely('restart', restart));
    this.supervisor.on('run-error', (failure) => this.emitSafely('run-error', failure));
    this.supervisor.on('progress', (block) => {
      const progress = describeProgress(block, {
        durationSec: this.currentPlan?.durationSec,
        startedAtMs: this.startedAtMs,
        nowMs: this.clock(),
        restarts: this.supervisor.restarts,
      });
      this.emitSafely('progress', progress);
    });
    this.done = this.supervisor.start().then((outcome) => this.finish(outcome));
  }

  get state(): SupervisorState {
    return this.supervisor.state;
  }

  get restarts(): number {
    return this.supervisor.restarts;
  }

  /** pid of the running ffmpeg. */
  get pid(): number | undefined {
    return this.supervisor.pid;
  }

  get live(): boolean {
    return this.options.spec.mode === 'live';
  }

  /** The plan, once the input has been probed. */
  get plan(): TranscodePlan | undefined {
    return this.currentPlan;
  }

  /**
   * Stops ffmpeg gracefully and ends the task. With `handover` a live stream is left
   * open (no ENDLIST) for another worker to continue. Idempotent.
   */
  stop(options: { readonly handover?: boolean } = {}): Promise<SessionOutcome> {
    if (options.handover) this.handover = true;
    void this.supervisor.stop();
    return this.done;
  }

  private async prepareRun(): Promise<readonly string[]> {
    if (!this.currentPlan || !this.uploader) {
      const plan = await this.makePlan();
      this.uploader ??= await this.openUploader(plan);
      this.currentPlan = plan;
    }
    // A test source's picture clock counts from nowMs; low-latency parts are dated from it too.
    const nowMs = this.clock();
    const testSource = typeof this.options.spec.input !== 'string';
    const start = await this.uploader.beginRun(testSource ? { mediaEpochMs: nowMs } : {});
    this.logger.info({ ...start }, 'starting ffmpeg');
    return this.currentPlan.argsFor({ ...start, nowMs });
  }

  private async makePlan(): Promise<TranscodePlan> {
    const { spec } = this.options;
    await mkdir(this.options.workDir, { recursive: true });
    let probe;
    if (typeof spec.input === 'string') {
      const inputArgs = buildInputArgs(
        { kind: 'url', url: spec.input, live: spec.mode === 'live', networkTimeoutSec: spec.networkTimeoutSec },
        spec.mode === 'live' ? { kind: 'live', dvrWindowSec: spec.dvrWindowSec } : { kind: 'vod' },
      ).args;
      const probed = await probeInput(spec.input, {
        launchers: this.options.launchers,
        inputOptions: inputArgs.slice(0, inputArgs.lastIndexOf('-i')),
      });
      if (!probed.ok) throw new Error(`cannot read the input ${spec.input}: ${probed.error.message}`);
      probe = probed.value;
    } else {
      probe = probeForTestSource(spec.input);
    }
    const fontFile = await usableFont(this.options.fontFile);
    if (typeof spec.input !== 'string' && spec.input.clock && fontFile === undefined)
      this.logger.warn({ fontFile: this.options.fontFile }, 'no font for the test clock: it is left out');
    const plan = planTranscode({ spec, probe, workDir: this.options.workDir, fontFile, threads: this.options.threads });
    if (!plan.ok) throw new PermanentRunError(`${plan.error.code}: ${plan.error.message}`);
    return plan.value;
  }

  private async openUploader(plan: TranscodePlan): Promise<HlsUploader | LowLatencyUploader> {
    const { spec } = this.options;
    const common = {
      store: this.options.store,
      workDir: this.options.workDir,
      keyPrefix: spec.outputPrefix,
      rungs: plan.rungs.map((rung) => rung.name),
      masterPlaylist: plan.masterPlaylist,
      segmentDurationSec: plan.segmentDurationSec,
      windowSegments: plan.windowSegments,
      retry: this.options.uploadRetry,
      metrics: this.options.uploadMetrics,
      logger: this.logger,
      clock: this.clock,
    };
    const uploader = plan.lowLatency
      ? await LowLatencyUploader.open({ ...common, partDurationSec: plan.lowLatency.partDurationSec })
      : await HlsUploader.open({ ...common, mode: spec.mode, scanIntervalMs: this.options.scanIntervalMs });
    uploader.on('playlist', (published) => this.emitSafely('published', published));
    return uploader;
  }

  private async finish(outcome: SupervisorOutcome): Promise<SessionOutcome> {
    let result: SessionOutcome = { ...outcome, handedOver: this.handover && outcome.state === 'stopped' };
    const uploader = this.uploader;
    if (uploader) {
      try {
        if (outcome.state === 'done') await uploader.finish({ endList: true });
        else if (this.live) await uploader.finish({ endList: !result.handedOver });
      } catch (error) {
        result = { ...result, state: 'failed', reason: `publishing the output failed: ${errorMessage(error)}` };
      }
      await uploader.close();
    }
    await rm(this.options.workDir, { recursive: true, force: true }).catch(() => undefined);
    this.logger.info({ state: result.state, reason: result.reason, restarts: result.restarts }, 'task ended');
    return result;
  }

  private emitSafely<E extends keyof SessionEvents>(event: E, ...args: SessionEvents[E]): void {
    try {
      this.emit(event, ...(args as never));
    } catch (error) {
      this.logger.error({ event, error: errorMessage(error) }, 'a session event listener threw');
    }
  }
}

async function usableFont(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  return access(path).then(
    () => path,
    () => undefined,
  );
}
