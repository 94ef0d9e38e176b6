/**
 * One watch per store key, shared by every request waiting on that key (LL-HLS
 * blocking playlist reloads and preload-hint requests). A watch is woken by
 * `StoreChanges` when the writer shares the process, else it polls: `head()`
 * every `pollIntervalMs`, and the body is read only when the ETag changed, once
 * for all waiters. Watches without waiters stop polling and unsubscribe but keep
 * their last snapshot (LRU-bounded), so the next request revalidates it with one
 * `head()` instead of reading the body again.
 */
import type { Readable } from 'node:stream';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ObjectMeta, ObjectStore } from '../object-store.js';
import type { StoreChanges } from '../store-changes.js';

/** `text`: the body is read (playlists); `exists`: only whether the key exists (a hinted part). */
export type WatchMode = 'text' | 'exists';

export type Snapshot =
  | { readonly kind: 'missing' }
  /** `text` is undefined in `exists` mode and for bodies over `maxTextBytes`. */
  | { readonly kind: 'present'; readonly meta: ObjectMeta; readonly text: string | undefined };

export type WaitOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  /** `maxWaiters` requests are already waiting. */
  | { kind: 'overloaded' }
  | { kind: 'closed' };

export interface StoreWatchOptions {
  store: ObjectStore;
  logger: Logger;
  /** When given, watches wait for its notifications and never poll. */
  changes?: StoreChanges;
  /** @defaultValue 50 */
  pollIntervalMs?: number;
  /** Waiters across all keys; beyond it `wait` answers `overloaded`. @defaultValue 10_000 */
  maxWaiters?: number;
  /** Watches without waiters whose snapshot is kept. @defaultValue 256 */
  maxIdleWatches?: number;
  /** A larger body is not read into memory. @defaultValue 8 MiB */
  maxTextBytes?: number;
  /** Told about every store call a watch makes (metrics). */
  onStoreCall?: (call: 'head' | 'get') => void;
  /**
   * Whether a body looks whole. A store that rewrites objects in place (s3rver does; S3 and the fs
   * driver replace them atomically) can hand out a half-written body under the new ETag: a body that
   * fails this is read again on the next round although its ETag did not change.
   * @defaultValue every body is whole
   */
  looksWhole?: (text: string) => boolean;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

interface Waiter {
  /** Returns a value once the snapshot is what the waiter wants. */
  test(snapshot: Snapshot): unknown;
  /** The last snapshot `test` saw. */
  seen: Snapshot | undefined;
  settle(outcome: WaitOutcome<unknown>): void;
}

interface Watch {
  readonly id: string;
  readonly key: string;
  readonly mode: WatchMode;
  snapshot: Snapshot | undefined;
  refreshing: Promise<void> | undefined;
  /** A change was signalled while a refresh ran: run once more. */
  again: boolean;
  /** `StoreChanges` said the key changed: the next round may skip the HEAD. */
  changed: boolean;
  readonly waiters: Set<Waiter>;
  /** Set while the watch has waiters: how it stops listening. */
  stop: (() => void) | undefined;
}

export class StoreWatch {
  private readonly watches = new Map<string, Watch>();
  /** Snapshots whose body failed `looksWhole`. */
  private readonly partial = new WeakSet<Snapshot>();
  private readonly pollIntervalMs: number;
  private readonly maxWaiters: number;
  private readonly maxIdleWatches: number;
  private readonly maxTextBytes: number;
  private waiterCount = 0;
  /** Watches with waiters; the others are idle. */
  private watchedCount = 0;
  private closed = false;

  constructor(private readonly options: StoreWatchOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.maxWaiters = options.maxWaiters ?? 10_000;
    this.maxIdleWatches = options.maxIdleWatches ?? 256;
    this.maxTextBytes = options.maxTextBytes ?? 8 * 1024 * 1024;
  }

  /** Requests waiting now, all keys together. */
  get waiting(): number {
    return this.waiterCount;
  }

  /**
   * The object as it is now. Concurrent callers share one store round; a
   * watch kept current by notifications answers from memory.
   */
  async read(key: string, mode: WatchMode): Promise<Snapshot> {
    const watch = this.watch(key, mode);
    if (watch.snapshot && watch.stop && this.options.changes && !watch.refreshing) return watch.snapshot;
    await this.refresh(watch);
    return watch.snapshot ?? { kind: 'missing' };
  }

  /**
   * Resolves once `test` returns a value other than undefined for a snapshot
   * of `key`, or on timeout, abort or close. `test` runs once per new snapshot
   * (and must not throw).
   */
  wait<T>(key: string, mode: WatchMode, test: (snapshot: Snapshot) => T | undefined, options: WaitOptions): Promise<WaitOutcome<T>> {
    if (this.closed) return Promise.resolve({ kind: 'closed' });
    if (options.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    if (this.waiterCount >= this.maxWaiters) return Promise.resolve({ kind: 'overloaded' });
    const watch = this.watch(key, mode);
    return new Promise<WaitOutcome<T>>((resolve) => {
      const onAbort = () => waiter.settle({ kind: 'aborted' });
      const timer = setTimeout(() => waiter.settle({ kind: 'timeout' }), options.timeoutMs);
      const waiter: Waiter = {
        test,
        seen: undefined,
        settle: (outcome) => {
          if (!watch.waiters.delete(waiter)) return;
          this.waiterCount -= 1;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          if (watch.waiters.size === 0) this.unwatch(watch);
          resolve(outcome as WaitOutcome<T>);
        },
      };
      watch.waiters.add(waiter);
      this.waiterCount += 1;
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (watch.stop === undefined) {
        // Listen first, then look: a change between the caller's read and now is not missed.
        this.startWatching(watch);
        this.refreshQuietly(watch);
      } else {
        this.offer(watch);
      }
    });
  }

  /** Ends every wait with `closed` and stops every watch. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const watch of this.watches.values()) for (const waiter of [...watch.waiters]) waiter.settle({ kind: 'closed' });
    this.watches.clear();
  }

  private watch(key: string, mode: WatchMode): Watch {
    const id = `${mode}:${key}`;
    let watch = this.watches.get(id);
    if (watch) {
      // Most recently used last, for the idle eviction below.
      this.watches.delete(id);
    } else {
      watch = {
        id,
        key,
        mode,
        snapshot: undefined,
        refreshing: undefined,
        again: false,
        changed: false,
        waiters: new Set(),
        stop: undefined,
      };
    }
    this.watches.set(id, watch);
    this.evictIdle();
    return watch;
  }

  private startWatching(watch: Watch): void {
    this.watchedCount += 1;
    const changes = this.options.changes;
    if (changes) {
      const unsubscribe = changes.subscribe(watch.key, () => {
        watch.changed = true;
        this.refreshQuietly(watch);
      });
      watch.stop = unsubscribe;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let active = true;
    const poll = () => {
      timer = setTimeout(() => {
        // The next poll is scheduled after this one ends, so a slow store is never asked twice at once.
        void this.refresh(watch)
          .catch((error: unknown) => this.reportFailure(watch, error))
          .finally(() => {
            if (active) poll();
          });
      }, this.pollIntervalMs);
    };
    watch.stop = () => {
      active = false;
      clearTimeout(timer);
    };
    poll();
  }

  private unwatch(watch: Watch): void {
    if (watch.stop === undefined) return;
    watch.stop();
    watch.stop = undefined;
    this.watchedCount -= 1;
    this.evictIdle();
  }

  /** Drops the least recently used idle watches beyond `maxIdleWatches`. */
  private evictIdle(): void {
    let idle = this.watches.size - this.watchedCount;
    if (idle <= this.maxIdleWatches) return;
    for (const [id, watch] of this.watches) {
      if (idle <= this.maxIdleWatches) break;
      if (watch.stop !== undefined || watch.refreshing) continue;
      this.watches.delete(id);
      idle -= 1;
    }
  }

  private refreshQuietly(watch: Watch): void {
    void this.refresh(watch).catch((error: unknown) => this.reportFailure(watch, error));
  }

  /** One store round at a time per watch; a call during a round asks for one more round after it. */
  private refresh(watch: Watch): Promise<void> {
    if (watch.refreshing) {
      watch.again = true;
      return watch.refreshing;
    }
    watch.refreshing = (async () => {
      try {
        do {
          watch.again = false;
          watch.snapshot = await this.readOnce(watch);
          this.offer(watch);
        } while (watch.again && !this.closed);
      } finally {
        watch.refreshing = undefined;
      }
    })();
    return watch.refreshing;
  }

  /** The new snapshot, or the current one (same object) when nothing changed. */
  private async readOnce(watch: Watch): Promise<Snapshot> {
    const { store, onStoreCall } = this.options;
    const current = watch.snapshot;
    const changed = watch.changed;
    watch.changed = false;
    if (changed && watch.mode === 'text' && current?.kind === 'present') {
      // Notified of a change: one conditional GET instead of HEAD then GET (the wake-up latency is one store round trip).
      onStoreCall?.('get');
      const result = await store.get(watch.key, { ifNoneMatch: [current.meta.etag] });
      if (result.kind === 'not-modified' && !this.partial.has(current)) return current;
      if (result.kind === 'not-found') return { kind: 'missing' };
      if (result.kind === 'body') {
        if (result.meta.size <= this.maxTextBytes) return this.textSnapshot(result.meta, await readText(result.body));
        result.body.destroy();
        return { kind: 'present', meta: result.meta, text: undefined };
      }
    }
    onStoreCall?.('head');
    const meta = await store.head(watch.key);
    if (meta === undefined) return current?.kind === 'missing' ? current : { kind: 'missing' };
    if (current?.kind === 'present' && current.meta.etag === meta.etag && !this.partial.has(current)) return current;
    if (watch.mode === 'exists' || meta.size > this.maxTextBytes) return { kind: 'present', meta, text: undefined };
    onStoreCall?.('get');
    const result = await store.get(watch.key);
    if (result.kind === 'not-found') return { kind: 'missing' };
    if (result.kind !== 'body') return current ?? { kind: 'missing' };
    return this.textSnapshot(result.meta, await readText(result.body));
  }

  private textSnapshot(meta: ObjectMeta, text: string): Snapshot {
    const snapshot: Snapshot = { kind: 'present', meta, text };
    if (this.options.looksWhole && !this.options.looksWhole(text)) this.partial.add(snapshot);
    return snapshot;
  }

  /** Shows the current snapshot to every waiter that has not seen it yet. */
  private offer(watch: Watch): void {
    const snapshot = watch.snapshot;
    if (snapshot === undefined) return;
    for (const waiter of [...watch.waiters]) {
      if (waiter.seen === snapshot) continue;
      waiter.seen = snapshot;
      let value: unknown;
      try {
        value = waiter.test(snapshot);
      } catch (error) {
        this.options.logger.warn({ err: error, key: watch.key }, 'a store watch test threw');
      }
      if (value !== undefined) waiter.settle({ kind: 'done', value });
    }
  }

  private reportFailure(watch: Watch, error: unknown): void {
    // Waiters keep waiting: the store may come back before they time out.
    this.options.logger.warn({ key: watch.key, err: errorMessage(error) }, 'store watch could not read the store');
  }
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}
