import { describe, expect, it } from 'vitest';

import { HlscdnError } from '../core/errors.js';
import { isS3InvalidRange, isS3NoSuchKey, isS3NotModified, isTransientS3Error, s3Failure } from './s3-errors.js';

/** Shaped like the SDK's service exceptions. */
const sdkError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('S3 error classification', () => {
  it.each([
    ['SlowDown', 503],
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['Unknown', 502],
    ['TooManyRequestsException', 429],
    ['RequestTimeout', 400],
  ])('retries %s (%i)', (name, status) => {
    expect(isTransientS3Error(sdkError(name, status))).toBe(true);
  });

  it('retries dropped connections but not client errors or hlscdn errors', () => {
    expect(isTransientS3Error(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientS3Error(sdkError('AccessDenied', 403))).toBe(false);
    expect(isTransientS3Error(sdkError('NoSuchBucket', 404))).toBe(false);
    expect(isTransientS3Error(new HlscdnError('unavailable', 'x'))).toBe(false);
  });

  it('recognises the answers a get maps to result kinds', () => {
    expect(isS3NotModified(sdkError('NotModified', 304))).toBe(true);
    expect(isS3NotModified(sdkError('Unknown', 304))).toBe(true);
    expect(isS3NoSuchKey(sdkError('NoSuchKey', 404))).toBe(true);
    expect(isS3NoSuchKey(sdkError('NotFound', 404))).toBe(true);
    expect(isS3NoSuchKey(sdkError('NoSuchBucket', 404))).toBe(false);
    expect(isS3InvalidRange(sdkError('InvalidRange', 416))).toBe(true);
  });

  it('maps failures to unavailable or upstream with the cause and no secrets', () => {
    const throttled = s3Failure(sdkError('SlowDown', 503), { operation: 'put', key: 'a.ts', store: 's3://b/p/' });
    expect(throttled).toMatchObject({
      code: 'unavailable',
      details: { operation: 'put', key: 'a.ts', s3Error: 'SlowDown', httpStatus: 503 },
    });
    expect(throttled.message).toContain('S3 put of "a.ts" in s3://b/p/ failed (SlowDown, HTTP 503)');
    const denied = sdkError('AccessDenied', 403);
    expect(s3Failure(denied, { operation: 'check', key: '', store: 's3://b/' })).toMatchObject({ code: 'upstream', cause: denied });
  });
});
