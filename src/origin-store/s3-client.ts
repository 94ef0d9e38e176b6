/**
 * Building the S3 driver's client: SDK settings from the store options, the
 * SDK's own retries off, and a view of the client whose every `send` goes
 * through hlscdn's retry policy, so a retry is one decision in one place
 * (REFERENCE.md: retry policies as data, shared by every caller).
 */
import { S3Client } from '@aws-sdk/client-s3';

import { HlscdnError } from '../core/errors.js';
import { retry, type RetryPolicy } from '../core/retry.js';
import { checkObjectKey } from './object-key.js';
import { isTransientS3Error } from './s3-errors.js';

/** S3's smallest multipart part (all but the last). */
export const minPartSizeBytes = 5 * 1024 * 1024;

export interface S3ClientSettings {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  requestChecksumCalculation?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function createS3Client(settings: S3ClientSettings): S3Client {
  // Servers that reject the CRC32 the SDK sends by default rarely return checksums either.
  const checksums = settings.requestChecksumCalculation ?? 'WHEN_SUPPORTED';
  return new S3Client({
    region: settings.region ?? 'us-east-1',
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle ?? false,
    credentials: settings.credentials,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    // hlscdn retries (see withRetries); SDK retries on top would multiply the attempts.
    maxAttempts: 1,
  });
}

/**
 * The client with `send` retried on throttling, 5xx and dropped connections.
 * Everything else (config, middleware, destroy) is the client's own, so
 * lib-storage's Upload and the paginators accept the view as the client and
 * each multipart part is retried on its own.
 */
export function withRetries(client: S3Client, policy: RetryPolicy): S3Client {
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return Object.create(client, {
    send: { value: (...args: unknown[]) => retry(() => send(...args), { policy, isRetryable: isTransientS3Error }) },
  }) as S3Client;
}

/** Throws `invalid-config` for a bucket, prefix or multipart sizes the driver cannot work with. */
export function validateStoreShape(shape: { bucket: string; prefix: string; thresholdBytes: number; partSizeBytes: number }): void {
  const fail = (message: string) => new HlscdnError('invalid-config', message);
  if (shape.bucket === '' || shape.bucket.includes('/')) throw fail(`S3 bucket name ${JSON.stringify(shape.bucket)} is not valid`);
  if (shape.prefix !== '' && (!shape.prefix.endsWith('/') || !checkObjectKey(`${shape.prefix}x`).ok)) {
    throw fail(`S3 key prefix ${JSON.stringify(shape.prefix)} must be '' or a clean path ending in '/'`);
  }
  if (!Number.isSafeInteger(shape.partSizeBytes) || shape.partSizeBytes < minPartSizeBytes) {
    throw fail(`S3 part size must be at least ${minPartSizeBytes} bytes (S3's minimum), got ${shape.partSizeBytes}`);
  }
  if (!Number.isSafeInteger(shape.thresholdBytes) || shape.thresholdBytes < 0) {
    throw fail(`S3 multipart threshold must be a non-negative integer, got ${shape.thresholdBytes}`);
  }
}
