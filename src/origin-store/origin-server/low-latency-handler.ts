/**
 * LL-HLS at the origin (RFC 8216bis 6.2.5, 6.2.6): decides what a playlist
 * request with Delivery Directives gets (the playlist, a delta update, a 400, a
 * wait, a 503 on timeout) and whether a request for a missing object may wait
 * for it (a preload hint). The rules are the pure modules of `../low-latency/`;
 * the waiting is `StoreWatch`; the HTTP mapping is `origin-app.ts`. Counts
 * what it does in `hlscdn_origin_ll_*` metrics.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import type { Result } from '../../core/result.js';
import {
  blockingTimeoutMs,
  decideBlocking,
  isSatisfied,
  readDeliveryDirectives,
  type BlockingRequest,
  type SkipDirective,
} from '../low-latency/blocking-request.js';
import { deltaUpdate } from '../low-latency/delta-update.js';
import { readPlaylistProgress, type PlaylistProgress, type PlaylistProgressProblem } from '../low-latency/playlist-progress.js';
import { hintedKeys, playlistKeyBeside } from '../low-latency/preload-hint.js';
import type { ObjectMeta, ObjectStore } from '../object-store.js';
import type { StoreChanges } from '../store-changes.js';
import { StoreWatch, type Snapshot, type WaitOutcome } from './store-watch.js';

/** The `origin.lowLatency` settings. */
export interface LowLatencyOptions {
  /** How often a waited-on key is checked (`head()`) when no `StoreChanges` is given. @defaultValue 50 */
  pollIntervalMs?: number;
  /** Requests held at once (playlists and hinted parts); beyond it, 503. @defaultValue 10_000 */
  maxWaiters?: number;
}

export interface LowLatencyHandlerOptions extends LowLatencyOptions {
  store: ObjectStore;
  logger: Logger;
  registry: Registry;
  changes?: StoreChanges;
}

/** What a playlist request with `_HLS_*` directives is answered. */
export type PlaylistAnswer =
  /** Serve the stored object as for a request without directives. */
  | { kind: 'plain' }
  | {
      kind: 'playlist';
      text: string;
      meta: ObjectMeta;
      /** The stored ETag, or one derived from it when the text is a delta update. */
      etag: string;
      cacheControl: string | undefined;
    }
  | LowLatencyRefusal;

export type LowLatencyRefusal = { kind: 'refusal'; status: 400 | 404 | 503; code: string; message: string };

export type HintedObjectAnswer = { kind: 'stored' } | LowLatencyRefusal;

type Kind = 'playlist' | 'preload-hint';
type Outcome = 'immediate' | 'satisfied' | 'ignored' | 'rejected' | 'timeout' | 'aborted' | 'overloaded' | 'closed' | 'not-hinted' | 'gone';

/**
 * Appendix B.1 of RFC 8216bis: "Successful responses to blocking Playlist requests should be cached for six
 * Target Durations." Such a response answers a request for a fixed point in the stream (`_HLS_msn`/`_HLS_part`):
 * whoever asks for that point later is correctly served the same playlist, which is why it may be cached
 * although the live playlist moves on every part; edges must key it by the `_HLS_*` arguments (nginx/README.md,
 * "Cache keys"), or one point's answer would be served for another. Six target durations (12 s for the usual 2 s
 * segments) is still short next to the segments' week.
 */
export const blockingAnswerTargetDurations = 6;

export class LowLatencyHandler {
  private readonly watch: StoreWatch;
  private readonly progressMemo = new WeakMap<Snapshot, Result<PlaylistProgress, PlaylistProgressProblem>>();
  private readonly waiting: Gauge<'kind'>;
  private readonly blocked: Histogram<'kind' | 'outcome'>;
  private readonly outcomes: Counter<'kind' | 'outcome'>;

  constructor(private readonly options: LowLatencyHandlerOptions) {
    const { registry } = options;
    const storeCalls = new Counter({
      name: 'hlscdn_origin_ll_store_requests_total',
      help: 'Store calls made to watch keys that LL-HLS requests wait on (head: polls and revalidations; get: reads, conditional when notified)',
      labelNames: ['call'] as const,
      registers: [registry],
    });
    this.watch = new StoreWatch({
      store: options.store,
      logger: options.logger,
      changes: options.changes,
      pollIntervalMs: options.pollIntervalMs,
      maxWaiters: options.maxWaiters,
      onStoreCall: (call) => storeCalls.inc({ call }),
      // Packagers end every playlist line with a newline; a body that does not was caught mid-write.
      looksWhole: (text) => text.endsWith('\n'),
    });
    this.waiting = new Gauge({
      name: 'hlscdn_origin_ll_waiting_requests',
      help: 'LL-HLS requests held until the store has what they ask for',
      labelNames: ['kind'] as const,
      registers: [registry],
    });
    this.blocked = new Histogram({
      name: 'hlscdn_origin_ll_blocked_duration_seconds',
      help: 'How long LL-HLS requests were held, by how the wait ended',
      labelNames: ['kind', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 4, 8, 16],
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'hlscdn_origin_ll_requests_total',
      help: 'LL-HLS requests (playlists with _HLS_* directives, missing objects that may be hinted) by outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    });
  }

  /** A GET or HEAD of playlist `key` whose query has `_HLS_*` directives. */
  async playlist(key: string, query: URLSearchParams, signal: AbortSignal): Promise<PlaylistAnswer> {
    const directives = readDeliveryDirectives(query);
    const snapshot = await this.watch.read(key, 'text');
    const progress = this.progressOf(snapshot);
    // Missing, unreadable or not a media playlist: the directives mean nothing; the plain path answers.
    if (snapshot.kind === 'missing' || progress === undefined || !progress.ok) return { kind: 'plain' };
    const decision = decideBlocking(progress.value, directives.blocking);
    if (decision.kind === 'reject') {
      this.count('playlist', 'rejected');
      return refusal(400, decision.problem.code, decision.problem.message);
    }
    if (decision.kind === 'ignore') {
      this.count('playlist', 'ignored');
      return directives.skip ? this.answer(snapshot, directives.skip, false) : { kind: 'plain' };
    }
    if (isSatisfied(progress.value, decision.request)) {
      this.count('playlist', 'immediate');
      return this.answer(snapshot, directives.skip, true);
    }
    const timeoutMs = blockingTimeoutMs(progress.value);
    const outcome = await this.timed('playlist', () =>
      this.watch.wait(key, 'text', (next) => this.settles(next, decision.request), { timeoutMs, signal }),
    );
    if (outcome.kind === 'done') {
      const next = outcome.value;
      if (next.kind === 'missing') return refusal(404, 'not-found', `the playlist ${key} was removed while the request waited`);
      return this.answer(next, directives.skip, true);
    }
    if (outcome.kind === 'timeout') {
      return refusal(
        503,
        'blocking-timeout',
        `the playlist did not reach ${describe(decision.request)} within ${timeoutMs} ms, three target durations (RFC 8216bis 6.2.5.2)`,
      );
    }
    return this.waitRefusal(outcome);
  }

  /**
   * A GET or HEAD of `key`, which the store does not have: waits until it is stored when a preload hint of the
   * playlist beside it names it (or a part up to two after the hinted one), at most three target durations.
   */
  async hintedObject(key: string, signal: AbortSignal): Promise<HintedObjectAnswer> {
    const playlistKey = playlistKeyBeside(key);
    const notHinted = () => {
      this.count('preload-hint', 'not-hinted');
      return refusal(404, 'not-found', `no object at ${key}`);
    };
    if (playlistKey === key) return notHinted();
    const progress = this.progressOf(await this.watch.read(playlistKey, 'text'));
    if (progress === undefined || !progress.ok || progress.value.endList) return notHinted();
    if (!hintedKeys(playlistKey, progress.value.preloadHints).has(key)) return notHinted();
    // RFC 8216bis sets no bound for a hinted resource; the one it sets for blocking playlist reloads (6.2.5.2) is
    // used, so that a stalled packager fails a player's hint request and its playlist request together.
    const timeoutMs = blockingTimeoutMs(progress.value);
    const outcome = await this.timed('preload-hint', () =>
      this.watch.wait(key, 'exists', (snapshot) => (snapshot.kind === 'present' ? true : undefined), { timeoutMs, signal }),
    );
    if (outcome.kind === 'done') return { kind: 'stored' };
    if (outcome.kind === 'timeout') {
      // 6.2.6: a hinted resource the server did not publish gets "Not Found".
      return refusal(404, 'not-found', `the hinted object ${key} was not stored within ${timeoutMs} ms (three target durations)`);
    }
    return this.waitRefusal(outcome);
  }

  /** Answers every held request with 503 and stops watching. Idempotent. */
  close(): void {
    this.watch.close();
  }

  /** The snapshot itself once it satisfies the request, ends the stream, or disappears. */
  private settles(snapshot: Snapshot, request: BlockingRequest): Snapshot | undefined {
    if (snapshot.kind === 'missing') return snapshot;
    const progress = this.progressOf(snapshot);
    if (progress === undefined || !progress.ok) return undefined;
    // "A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST tag" (6.2.5.2).
    return isSatisfied(progress.value, request) || progress.value.endList ? snapshot : undefined;
  }

  private answer(snapshot: Extract<Snapshot, { kind: 'present' }>, skip: SkipDirective | undefined, blocking: boolean): PlaylistAnswer {
    const progress = this.progressOf(snapshot);
    if (snapshot.text === undefined || progress === undefined || !progress.ok) return { kind: 'plain' };
    const delta = skip ? deltaUpdate(snapshot.text, skip) : undefined;
    const deltaText = delta !== undefined && delta.skippedSegments > 0 ? delta.text : undefined;
    return {
      kind: 'playlist',
      text: deltaText ?? snapshot.text,
      meta: snapshot.meta,
      etag: deltaText === undefined ? snapshot.meta.etag : derivedEtag(snapshot.meta.etag, `skip-${skip}`),
      cacheControl:
        blocking && !progress.value.endList
          ? `public, max-age=${blockingAnswerTargetDurations * progress.value.targetDurationSec}`
          : snapshot.meta.cacheControl,
    };
  }

  private progressOf(snapshot: Snapshot): Result<PlaylistProgress, PlaylistProgressProblem> | undefined {
    if (snapshot.kind !== 'present' || snapshot.text === undefined) return undefined;
    let progress = this.progressMemo.get(snapshot);
    if (progress === undefined) {
      progress = readPlaylistProgress(snapshot.text);
      this.progressMemo.set(snapshot, progress);
    }
    return progress;
  }

  private async timed<T>(kind: Kind, wait: () => Promise<WaitOutcome<T>>): Promise<WaitOutcome<T>> {
    const started = performance.now();
    this.waiting.inc({ kind });
    let outcome: WaitOutcome<T> | undefined;
    try {
      outcome = await wait();
      return outcome;
    } finally {
      this.waiting.dec({ kind });
      const name = outcomeName(kind, outcome);
      this.blocked.observe({ kind, outcome: name }, (performance.now() - started) / 1000);
      this.count(kind, name);
    }
  }

  private waitRefusal(outcome: { kind: 'aborted' | 'overloaded' | 'closed' }): LowLatencyRefusal {
    switch (outcome.kind) {
      case 'overloaded':
        return refusal(
          503,
          'too-many-waiters',
          `the origin already holds ${this.watch.waiting} LL-HLS requests (origin.lowLatency.maxWaiters)`,
        );
      case 'closed':
        return refusal(503, 'shutting-down', 'the origin is shutting down');
      case 'aborted':
        return refusal(503, 'aborted', 'the client went away');
    }
  }

  private count(kind: Kind, outcome: Outcome): void {
    this.outcomes.inc({ kind, outcome });
  }
}

function outcomeName(kind: Kind, outcome: WaitOutcome<unknown> | undefined): Outcome {
  if (outcome === undefined) return 'aborted';
  if (outcome.kind !== 'done') return outcome.kind;
  if (kind === 'preload-hint') return 'satisfied';
  const value = outcome.value as Snapshot;
  return value.kind === 'missing' ? 'gone' : 'satisfied';
}

function refusal(status: LowLatencyRefusal['status'], code: string, message: string): LowLatencyRefusal {
  return { kind: 'refusal', status, code, message };
}

function describe(request: BlockingRequest): string {
  return request.part === undefined ? `_HLS_msn=${request.msn}` : `_HLS_msn=${request.msn}&_HLS_part=${request.part}`;
}

/** `"abc"` -> `"abc-skip-YES"`: a delta update is another representation, so it gets another strong ETag. */
function derivedEtag(etag: string, suffix: string): string {
  const weak = etag.startsWith('W/');
  const inner = (weak ? etag.slice(2) : etag).replace(/^"|"$/g, '');
  return `${weak ? 'W/' : ''}"${inner}-${suffix}"`;
}
