/**
 * Moves a low-latency task's output from ffmpeg's work directory into the store.
 * ffmpeg writes each part as its own fMP4 file (`p<N>.m4s`) and lists it in its own
 * playlist once complete; per rung, this uploader reads each new part, lets the
 * PartPackager group parts into segments, and puts, in this order: the init segment
 * (once per run), the part, the segment it completed (if any), then the media
 * playlist that lists them, so no playlist ever names an object that is not stored
 * yet (the origin's blocking reload and preload-hint answers rely on that order).
 * The master playlist goes up once every rung has a playlist; objects that left the
 * playlists are deleted after the RFC 8216 6.2.2 grace period.
 *
 * Latency matters here more than anywhere: a part is picked up on the fs.watch event
 * of ffmpeg's playlist rename, with a short poll as the backup, and each rung's
 * pipeline runs on its own so one slow rung does not hold the others.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { Logger } from '../../core/logger.js';
import { retry } from '../../core/retry.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { ObjectStore } from '../../origin-store/index.js';
import { MEDIA_PLAYLIST_NAME, initSegmentName } from '../shared/output-layout.js';
import { ExpirySchedule, gracePeriodMs } from '../uploader/expiry-schedule.js';
import { DEFAULT_UPLOAD_RETRY, MASTER_PLAYLIST_NAME, type RunStart } from '../uploader/hls-uploader.js';
import { parseMediaPlaylist } from '../uploader/media-playlist.js';
import { putObject, type PutObjectContext, type PutObjectRequest } from '../uploader/put-object.js';
import { initStoreName, joinKey } from '../uploader/store-names.js';
import { createUploadMetrics, type UploadMetrics } from '../uploader/upload-metrics.js';
import type { UploaderEvents } from '../uploader/uploader-events.js';
import { describeFragment, readInitSegment, type InitTracks } from './fmp4-boxes.js';
import { PartPackager, type RenditionReport } from './part-packager.js';

export interface LowLatencyUploaderOptions {
  readonly store: ObjectStore;
  /** ffmpeg's output directory (one sub-directory per rung). */
  readonly workDir: string;
  /** Store prefix of the task's output, e.g. `live/demo`. */
  readonly keyPrefix: string;
  readonly rungs: readonly string[];
  readonly masterPlaylist: string;
  readonly segmentDurationSec: number;
  /** The part length ffmpeg cuts (part-timing.ts). */
  readonly partDurationSec: number;
  /** Segments per media playlist. @defaultValue 15 */
  readonly windowSegments?: number;
  readonly retry?: RetryPolicy;
  /** Backup poll of ffmpeg's playlists, in case an fs.watch event is lost. @defaultValue 100 */
  readonly pollIntervalMs?: number;
  /** How often due deletions run. @defaultValue 1000 */
  readonly expiryIntervalMs?: number;
  readonly metrics?: UploadMetrics;
  readonly logger?: Logger;
  readonly clock?: () => number;
}

/** Where a restored stream stands: the next run continues after it, behind a discontinuity. */
interface Continuation {
  readonly nextMsn: number;
  readonly nextPart: number;
}

/** ffmpeg's part file name (`p<N>.m4s`, LOW_LATENCY_PART_FILE_PATTERN) -> N. */
function partFileNumber(uri: string): number | undefined {
  const match = /^p(\d+)\.m4s$/.exec(uri);
  return match ? Number(match[1]) : undefined;
}

const PROGRAM_DATE_TIME = '#EXT-X-PROGRAM-DATE-TIME:';

/** Complete segments every rung lists before the master playlist is published (see maybePublishMaster). */
const MASTER_AFTER_SEGMENTS = 2;

interface PendingUpload {
  readonly request: PutObjectRequest;
  /** After the put succeeded, with its time. */
  readonly done?: (ms: number) => void;
}

class RungPipeline {
  readonly rung: string;
  readonly dir: string;
  readonly keyPrefix: string;
  packager: PartPackager | undefined;
  published = false;
  private init: { tracks: InitTracks; storeName: string } | undefined;
  private nextFile = 0;
  private runStart = 0;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private lastPdtMs: number | undefined;
  /** Uploads of parts and segments the packager has taken in, in order; the playlist waits for them. */
  private readonly pending: PendingUpload[] = [];
  /** The packager holds parts no published playlist lists yet. */
  private unpublished = false;
  private mediaEpochMs: number | undefined;

  constructor(
    rung: string,
    dir: string,
    keyPrefix: string,
    private readonly owner: LowLatencyUploader,
  ) {
    this.rung = rung;
    this.dir = dir;
    this.keyPrefix = keyPrefix;
  }

  beginRun(start: RunStart, msn: number, discontinuity: boolean, options: LowLatencyUploaderOptions, mediaEpochMs?: number): void {
    this.init = undefined;
    this.mediaEpochMs = mediaEpochMs;
    this.nextFile = start.startNumber;
    this.runStart = start.startNumber;
    this.lastPdtMs = undefined;
    this.unpublished = false;
    this.packager = new PartPackager({
      partTargetSec: options.partDurationSec,
      segmentTargetSec: options.segmentDurationSec,
      windowSegments: options.windowSegments ?? 15,
      initUri: initStoreName(initSegmentName(this.rung), start.startNumber),
      firstMsn: msn,
      firstPartNumber: start.startNumber,
      discontinuity,
    });
  }

  /** Schedules a pass over ffmpeg's playlist; passes run one at a time, in order. */
  requestSync(): Promise<void> {
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain
      .then(async () => {
        this.queued = false;
        await this.sync();
      })
      .catch((error: unknown) => {
        this.owner.context.logger.error({ rung: this.rung, error: errorMessage(error) }, 'low-latency upload pass failed');
      });
    return this.chain;
  }

  idle(): Promise<void> {
    return this.chain;
  }

  /** Adds a final step to the chain (end of stream) so it runs after every pending pass. */
  then(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step);
    return this.chain;
  }

  private async sync(): Promise<void> {
    const packager = this.packager;
    if (!packager) return;
    const text = await readFile(join(this.dir, MEDIA_PLAYLIST_NAME), 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const parsed = parseMediaPlaylist(text);
    if (!parsed.ok) return;
    const listed = new Map<number, number | undefined>();
    for (const segment of parsed.value.segments) {
      const n = partFileNumber(segment.uri);
      if (n === undefined) continue;
      const pdt = segment.tags.find((tag) => tag.startsWith(PROGRAM_DATE_TIME))?.slice(PROGRAM_DATE_TIME.length);
      listed.set(n, pdt === undefined ? undefined : Date.parse(pdt.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')));
    }
    const newest = Math.max(-1, ...listed.keys());
    if (newest >= this.nextFile) await this.ensureInit();
    while (this.nextFile <= newest && (await this.addPart(packager, this.nextFile, listed.get(this.nextFile)))) this.nextFile++;
    // Everything the packager took in goes up before the playlist that lists it. A put
    // that failed (after its retries) stays queued: the next pass tries it again before
    // publishing, and the packager never sees a part twice.
    while (this.pending.length > 0) {
      const upload = this.pending[0] as PendingUpload;
      const ms = await putObject(this.owner.context, upload.request);
      this.pending.shift();
      upload.done?.(ms);
    }
    if (this.unpublished) {
      await this.owner.publishPlaylist(this);
      this.unpublished = false;
    }
  }

  private async ensureInit(): Promise<void> {
    if (this.init) return;
    const localName = initSegmentName(this.rung);
    const bytes = await readFile(join(this.dir, localName));
    const tracks = readInitSegment(bytes);
    if (!tracks.ok) throw new Error(`ffmpeg's init segment ${localName} cannot be read: ${tracks.error.message}`);
    const storeName = initStoreName(localName, this.runStart);
    await putObject(this.owner.context, { kind: 'init', key: joinKey(this.keyPrefix, storeName), body: bytes });
    this.init = { tracks: tracks.value, storeName };
  }

  /**
   * Hands one part file to the packager and queues its uploads. False when the file is
   * not there yet (a later pass retries it); a part that cannot be read is skipped with
   * an error logged, so one bad file does not stop the stream.
   */
  private async addPart(packager: PartPackager, fileNumber: number, pdtMs: number | undefined): Promise<boolean> {
    const file = join(this.dir, `p${fileNumber}.m4s`);
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes || !this.init) return false;
    const facts = describeFragment(bytes, this.init.tracks);
    if (!facts.ok) {
      this.owner.context.logger.error({ rung: this.rung, file, error: facts.error.message }, 'part file cannot be read; skipped');
      return true;
    }
    // A known media epoch (a test source whose clock is burnt in from it) dates each part
    // by its own decode time, so the program date-time matches the picture's clock; ffmpeg's
    // own date is its wall clock when the muxer started, later than the first frame by
    // the encoder's start-up, which would make every latency figure look better than it is.
    const programDateTimeMs =
      this.mediaEpochMs !== undefined ? this.mediaEpochMs + facts.value.decodeTimeSec * 1000 : (pdtMs ?? this.lastPdtMs);
    const step = packager.addPart({
      bytes,
      durationSec: facts.value.durationSec,
      independent: facts.value.independent,
      ...(programDateTimeMs === undefined ? {} : { programDateTimeMs }),
    });
    if (programDateTimeMs !== undefined) this.lastPdtMs = programDateTimeMs + facts.value.durationSec * 1000;
    if (step.partNumber !== fileNumber) {
      this.owner.context.logger.warn({ rung: this.rung, fileNumber, partNumber: step.partNumber }, 'part numbering drifted from ffmpeg');
    }
    for (const problem of step.problems) this.owner.context.logger.warn({ rung: this.rung, problem }, 'low-latency packaging problem');
    this.pending.push({
      request: { kind: 'part', key: joinKey(this.keyPrefix, step.partUri), body: bytes, budgetSec: facts.value.durationSec },
      done: () => void unlink(file).catch(() => undefined),
    });
    const segment = step.completedSegment;
    if (segment) {
      const key = joinKey(this.keyPrefix, segment.uri);
      this.pending.push({
        request: { kind: 'segment', key, body: segment.bytes, budgetSec: segment.durationSec },
        done: (ms) => this.owner.emitEvent('segment', { rung: this.rung, key, bytes: segment.bytes.length, ms }),
      });
    }
    this.owner.expire(this.keyPrefix, step.expiredUris);
    this.unpublished = true;
    return true;
  }
}

export class LowLatencyUploader extends EventEmitter<UploaderEvents> {
  readonly masterKey: string;
  /** @internal shared with the rung pipelines */
  readonly context: PutObjectContext;
  private readonly options: LowLatencyUploaderOptions;
  private readonly pipelines: RungPipeline[];
  private readonly expiries = new ExpirySchedule();
  private readonly watchers: FSWatcher[] = [];
  private continuation: Continuation;
  private pollTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private deleting: Promise<void> = Promise.resolve();
  private masterPut: Promise<void> | undefined;
  private masterIsPublished = false;
  private runs = 0;
  private closed = false;

  /** Creates the local directories and finds where an already published stream stands. */
  static async open(options: LowLatencyUploaderOptions): Promise<LowLatencyUploader> {
    await Promise.all(options.rungs.map((rung) => mkdir(join(options.workDir, rung), { recursive: true })));
    let continuation: Continuation = { nextMsn: 0, nextPart: 0 };
    for (const rung of options.rungs) {
      const found = await restoredPosition(options, rung);
      continuation = {
        nextMsn: Math.max(continuation.nextMsn, found.nextMsn),
        nextPart: Math.max(continuation.nextPart, found.nextPart),
      };
    }
    return new LowLatencyUploader(options, continuation);
  }

  private constructor(options: LowLatencyUploaderOptions, continuation: Continuation) {
    super();
    this.options = options;
    this.continuation = continuation;
    this.masterKey = joinKey(options.keyPrefix, MASTER_PLAYLIST_NAME);
    this.context = {
      store: options.store,
      retry: options.retry ?? DEFAULT_UPLOAD_RETRY,
      metrics: options.metrics ?? createUploadMetrics(),
      logger: (options.logger ?? silentLogger()).child({ component: 'uploader', lowLatency: true }),
      emit: (event, ...args) => this.emitEvent(event, ...args),
      clock: options.clock ?? Date.now,
    };
    this.pipelines = options.rungs.map(
      (rung) => new RungPipeline(rung, join(options.workDir, rung), joinKey(options.keyPrefix, rung), this),
    );
  }

  get masterPublished(): boolean {
    return this.masterIsPublished;
  }

  /**
   * Where the next ffmpeg run starts: its part numbers (ffmpeg's -start_number) continue
   * after every part this stream has published, and a run after the first starts a new
   * segment behind EXT-X-DISCONTINUITY. Clears what the previous run left locally.
   * `mediaEpochMs`: the wall clock at media time 0, when known (a test source).
   */
  async beginRun(options: { readonly mediaEpochMs?: number } = {}): Promise<RunStart> {
    const discontinuity = this.runs > 0 || this.continuation.nextMsn > 0;
    const start: RunStart = { startNumber: this.continuation.nextPart, discontinuity };
    for (const pipeline of this.pipelines) await emptyDir(pipeline.dir);
    for (const pipeline of this.pipelines)
      pipeline.beginRun(start, this.continuation.nextMsn, discontinuity, this.options, options.mediaEpochMs);
    this.runs++;
    this.startWatching();
    return start;
  }

  /** After ffmpeg exited: uploads the parts it wrote last; the next run continues after them. */
  async endRun(): Promise<void> {
    await Promise.all(this.pipelines.map((pipeline) => pipeline.requestSync()));
    await this.masterPut;
    let nextMsn = this.continuation.nextMsn;
    let nextPart = this.continuation.nextPart;
    for (const pipeline of this.pipelines) {
      const position = pipeline.packager?.position();
      if (!position) continue;
      // The parts of an unfinished segment are dropped from the next run's playlists,
      // so the next run starts after them, and after the part the preload hint named.
      nextMsn = Math.max(nextMsn, position.nextMsn + 1);
      nextPart = Math.max(nextPart, position.nextPartNumber + 1);
    }
    this.continuation = { nextMsn, nextPart };
  }

  /** Live end: the parts in progress become a last segment, and the playlists get EXT-X-ENDLIST. */
  async finish(options: { readonly endList: boolean }): Promise<void> {
    if (!options.endList) return;
    await Promise.all(
      this.pipelines.map((pipeline) =>
        pipeline.then(async () => {
          const packager = pipeline.packager;
          if (!packager) return;
          const last = packager.flush();
          if (last?.completedSegment) {
            await putObject(this.context, {
              kind: 'segment',
              key: joinKey(pipeline.keyPrefix, last.completedSegment.uri),
              body: last.completedSegment.bytes,
            });
          }
          await putObject(this.context, {
            kind: 'playlist',
            key: joinKey(pipeline.keyPrefix, MEDIA_PLAYLIST_NAME),
            body: packager.finalPlaylist(),
          });
        }),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    clearInterval(this.expiryTimer);
    await Promise.all(this.pipelines.map((pipeline) => pipeline.idle()));
    this.deleteDue();
    await this.deleting;
  }

  /** @internal Puts a rung's playlist with the other rungs' reports, then maybe the master. */
  async publishPlaylist(pipeline: RungPipeline): Promise<void> {
    const packager = pipeline.packager;
    if (!packager) return;
    const reports: RenditionReport[] = [];
    for (const other of this.pipelines) {
      if (other === pipeline || !other.packager || !other.published) continue;
      const report = other.packager.report(`../${other.rung}/${MEDIA_PLAYLIST_NAME}`);
      if (report) reports.push(report);
    }
    const key = joinKey(pipeline.keyPrefix, MEDIA_PLAYLIST_NAME);
    await putObject(this.context, { kind: 'playlist', key, body: packager.playlist(reports) });
    pipeline.published = true;
    const position = packager.position();
    this.emitEvent('playlist', {
      rung: pipeline.rung,
      key,
      mediaSequence: position.mediaSequence,
      lastMsn: position.lastCompleteMsn,
      segments: position.segments,
      endList: false,
    });
    await this.maybePublishMaster();
  }

  /** @internal Schedules the deletion of objects no playlist lists any more. */
  expire(keyPrefix: string, uris: readonly string[]): void {
    if (uris.length === 0) return;
    const window = (this.options.windowSegments ?? 15) * this.options.segmentDurationSec;
    const dueAt = this.context.clock() + gracePeriodMs(this.options.segmentDurationSec, window);
    for (const uri of uris) this.expiries.add(joinKey(keyPrefix, uri), dueAt);
  }

  /** @internal */
  emitEvent<E extends keyof UploaderEvents>(event: E, ...args: UploaderEvents[E]): void {
    try {
      this.emit(event, ...(args as never));
    } catch (error) {
      this.context.logger.error({ event, error: errorMessage(error) }, 'an uploader event listener threw');
    }
  }

  /**
   * The master goes up once every rung lists two complete segments, not at its first
   * playlist: Shaka Player 5.2 guesses a stream's container from a segment of each media
   * playlist, and on a playlist with only the parts of its first segment it fails to load
   * (a TypeError in its HLS parser); players joining then also have PART-HOLD-BACK of
   * media to start from. It costs the stream's first viewers about 4 s once, at its start.
   */
  private maybePublishMaster(): Promise<void> {
    const ready = (pipeline: RungPipeline) => pipeline.published && (pipeline.packager?.position().segments ?? 0) >= MASTER_AFTER_SEGMENTS;
    if (this.masterIsPublished || !this.pipelines.every(ready)) return this.masterPut ?? Promise.resolve();
    this.masterPut ??= putObject(this.context, { kind: 'master', key: this.masterKey, body: this.options.masterPlaylist }).then(
      () => {
        this.masterIsPublished = true;
        this.emitEvent('master', { key: this.masterKey });
      },
      () => {
        this.masterPut = undefined;
      },
    );
    return this.masterPut;
  }

  private startWatching(): void {
    if (this.pollTimer || this.closed) return;
    for (const pipeline of this.pipelines) {
      try {
        const watcher = watch(pipeline.dir, (_event, name) => {
          // ffmpeg renames index.m3u8.tmp over index.m3u8 once a part is complete.
          if (name?.toString() === MEDIA_PLAYLIST_NAME) void pipeline.requestSync();
        });
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // The poll below is the guarantee; the watch only makes it prompt.
      }
    }
    this.pollTimer = setInterval(() => {
      for (const pipeline of this.pipelines) void pipeline.requestSync();
    }, this.options.pollIntervalMs ?? 100);
    this.expiryTimer ??= setInterval(() => this.deleteDue(), this.options.expiryIntervalMs ?? 1_000);
  }

  private stopWatching(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    for (const watcher of this.watchers.splice(0)) watcher.close();
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
          this.emitEvent('expired', { key });
        } catch (error) {
          metrics.deletes.inc({ outcome: 'error' });
          logger.warn({ key, error: errorMessage(error) }, 'could not delete an expired object');
        }
      }
    });
  }
}

/** The next segment and part numbers after what a published playlist of this rung shows. */
async function restoredPosition(options: LowLatencyUploaderOptions, rung: string): Promise<Continuation> {
  const found = await options.store.get(joinKey(options.keyPrefix, rung, MEDIA_PLAYLIST_NAME));
  if (found.kind !== 'body') return { nextMsn: 0, nextPart: 0 };
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed = parseMediaPlaylist(text);
  const lastMsn = parsed.ok ? (parsed.value.segments.at(-1)?.msn ?? parsed.value.mediaSequence - 1) : -1;
  let highestPart = -1;
  for (const match of text.matchAll(/part(\d+)\.m4s/g)) highestPart = Math.max(highestPart, Number(match[1]));
  // One past the in-progress segment and the hinted part: neither is continued.
  return { nextMsn: lastMsn + 2, nextPart: highestPart + 1 };
}

async function emptyDir(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(join(dir, name), { recursive: true, force: true })));
}
