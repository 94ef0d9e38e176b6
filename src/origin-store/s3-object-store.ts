/**
 * The `s3` object store driver, for AWS S3 and S3-compatible endpoints.
 * Small bodies go up in one PutObject, streams and big bodies as multipart
 * uploads (@aws-sdk/lib-storage). Every request goes through hlscdn's retry
 * policy (the SDK's own retries are off so the two do not multiply), and
 * where S3-compatible servers answer differently from S3 the driver copes in
 * ways that stay correct for S3 (see `planRangedBody`, the 304 handling).
 */
import type { GetObjectCommandInput, GetObjectCommandOutput, HeadObjectCommandOutput, PutObjectCommandInput } from '@aws-sdk/client-s3';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';

import { HlscdnError } from '../core/errors.js';
import { defaultRetryPolicy, type RetryPolicy } from '../core/retry.js';
import { assertByteRange, parseContentRange, planRangedBody, rangeHeaderFor, type ResolvedRange } from './byte-range.js';
import { cacheControlForKey, defaultCachePolicy, type CachePolicy } from './cache-policy.js';
import { contentTypeForKey } from './content-types.js';
import { isNotModified } from './get-conditions.js';
import { assertKeyPrefix, assertObjectKey, checkObjectKey } from './object-key.js';
import type { ByteRange, GetOptions, GetResult, ListOptions, ObjectMeta, ObjectStore, PutBody, PutOptions } from './object-store.js';
import { createS3Client, validateStoreShape, withRetries } from './s3-client.js';
import { isS3InvalidRange, isS3NoSuchKey, isS3NotModified, s3Failure, s3HttpStatus } from './s3-errors.js';
import { sliceReadable } from './slice-readable.js';

const mib = 1024 * 1024;

export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket: '' or ending in '/'. @defaultValue '' */
  prefix?: string;
  /** For S3-compatible servers, e.g. `http://127.0.0.1:9000`. @defaultValue AWS */
  endpoint?: string;
  /** @defaultValue 'us-east-1' */
  region?: string;
  /** Path-style URLs, needed by most non-AWS endpoints. @defaultValue false */
  forcePathStyle?: boolean;
  /**
   * The SDK sends CRC32 checksums by default, which some S3-compatible servers
   * reject; WHEN_REQUIRED also turns off response checksum validation.
   * @defaultValue 'WHEN_SUPPORTED'
   */
  requestChecksumCalculation?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  /** @defaultValue the SDK's default credential chain */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Byte bodies this big or bigger go up as multipart uploads; streams always do. @defaultValue 8 MiB */
  multipartThresholdBytes?: number;
  /** At least 5 MiB (S3's minimum). @defaultValue 8 MiB */
  partSizeBytes?: number;
  /** @defaultValue `defaultRetryPolicy` */
  retry?: RetryPolicy;
  /** @defaultValue `defaultCachePolicy` */
  cachePolicy?: CachePolicy;
  /** A client to use instead of one built from the options above; it should have `maxAttempts: 1`, and `close()` leaves it open. */
  client?: S3Client;
}

type ObjectHeaders = Pick<HeadObjectCommandOutput, 'ETag' | 'LastModified' | 'ContentType' | 'CacheControl'> & { size: number };

/** A ranged GET's answer: what was asked, the whole object's meta, and the range the server says it sent. */
interface RangedResponse {
  requested: ByteRange;
  meta: ObjectMeta;
  body: Readable;
  returned: ResolvedRange | undefined;
  /** Set on the second, explicit request: there is no third. */
  refetched: boolean;
}

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  /** The same client with every `send` wrapped in the retry policy; lib-storage and the paginator use it too. */
  private readonly s3: S3Client;
  private readonly ownsClient: boolean;
  private readonly thresholdBytes: number;
  private readonly partSizeBytes: number;
  private readonly cachePolicy: CachePolicy;
  private closed = false;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.thresholdBytes = options.multipartThresholdBytes ?? 8 * mib;
    this.partSizeBytes = options.partSizeBytes ?? 8 * mib;
    this.cachePolicy = options.cachePolicy ?? defaultCachePolicy;
    validateStoreShape({
      bucket: this.bucket,
      prefix: this.prefix,
      thresholdBytes: this.thresholdBytes,
      partSizeBytes: this.partSizeBytes,
    });
    this.description = `s3://${this.bucket}/${this.prefix}`;
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? createS3Client(options);
    this.s3 = withRetries(this.client, options.retry ?? defaultRetryPolicy);
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<ObjectMeta> {
    assertObjectKey(key);
    const params: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: this.prefix + key,
      ContentType: options.contentType ?? contentTypeForKey(key),
      CacheControl: options.cacheControl ?? cacheControlForKey(key, this.cachePolicy),
    };
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        if (bytes.byteLength < this.thresholdBytes)
          await this.s3.send(new PutObjectCommand({ ...params, Body: bytes, ContentLength: bytes.byteLength }));
        else await this.upload(params, bytes);
      } else {
        await this.upload(params, body);
      }
    } catch (error) {
      // The caller's failing stream is the caller's error: hand it back as it is.
      if (typeof body !== 'string' && !(body instanceof Uint8Array) && body.errored === error) throw error;
      throw this.failure(error, 'put', key);
    }
    // The responses lack Last-Modified and (for multipart) the size: ask once.
    const meta = await this.head(key);
    if (meta === undefined)
      throw new HlscdnError('upstream', `S3 put of ${JSON.stringify(key)} in ${this.description} succeeded but the object is not there`);
    return meta;
  }

  async get(key: string, options: GetOptions = {}): Promise<GetResult> {
    assertObjectKey(key);
    const range = options.range === undefined ? undefined : assertByteRange(options.range);
    const input: GetObjectCommandInput = { Bucket: this.bucket, Key: this.prefix + key };
    if (range !== undefined) input.Range = rangeHeaderFor(range);
    if (options.ifNoneMatch !== undefined && options.ifNoneMatch.length > 0) input.IfNoneMatch = options.ifNoneMatch.join(', ');
    else if (options.ifModifiedSince !== undefined) input.IfModifiedSince = options.ifModifiedSince;
    let output: GetObjectCommandOutput;
    try {
      output = await this.s3.send(new GetObjectCommand(input));
    } catch (error) {
      return this.getFailure(error, key);
    }
    const body = output.Body as Readable;
    const returned = output.ContentRange === undefined ? undefined : parseContentRange(output.ContentRange);
    const meta = this.meta(key, { ...output, size: returned?.size ?? output.ContentLength ?? 0 });
    // Checked here too: s3rver compares If-None-Match as one string, so a list of tags never matches there.
    if (isNotModified(meta, options)) {
      body.destroy();
      return { kind: 'not-modified', meta };
    }
    if (range === undefined) return { kind: 'body', meta, body };
    return this.rangedBody(key, { requested: range, meta, body, returned, refetched: false });
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    assertObjectKey(key);
    try {
      const output = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return this.meta(key, { ...output, size: output.ContentLength ?? 0 });
    } catch (error) {
      if (isS3NoSuchKey(error)) return undefined;
      throw this.failure(error, 'head', key);
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<ObjectMeta> {
    assertKeyPrefix(prefix);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isSafeInteger(limit) && limit >= 0))) {
      throw new HlscdnError('invalid-input', `list limit must be a non-negative integer, got ${limit}`);
    }
    if (limit === 0) return;
    let count = 0;
    const pages = paginateListObjectsV2(
      { client: this.s3, pageSize: Math.min(1000, limit) },
      { Bucket: this.bucket, Prefix: this.prefix + prefix },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(this.prefix.length);
          // Objects written around hlscdn may have keys its rules refuse: they are not served, so not listed.
          if (key === undefined || !object.Key?.startsWith(this.prefix) || !checkObjectKey(key).ok) continue;
          yield {
            key,
            size: object.Size ?? 0,
            etag: object.ETag ?? '""',
            lastModified: object.LastModified ?? new Date(0),
            // Listings carry neither header; the extension and the policy give what a put would have set.
            contentType: contentTypeForKey(key),
            cacheControl: cacheControlForKey(key, this.cachePolicy),
          };
          if (++count >= limit) return;
        }
      }
    } catch (error) {
      throw this.failure(error, 'list', prefix);
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    } catch (error) {
      if (isS3NoSuchKey(error)) return;
      throw this.failure(error, 'delete', key);
    }
  }

  async check(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      throw this.failure(error, 'check', '');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }

  private async upload(params: PutObjectCommandInput, body: Uint8Array | Readable): Promise<void> {
    // Parts are buffered by lib-storage, so the retrying client can resend any one of them.
    await new Upload({ client: this.s3, params: { ...params, Body: body }, partSize: this.partSizeBytes, queueSize: 4 }).done();
  }

  private async getFailure(error: unknown, key: string): Promise<GetResult> {
    if (isS3NoSuchKey(error)) return { kind: 'not-found' };
    if (isS3NotModified(error)) {
      // A 304 carries no size; the SDK does not surface its headers at all.
      const meta = await this.head(key);
      return meta === undefined ? { kind: 'not-found' } : { kind: 'not-modified', meta };
    }
    if (isS3InvalidRange(error)) {
      const meta = await this.head(key);
      return meta === undefined ? { kind: 'not-found' } : { kind: 'range-not-satisfiable', size: meta.size };
    }
    throw this.failure(error, 'get', key);
  }

  /** Serves a ranged response, trimming or re-asking when the server did not return exactly the range (see `planRangedBody`). */
  private async rangedBody(key: string, response: RangedResponse): Promise<GetResult> {
    const { meta, body } = response;
    const plan = planRangedBody(response.requested, response.returned, meta.size);
    if (plan.kind === 'unsatisfiable') {
      body.destroy();
      return { kind: 'range-not-satisfiable', size: meta.size };
    }
    if (plan.kind === 'serve') {
      const returnedLength = response.returned === undefined ? meta.size : response.returned.end - response.returned.start + 1;
      const length = plan.range.end - plan.range.start + 1;
      const exact = plan.skip === 0 && returnedLength === length;
      return { kind: 'body', meta, body: exact ? body : sliceReadable(body, plan.skip, length), range: plan.range };
    }
    body.destroy();
    if (response.refetched)
      throw new HlscdnError(
        'upstream',
        `S3 get of ${JSON.stringify(key)} in ${this.description} returned bytes other than the range asked for`,
      );
    let output: GetObjectCommandOutput;
    try {
      // If-Match pins the version whose size the offsets were computed from.
      const range = `bytes=${plan.range.start}-${plan.range.end}`;
      output = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: range, IfMatch: meta.etag }));
    } catch (error) {
      if (isS3NoSuchKey(error)) return { kind: 'not-found' };
      if (s3HttpStatus(error) === 412) {
        throw new HlscdnError('unavailable', `S3 object ${JSON.stringify(key)} in ${this.description} changed while being read`, {
          cause: error,
        });
      }
      throw this.failure(error, 'get', key);
    }
    const returned = output.ContentRange === undefined ? undefined : parseContentRange(output.ContentRange);
    return this.rangedBody(key, { requested: plan.range, meta, body: output.Body as Readable, returned, refetched: true });
  }

  /** Meta from HeadObject / GetObject answers; `size` is the whole object's, which a 206's Content-Length is not. */
  private meta(key: string, headers: ObjectHeaders): ObjectMeta {
    return {
      key,
      size: headers.size,
      etag: headers.ETag ?? '""',
      lastModified: headers.LastModified ?? new Date(0),
      contentType: headers.ContentType ?? contentTypeForKey(key),
      cacheControl: headers.CacheControl ?? cacheControlForKey(key, this.cachePolicy),
    };
  }

  private failure(error: unknown, operation: string, key: string): HlscdnError {
    return s3Failure(error, { operation, key, store: this.description });
  }
}
