/**
 * The object storage interface every hlscdn component uses: the transcoder's
 * uploader writes through it, the origin server reads through it. Drivers:
 * `fs` (embedded default) and `s3` (any S3-compatible endpoint). One contract
 * suite (`test-support/object-store-contract.ts`) runs against each driver.
 */
import type { Readable } from 'node:stream';

export interface ObjectMeta {
  key: string;
  /** Size in bytes of the whole object. */
  size: number;
  /** Strong entity tag, quoted as in HTTP (`"abc123"`). */
  etag: string;
  lastModified: Date;
  contentType: string;
  cacheControl?: string;
}

export interface PutOptions {
  /** @defaultValue derived from the key's extension (see `content-types.ts`) */
  contentType?: string;
  /** @defaultValue derived from the key (see `cache-policy.ts`) */
  cacheControl?: string;
}

/** An inclusive byte range; `end` open means "to the end"; `suffix` means "the last N bytes". */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export interface GetOptions {
  range?: ByteRange;
  /** Entity tags from If-None-Match (`*` matches any). */
  ifNoneMatch?: readonly string[];
  /** Ignored when `ifNoneMatch` is given (RFC 9110 13.1.3). */
  ifModifiedSince?: Date;
}

export type GetResult =
  /** `body` holds a file descriptor (fs) or a socket (s3) until it is read to the end or destroyed. */
  | { kind: 'body'; meta: ObjectMeta; body: Readable; range?: { start: number; end: number } }
  | { kind: 'not-modified'; meta: ObjectMeta }
  | { kind: 'not-found' }
  | { kind: 'range-not-satisfiable'; size: number };

export type PutBody = Uint8Array | string | Readable;

export interface ListOptions {
  /** Stop after this many objects. @defaultValue unlimited */
  limit?: number;
}

export interface ObjectStore {
  /** The store's URL with any secret removed, for logs. */
  readonly description: string;
  put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectMeta>;
  get(key: string, options?: GetOptions): Promise<GetResult>;
  head(key: string): Promise<ObjectMeta | undefined>;
  /** Objects whose key starts with `prefix`, in lexicographic key order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Throws when the backend cannot be reached: used by `/readyz`. */
  check(): Promise<void>;
  close(): Promise<void>;
}
