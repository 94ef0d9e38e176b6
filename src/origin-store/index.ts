/** The origin store: one object-storage interface, its drivers, and the origin HTTP server. */
export type { ObjectStore, ObjectMeta, PutOptions, PutBody, GetOptions, GetResult, ByteRange, ListOptions } from './object-store.js';
export { checkObjectKey, assertObjectKey, maxKeyBytes } from './object-key.js';
export { contentTypeForKey, isPlaylistKey } from './content-types.js';
export { cacheControlForKey, defaultCachePolicy, type CachePolicy } from './cache-policy.js';
export { FsObjectStore, type FsObjectStoreOptions } from './fs-object-store.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';
export { openObjectStore, type OpenObjectStoreOptions } from './open-object-store.js';
export { parseStoreUrl, describeStoreUrl, type StoreLocation } from './store-url.js';
export { storeSchema, originSchema, type StoreConfig, type OriginConfig } from './config.js';
export { openStoreFromConfig } from './store-from-config.js';
export { startOriginServer, type OriginServiceOptions } from './origin-server/origin-service.js';
export { objectKeyFromRawPath } from './origin-server/request-key.js';
export { createOriginApp, type OriginAppOptions } from './origin-server/origin-app.js';
export { observeStore, type StoreChanges, type ObserveStoreOptions } from './store-changes.js';
export type { LowLatencyOptions } from './origin-server/low-latency-handler.js';
