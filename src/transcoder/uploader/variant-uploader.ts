/**
 * Uploads one variant (one rung directory) in the one order that is safe for players:
 * every segment and the init segment a playlist lists are in the store before that
 * playlist is; playlist syncs run one at a time (a queue per variant), each reading
 * the newest text ffmpeg wrote, so an older playlist can never overwrite a newer one
 * (livekit egress #41). Segments go up as soon as ffmpeg renames them into place
 * (temp_file flag), not when the playlist lists them, to keep latency low; the local
 * file is removed once it is in the store. fMP4 init segments are written in place
 * (no temp file) and completed with the first segment, so they go up only when a
 * playlist names them.
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { MEDIA_PLAYLIST_NAME } from '../shared/output-layout.js';
import { gracePeriodMs } from './expiry-schedule.js';
import type { LiveWindow } from './live-window.js';
import { parseMediaPlaylist } from './media-playlist.js';
import type { MediaPlaylist } from './media-playlist.js';
import { putObject } from './put-object.js';
import type { PutObjectContext } from './put-object.js';
import { initStoreName, joinKey, segmentNumber } from './store-names.js';

export interface VariantUploaderOptions {
  readonly rung: string;
  /** Local directory ffmpeg writes this variant into. */
  readonly dir: string;
  /** Store key prefix of this variant (`<task prefix>/<rung>`). */
  readonly keyPrefix: string;
  /** The live window; undefined for VOD, whose playlist is published once, complete. */
  readonly window: LiveWindow | undefined;
  readonly segmentDurationSec: number;
  readonly context: PutObjectContext;
  /** Schedules the deletion of a key that no playlist lists any more. */
  readonly expire: (key: string, dueAtMs: number) => void;
}

export class VariantUploader {
  readonly rung: string;
  private readonly options: VariantUploaderOptions;
  private readonly uploads = new Map<string, Promise<void>>();
  /** Uploaded in this run but not yet listed by a published playlist. */
  private readonly unlisted = new Set<string>();
  private runStart = 0;
  private mediaEpochMs: number | undefined;
  private initUploaded: string | undefined;
  private lastText: string | undefined;
  private maxFileMsn = -1;
  private syncChain: Promise<void> = Promise.resolve();
  private syncQueued = false;
  private publishedCount = 0;
  private finalPublished = false;

  constructor(options: VariantUploaderOptions) {
    this.rung = options.rung;
    this.options = options;
  }

  /** Highest media sequence number seen, listed or only written as a file. */
  get highestMsn(): number {
    return Math.max(this.options.window?.lastMsn ?? -1, this.maxFileMsn);
  }

  /** Playlists published so far (live), or whether the final one is (VOD). */
  get published(): boolean {
    return this.options.window ? this.publishedCount > 0 : this.finalPublished;
  }

  /**
   * Prepares for a new ffmpeg run writing from `startNumber`; the previous run must be idle.
   * `mediaEpochMs`: the wall clock at the run's media time 0, when known (a test source).
   */
  beginRun(startNumber: number, mediaEpochMs?: number): void {
    this.mediaEpochMs = mediaEpochMs;
    const now = this.options.context.clock();
    // Segments of a killed run that went up but were never listed: nobody can have them.
    for (const name of this.unlisted) this.options.expire(this.key(name), now + gracePeriodMs(this.options.segmentDurationSec, 0));
    this.unlisted.clear();
    this.uploads.clear();
    this.runStart = startNumber;
    this.initUploaded = undefined;
    this.lastText = undefined;
  }

  /** A file appeared or changed in the variant directory. */
  noticeFile(name: string): void {
    if (name === MEDIA_PLAYLIST_NAME) {
      this.requestSync();
      return;
    }
    const msn = segmentNumber(name);
    if (msn === undefined) return;
    this.maxFileMsn = Math.max(this.maxFileMsn, msn);
    const last = this.options.window?.lastMsn;
    if (last !== undefined && msn <= last) return;
    this.ensureUpload(name).catch(() => undefined);
  }

  /** Queues a playlist sync unless one is already waiting (it will read the newest text). */
  requestSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    this.syncChain = this.syncChain.then(async () => {
      this.syncQueued = false;
      try {
        await this.sync();
      } catch (error) {
        this.options.context.logger.warn(
          { rung: this.rung, error: errorMessage(error) },
          'playlist sync failed; the next change retries it',
        );
      }
    });
  }

  /** Resolves when no sync is queued or running and every started upload has settled. */
  async idle(): Promise<void> {
    for (;;) {
      const chain = this.syncChain;
      await chain;
      await Promise.allSettled([...this.uploads.values()]);
      if (chain === this.syncChain && !this.syncQueued) return;
    }
  }

  /** Live: publishes the window once more, with EXT-X-ENDLIST (the event is over). */
  async publishEnd(): Promise<void> {
    const window = this.options.window;
    if (!window || window.lastMsn === undefined) return;
    await this.putPlaylist(window.render({ endList: true }), {
      endList: true,
      mediaSequence: window.firstMsn ?? 0,
      lastMsn: window.lastMsn,
      segments: window.entries().length,
    });
  }

  private key(name: string): string {
    return joinKey(this.options.keyPrefix, name);
  }

  private ensureUpload(name: string): Promise<void> {
    const existing = this.uploads.get(name);
    if (existing) return existing;
    const upload = this.uploadSegment(name);
    this.uploads.set(name, upload);
    upload.catch(() => {
      // Let a later sync try again.
      if (this.uploads.get(name) === upload) this.uploads.delete(name);
    });
    return upload;
  }

  private async uploadSegment(name: string): Promise<void> {
    const path = join(this.options.dir, name);
    const body = await readFile(path);
    const key = this.key(name);
    const ms = await putObject(this.options.context, { kind: 'segment', key, body, budgetSec: this.options.segmentDurationSec });
    this.unlisted.add(name);
    await unlink(path).catch(() => undefined);
    this.options.context.emit('segment', { rung: this.rung, key, bytes: body.length, ms });
  }

  private async uploadInit(localName: string, storeName: string): Promise<void> {
    if (this.initUploaded === storeName) return;
    const body = await readFile(join(this.options.dir, localName));
    await putObject(this.options.context, { kind: 'init', key: this.key(storeName), body });
    this.initUploaded = storeName;
  }

  private async sync(): Promise<void> {
    const text = await readFile(join(this.options.dir, MEDIA_PLAYLIST_NAME), 'utf8').catch(() => undefined);
    if (text === undefined || text === this.lastText) return;
    const parsed = parseMediaPlaylist(text);
    if (!parsed.ok) {
      this.options.context.logger.warn({ rung: this.rung, error: parsed.error.message }, 'ffmpeg wrote a playlist we cannot read');
      this.lastText = text;
      return;
    }
    if (this.options.window) await this.syncLive(parsed.value);
    else await this.syncVod(parsed.value, text);
    this.lastText = text;
  }

  private async syncLive(playlist: MediaPlaylist): Promise<void> {
    const window = this.options.window as LiveWindow;
    const last = window.lastMsn;
    const fresh = playlist.segments.filter((segment) => last === undefined || segment.msn > last);
    if (fresh.length === 0) return;
    const localMap = fresh.find((segment) => segment.mapUri !== undefined)?.mapUri;
    const storeMap = localMap === undefined ? undefined : initStoreName(localMap, this.runStart);
    if (localMap !== undefined && storeMap !== undefined) await this.uploadInit(localMap, storeMap);
    await Promise.all(fresh.map((segment) => this.ensureUpload(segment.uri)));

    const before = window.durationSec();
    const renamed = playlist.segments.map((segment) => ({
      ...segment,
      mapUri: segment.mapUri === undefined ? undefined : initStoreName(segment.mapUri, this.runStart),
      tags: this.datedTags(segment),
    }));
    const { evicted } = window.merge({ ...playlist, segments: renamed });
    await this.putPlaylist(window.render(), {
      endList: false,
      mediaSequence: window.firstMsn ?? 0,
      lastMsn: window.lastMsn,
      segments: window.entries().length,
    });
    for (const segment of fresh) this.unlisted.delete(segment.uri);
    this.forgetBefore(window.firstMsn ?? 0);

    const now = this.options.context.clock();
    const listed = Math.max(before, window.durationSec());
    for (const gone of evicted) {
      for (const uri of [gone.uri, gone.mapUri]) {
        if (uri !== undefined && !window.references(uri)) this.options.expire(this.key(uri), now + gracePeriodMs(gone.durationSec, listed));
      }
    }
    // Uploaded early but skipped (a playlist version we never saw): it can no longer be listed.
    for (const name of this.unlisted) {
      const msn = segmentNumber(name);
      if (msn === undefined || msn > (window.lastMsn ?? -1) || window.references(name)) continue;
      this.unlisted.delete(name);
      this.options.expire(this.key(name), now + gracePeriodMs(this.options.segmentDurationSec, listed));
    }
  }

  /**
   * With a known media epoch (a test source, whose picture clock counts from it), a
   * segment's program date-time is the epoch plus its media start (segments are whole
   * GOPs of the segment duration), not ffmpeg's: ffmpeg dates the stream from its own
   * wall clock when the muxer started, later than the first frame by the encoder's
   * start-up, which would make latency figures look better than a viewer sees them.
   */
  private datedTags(segment: MediaPlaylist['segments'][number]): readonly string[] {
    if (this.mediaEpochMs === undefined || segment.msn < this.runStart) return segment.tags;
    const startMs = this.mediaEpochMs + (segment.msn - this.runStart) * this.options.segmentDurationSec * 1000;
    return segment.tags.map((tag) =>
      tag.startsWith('#EXT-X-PROGRAM-DATE-TIME:') ? `#EXT-X-PROGRAM-DATE-TIME:${new Date(startMs).toISOString()}` : tag,
    );
  }

  /** Drops the bookkeeping of uploads that slid out of the window (a live run can last for days). */
  private forgetBefore(firstMsn: number): void {
    for (const name of this.uploads.keys()) {
      const msn = segmentNumber(name);
      if (msn !== undefined && msn < firstMsn) this.uploads.delete(name);
    }
  }

  private async syncVod(playlist: MediaPlaylist, text: string): Promise<void> {
    const uploads = playlist.segments.map((segment) => this.ensureUpload(segment.uri));
    // A VOD playlist is published once, complete: PLAYLIST-TYPE:VOD promises it never changes.
    if (!playlist.endList) {
      await Promise.allSettled(uploads);
      return;
    }
    const map = playlist.segments.find((segment) => segment.mapUri !== undefined)?.mapUri;
    if (map !== undefined) await this.uploadInit(map, map);
    await Promise.all(uploads);
    const lastMsn = playlist.segments.at(-1)?.msn;
    await this.putPlaylist(text, { endList: true, mediaSequence: playlist.mediaSequence, lastMsn, segments: playlist.segments.length });
    this.unlisted.clear();
    this.finalPublished = true;
  }

  private async putPlaylist(
    body: string,
    facts: { endList: boolean; mediaSequence: number; lastMsn: number | undefined; segments: number },
  ): Promise<void> {
    const key = this.key(MEDIA_PLAYLIST_NAME);
    await putObject(this.options.context, { kind: 'playlist', key, body });
    this.publishedCount += 1;
    this.options.context.emit('playlist', { rung: this.rung, key, ...facts });
  }
}
