/**
 * Change notification for a store shared inside one process (the local stack:
 * the transcoder writes, the origin serves): `observeStore` wraps a store so
 * that every `put` and `delete` tells the subscribers of that key once the
 * inner call has resolved, i.e. once a reader can see the change. The origin
 * uses it to wake blocked LL-HLS requests at once instead of polling. Writers in
 * other processes are not seen: there, the origin polls.
 */
import type { Logger } from '../core/logger.js';
import type { ObjectStore } from './object-store.js';

export interface StoreChanges {
  /** Calls `listener` after each change of `key`; returns the unsubscribe function (idempotent). */
  subscribe(key: string, listener: () => void): () => void;
}

export interface ObserveStoreOptions {
  /** Where a throwing listener is reported; it never fails the write. @defaultValue silent */
  logger?: Logger;
}

export function observeStore(inner: ObjectStore, options: ObserveStoreOptions = {}): { store: ObjectStore; changes: StoreChanges } {
  const listeners = new Map<string, Set<() => void>>();
  const notify = (key: string): void => {
    const set = listeners.get(key);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener();
      } catch (error) {
        options.logger?.warn({ err: error, key }, 'a store change listener threw');
      }
    }
  };
  const store: ObjectStore = {
    get description() {
      return inner.description;
    },
    put: async (key, body, putOptions) => {
      const meta = await inner.put(key, body, putOptions);
      notify(key);
      return meta;
    },
    delete: async (key) => {
      await inner.delete(key);
      notify(key);
    },
    get: (key, getOptions) => inner.get(key, getOptions),
    head: (key) => inner.head(key),
    list: (prefix, listOptions) => inner.list(prefix, listOptions),
    check: () => inner.check(),
    close: () => inner.close(),
  };
  const changes: StoreChanges = {
    subscribe(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      // A wrapper per subscription, so one function subscribed twice is two subscriptions.
      const entry = () => listener();
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
      };
    },
  };
  return { store, changes };
}
