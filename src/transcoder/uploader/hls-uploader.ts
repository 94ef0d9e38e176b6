/**
 * Moves one task's HLS output from ffmpeg's local work directory into the object
 * store: a VariantUploader per rung, the master playlist once every variant has a
 * playlist in the store, and the deletion of live segments once the RFC 8216 6.2.2
 * grace period after they left the playlist is over. A live uploader opened on a prefix
 * that already holds a stream continues it (failover to another worker): its windows
 * are restored from the published playlists and the next run starts after their last
 * media sequence number, behind a discontinuity.
 */
import { EventEmitter } from 'node:events';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { retry } from '../../core/retry.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { ObjectStore } from '../../origin-store/index.js';
import { MEDIA_PLAYLIST_NAME } from '../shared/output-layout.js';
import { DirWatcher } from './dir-watcher.js';
import { ExpirySchedule, gracePeriodMs } from './expiry-schedule.js';
import { LiveWindow } from './live-window.js';
import { parseMediaPlaylist } from './media-playlist.js';
import { putObject } from './put-object.js';
import type { PutObjectContext } from './put-object.js';
import { joinKey } from './store-names.js';
import { createUploadMetrics } from './upload-metrics.js';
import type { UploadMetrics } from './upload-metrics.js';
import type { UploaderEvents } from './uploader-events.js';
import { VariantUploader } from './variant-uploader.js';

export const MASTER_PLAYLIST_NAME = 'master.m3u8';

export interface HlsUploaderOptions {
  readonly store: ObjectStore;
  /** ffmpeg's output directory (one sub-directory per rung). */
  readonly workDir: string;
  /** Store prefix of the task's output, e.g. `live/demo`. */
  readonly keyPrefix: string;
  readonly rungs: readonly string[];
  /** Text of the master playlist (buildMasterPlaylist). */
  readonly masterPlaylist: string;
  readonly mode: 'live' | 'vod';
  readonly segmentDurationSec: number;
  /** Live: segments per playlist (ffmpeg's -hls_list_size). @defaultValue 15 */
  readonly windowSegments?: number;
  /** @defaultValue 5 attempts from 200 ms, capped at 5 s, full jitter */
  readonly retry?: RetryPolicy;
  /** Backup directory scan. @defaultValue 500 */
  readonly scanIntervalMs?: number;
  /** How often due deletions run. @defaultValue 1000 */
  readonly expiryIntervalMs?: number;
  /** Shared per process; see createUploadMetrics. @defaultValue metrics on a private registry */
  readonly metrics?: UploadMetrics;
  readonly logger?: Logger;
  /** @defaultValue Date.now */
  readonly clock?: () => number;
}

export interface RunStart {
  /** ffmpeg's -start_number. */
  readonly startNumber: number;
  /** Mark the run's first segment with EXT-X-DISCONTINUITY (discont_start). */
  readonly discontinuity: boolean;
}

export const DEFAULT_UPLOAD_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000, jitter: 1 };

export class HlsUploader extends EventEmitter<UploaderEvents> {
  readonly masterKey: string;
  private readonly options: HlsUploaderOptions;
  private readonly variants: VariantUploader[];
  private readonly context: PutObjectContext;
  private readonly expiries = new ExpirySchedule();
  private readonly watcher: DirWatcher;
  private expiryTimer: NodeJS.Timeout | undefined;
  private deleting: Promise<void> = Promise.resolve();
  private masterIsPublished = false;
  private masterPut: Promise<void> | undefined;
  private closed = false;

  /** Creates the local directories and, for live, restores what the store already publishes. */
  static async open(options: HlsUploaderOptions): Promise<HlsUploader> {
    const windows = new Map<string, LiveWindow>();
    if (options.mode === 'live') {
      for (const rung of options.rungs) windows.set(rung, await restoreWindow(options, rung));
    }
    await Promise.all(options.rungs.map((rung) => mkdir(join(options.workDir, rung), { recursive: true })));
    const uploader = new HlsUploader(options, windows);
    if (options.mode === 'live') await uploader.sweepUnlisted(windows);
    return uploader;
  }

  private constructor(options: HlsUploaderOptions, windows: ReadonlyMap<string, LiveWindow>) {
    super();
    this.options = options;
    this.masterKey = joinKey(options.keyPrefix, MASTER_PLAYLIST_NAME);
    const logger = (options.logger ?? silentLogger()).child({ component: 'uploader' });
    this.context = {
      store: options.store,
      retry: options.retry ?? DEFAULT_UPLOAD_RETRY,
      metrics: options.metrics ?? createUploadMetrics(),
      logger,
      emit: (event, ...args) => this.emitSafely(event, ...args),
      clock: options.clock ?? Date.now,
    };
    this.variants = options.rungs.map(
      (rung) =>
        new VariantUploader({
          rung,
          dir: join(options.workDir, rung),
          keyPrefix: joinKey(options.keyPrefix, rung),
          window: windows.get(rung),
          segmentDurationSec: options.segmentDurationSec,
          context: this.context,
          expire: (key, dueAtMs) => this.expiries.add(key, dueAtMs),
        }),
    );
    this.on('playlist', () => this.maybePublishMaster());
    this.watcher = new DirWatcher({
      dirs: new Map(options.rungs.map((rung) => [rung, join(options.workDir, rung)])),
      onFile: (rung, name) => this.variant(rung)?.noticeFile(name),
      onScan: (rung) => this.variant(rung)?.requestSync(),
      scanIntervalMs: options.scanIntervalMs,
    });
  }

  get masterPublished(): boolean {
    return this.masterIsPublished;
  }

  /** Keys waiting for their deletion time. */
  get pendingDeletions(): number {
    return this.expiries.size;
  }

  /**
   * Where the next ffmpeg run starts; clears what the previous run left locally. Call after endRun().
   * `mediaEpochMs`: the wall clock at the run's media time 0 when known (a test source): segments are dated from it.
   */
  async beginRun(options: { readonly mediaEpochMs?: number } = {}): Promise<RunStart> {
    const live = this.options.mode === 'live';
    const highest = Math.max(-1, ...this.variants.map((variant) => variant.highestMsn));
    const start: RunStart = live ? { startNumber: highest + 1, discontinuity: highest >= 0 } : { startNumber: 0, discontinuity: false };
    for (const rung of this.options.rungs) await emptyDir(join(this.options.workDir, rung));
    for (const variant of this.variants) variant.beginRun(start.startNumber, options.mediaEpochMs);
    this.watcher.start();
    this.expiryTimer ??= setInterval(() => this.deleteDue(), this.options.expiryIntervalMs ?? 1_000);
    return start;
  }

  /** After ffmpeg exited: picks up what it wrote last and waits until it is all published. */
  async endRun(): Promise<void> {
    await this.watcher.scan();
    for (const variant of this.variants) variant.requestSync();
    await Promise.all(this.variants.map((variant) => variant.idle()));
    await this.masterPut;
  }

  /**
   * Ends the output. Live: republishes every playlist with EXT-X-ENDLIST when `endList`.
   * VOD: checks that every variant's final playlist and the master are in the store.
   */
  async finish(options: { readonly endList: boolean }): Promise<void> {
    if (this.options.mode === 'live') {
      if (options.endList) await Promise.all(this.variants.map((variant) => variant.publishEnd()));
      return;
    }
    const missing = this.variants.filter((variant) => !variant.published).map((variant) => variant.rung);
    if (missing.length > 0) throw new Error(`the final playlist of ${missing.join(', ')} was not published`);
    await this.maybePublishMaster();
    if (!this.masterIsPublished) throw new Error('the master playlist was not published');
  }

  /** Stops watching; deletions already due run, later ones are left to the next owner's sweep. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.expiryTimer);
    await this.watcher.close();
    await Promise.all(this.variants.map((variant) => variant.idle()));
    this.deleteDue();
    await this.deleting;
  }

  private variant(rung: string): VariantUploader | undefined {
    return this.variants.find((variant) => variant.rung === rung);
  }

  private maybePublishMaster(): Promise<void> {
    if (this.masterIsPublished || !this.variants.every((variant) => variant.published)) return this.masterPut ?? Promise.resolve();
    this.masterPut ??= putObject(this.context, { kind: 'master', key: this.masterKey, body: this.options.masterPlaylist }).then(
      () => {
        this.masterIsPublished = true;
        this.emitSafely('master', { key: this.masterKey });
      },
      () => {
        // Retried with the next playlist.
        this.masterPut = undefined;
      },
    );
    return this.masterPut;
  }

  private deleteDue(): void {
    const keys = this.expiries.takeDue(this.context.clock());
    if (keys.length === 0) return;
    const { store, metrics, logger } = this.context;
    this.deleting = this.deleting.then(async () => {
      for (const key of keys) {
        try {
          await retry(() => store.delete(key), { policy: this.context.retry });
          metrics.deletes.inc({ outcome: 'ok' });
          this.emitSafely('expired', { key });
        } catch (error) {
          metrics.deletes.inc({ outcome: 'error' });
          logger.warn({ key, error: errorMessage(error) }, 'could not delete an expired object');
        }
      }
    });
  }

  /** Objects under the variants that the restored windows do not list: left by an earlier owner. */
  private async sweepUnlisted(windows: ReadonlyMap<string, LiveWindow>): Promise<void> {
    const now = this.context.clock();
    for (const [rung, window] of windows) {
      const prefix = `${joinKey(this.options.keyPrefix, rung)}/`;
      const grace = gracePeriodMs(this.options.segmentDurationSec, window.durationSec());
      try {
        for await (const object of this.options.store.list(prefix)) {
          const name = object.key.slice(prefix.length);
          if (name === MEDIA_PLAYLIST_NAME || name.includes('/') || window.references(name)) continue;
          this.expiries.add(object.key, now + grace);
        }
      } catch (error) {
        this.context.logger.warn({ prefix, error: errorMessage(error) }, 'could not list earlier output to clean it up');
      }
    }
  }

  private emitSafely<E extends keyof UploaderEvents>(event: E, ...args: UploaderEvents[E]): void {
    try {
      this.emit(event, ...(args as never));
    } catch (error) {
      this.context.logger.error({ event, error: errorMessage(error) }, 'an uploader event listener threw');
    }
  }
}

async function restoreWindow(options: HlsUploaderOptions, rung: string): Promise<LiveWindow> {
  const windowOptions = { capacity: options.windowSegments ?? 15, targetDurationSec: options.segmentDurationSec };
  const key = joinKey(options.keyPrefix, rung, MEDIA_PLAYLIST_NAME);
  const found = await options.store.get(key);
  if (found.kind !== 'body') return new LiveWindow(windowOptions);
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const parsed = parseMediaPlaylist(Buffer.concat(chunks).toString('utf8'));
  return parsed.ok ? LiveWindow.restore(parsed.value, windowOptions) : new LiveWindow(windowOptions);
}

async function emptyDir(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(join(dir, name), { recursive: true, force: true })));
}
