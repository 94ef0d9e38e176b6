/**
 * What an AWS SDK failure means to hlscdn: a transient failure worth a retry
 * (throttling, 5xx, a dropped connection), one of the S3 answers a GET maps to
 * a result kind (304, 404, 416), or a failure reported as an HlscdnError.
 */
import { HlscdnError, errorMessage, isHlscdnError } from '../core/errors.js';

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: boolean };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

export function s3HttpStatus(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function s3ErrorName(error: unknown): string | undefined {
  const name = shape(error).name;
  return typeof name === 'string' ? name : undefined;
}

/** S3 error codes for "slow down" and for failures on S3's side that a retry may clear. */
const transientNames = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

/** Connection-level failures of node:http before an answer arrived. */
const transientSocketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

export function isTransientS3Error(error: unknown): boolean {
  if (isHlscdnError(error)) return false;
  const status = s3HttpStatus(error);
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  const name = s3ErrorName(error);
  if (name !== undefined && transientNames.has(name)) return true;
  const code = shape(error).code;
  return typeof code === 'string' && transientSocketCodes.has(code);
}

/** The SDK names a 304 `NotModified` when S3 says so, `Unknown` when the 304 has no body (s3rver). */
export function isS3NotModified(error: unknown): boolean {
  return s3HttpStatus(error) === 304 || s3ErrorName(error) === 'NotModified';
}

/** A missing object; a missing bucket (also a 404) is a configuration failure, not an absent key. */
export function isS3NoSuchKey(error: unknown): boolean {
  const name = s3ErrorName(error);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || s3HttpStatus(error) === 404;
}

export function isS3InvalidRange(error: unknown): boolean {
  return s3HttpStatus(error) === 416 || s3ErrorName(error) === 'InvalidRange';
}

export interface S3FailureContext {
  operation: string;
  key: string;
  /** The store's description (`s3://bucket/prefix`), for the message. */
  store: string;
}

/** Transient failures (after retries) are `unavailable`; anything else S3 said is `upstream`. */
export function s3Failure(error: unknown, context: S3FailureContext): HlscdnError {
  if (isHlscdnError(error)) return error;
  const name = s3ErrorName(error);
  const status = s3HttpStatus(error);
  const code = isTransientS3Error(error) ? 'unavailable' : 'upstream';
  const what = context.key === '' ? context.store : `${JSON.stringify(context.key)} in ${context.store}`;
  const answer = [name, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  return new HlscdnError(code, `S3 ${context.operation} of ${what} failed (${answer}): ${errorMessage(error)}`, {
    cause: error,
    details: { operation: context.operation, key: context.key, s3Error: name, httpStatus: status },
  });
}
