/** A real store that also counts reads per key: how tests see how often edges went to the origin. */
import type { GetOptions, GetResult, ObjectStore } from '../../src/origin-store/index.js';

export interface CountingStore extends ObjectStore {
  reads(key: string): number;
  /** Every key read at least once, in the order first read. */
  readKeys(): string[];
  /** Reads of `key` that found it (a body or 304), as they settle: `reads` also counts misses. */
  found(key: string): number;
}

export function countingStore(inner: ObjectStore): CountingStore {
  const counts = new Map<string, number>();
  const founds = new Map<string, number>();
  return {
    description: inner.description,
    put: (key, body, options) => inner.put(key, body, options),
    get: (key: string, options?: GetOptions): Promise<GetResult> => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const result = inner.get(key, options);
      // Observed beside the caller, who gets the inner promise itself.
      void result.then(
        (r) => {
          if (r.kind === 'body' || r.kind === 'not-modified') founds.set(key, (founds.get(key) ?? 0) + 1);
        },
        () => undefined,
      );
      return result;
    },
    head: (key) => inner.head(key),
    list: (prefix, options) => inner.list(prefix, options),
    delete: (key) => inner.delete(key),
    check: () => inner.check(),
    close: () => inner.close(),
    reads: (key) => counts.get(key) ?? 0,
    readKeys: () => [...counts.keys()],
    found: (key) => founds.get(key) ?? 0,
  };
}
