/** A real store that also counts reads per key: how tests see how often edges went to the origin. */
import type { GetOptions, GetResult, ObjectStore } from '../../src/origin-store/index.js';

export interface CountingStore extends ObjectStore {
  reads(key: string): number;
}

export function countingStore(inner: ObjectStore): CountingStore {
  const counts = new Map<string, number>();
  return {
    description: inner.description,
    put: (key, body, options) => inner.put(key, body, options),
    get: (key: string, options?: GetOptions): Promise<GetResult> => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return inner.get(key, options);
    },
    head: (key) => inner.head(key),
    list: (prefix, options) => inner.list(prefix, options),
    delete: (key) => inner.delete(key),
    check: () => inner.check(),
    close: () => inner.close(),
    reads: (key) => counts.get(key) ?? 0,
  };
}
