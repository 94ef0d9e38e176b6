/**
 * A map bounded in entries and in total weight (bytes of playlist text), whose
 * entries expire at a time the caller gives. The rewriter's caches are keyed
 * by request shapes viewers control (paths, LL-HLS parameters), so they must
 * never grow without bound. Eviction is oldest-inserted first, which for
 * playlist caches (entries replaced on every refresh) is close to LRU at no
 * per-hit cost. An expired entry stays readable through `peek` until it is
 * evicted or replaced, so a refresh can tell whether the text changed.
 * Pure: time comes in as `now`.
 */

interface Slot<V> {
  value: V;
  /** ms since the epoch, exclusive; Infinity for "never". */
  expiresAt: number;
  weight: number;
}

export interface BoundedCacheOptions<V> {
  maxEntries: number;
  /** Bound of the summed weights. @defaultValue Infinity */
  maxWeight?: number;
  /** Weight of a value, e.g. its text length. @defaultValue () => 0 */
  weigh?: (value: V) => number;
}

export class BoundedCache<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  private readonly maxEntries: number;
  private readonly maxWeight: number;
  private readonly weigh: (value: V) => number;
  private totalWeight = 0;

  constructor(options: BoundedCacheOptions<V>) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1)
      throw new RangeError(`maxEntries must be an integer >= 1, got ${options.maxEntries}`);
    this.maxEntries = options.maxEntries;
    this.maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    this.weigh = options.weigh ?? (() => 0);
  }

  /** The value if present and not expired at `now`. */
  get(key: K, now: number): V | undefined {
    const slot = this.slots.get(key);
    return slot !== undefined && now < slot.expiresAt ? slot.value : undefined;
  }

  /** The value even if expired. */
  peek(key: K): V | undefined {
    return this.slots.get(key)?.value;
  }

  /** Stores `value` until `expiresAt` (exclusive), evicting the oldest entries beyond the bounds. */
  set(key: K, value: V, expiresAt: number): void {
    // Re-inserting moves the key to the young end of the Map's insertion order.
    this.delete(key);
    const weight = this.weigh(value);
    this.slots.set(key, { value, expiresAt, weight });
    this.totalWeight += weight;
    while (this.slots.size > this.maxEntries || (this.totalWeight > this.maxWeight && this.slots.size > 1)) {
      const oldest = this.slots.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.totalWeight -= slot.weight;
    this.slots.delete(key);
  }

  get size(): number {
    return this.slots.size;
  }

  get weight(): number {
    return this.totalWeight;
  }
}
