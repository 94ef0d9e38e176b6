/** Opens the object store a store URL names (see `store-url.ts`) with the matching driver. */
import { HlscdnError } from '../core/errors.js';
import type { CachePolicy } from './cache-policy.js';
import { FsObjectStore } from './fs-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';
import { parseStoreUrl } from './store-url.js';

export interface OpenObjectStoreOptions {
  /** Directory that relative `file:` paths resolve against. */
  cwd: string;
  /** S3 driver settings; the bucket and prefix come from the URL. @defaultValue {} */
  s3?: Omit<S3ObjectStoreOptions, 'bucket' | 'prefix' | 'cachePolicy'>;
  /** @defaultValue `defaultCachePolicy` */
  cachePolicy?: CachePolicy;
}

/** Throws `invalid-config` for a URL `parseStoreUrl` refuses. Opening does no I/O: `check()` does. */
export function openObjectStore(url: string, options: OpenObjectStoreOptions): ObjectStore {
  const location = parseStoreUrl(url, options.cwd);
  if (!location.ok) throw new HlscdnError('invalid-config', location.error.message);
  if (location.value.kind === 'fs') return new FsObjectStore({ root: location.value.root, cachePolicy: options.cachePolicy });
  return new S3ObjectStore({
    ...options.s3,
    bucket: location.value.bucket,
    prefix: location.value.prefix,
    cachePolicy: options.cachePolicy,
  });
}
