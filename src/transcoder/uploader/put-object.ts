/**
 * One object into the store: retries with backoff (core/retry), timing, metrics, and
 * the slow-upload warning: an upload taking more than 0.9 x the segment duration means
 * a live stream will fall behind (REFERENCE "Getting live HLS into object storage").
 * Content-Type and Cache-Control are left to the store's defaults for the key.
 */
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry } from '../../core/retry.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { ObjectStore, PutBody } from '../../origin-store/index.js';
import type { EmitUploaderEvent } from './uploader-events.js';
import type { UploadKind, UploadMetrics } from './upload-metrics.js';

/** Share of a segment's duration an upload may take before it counts as slow. */
export const SLOW_UPLOAD_FACTOR = 0.9;

export interface PutObjectContext {
  readonly store: ObjectStore;
  readonly retry: RetryPolicy;
  readonly metrics: UploadMetrics;
  readonly logger: Logger;
  readonly emit: EmitUploaderEvent;
  readonly clock: () => number;
}

export interface PutObjectRequest {
  readonly kind: UploadKind;
  readonly key: string;
  readonly body: PutBody;
  /** Segment duration in seconds: the time budget of the upload. */
  readonly budgetSec?: number;
}

/** Resolves with the time taken; rejects (after the retries) with the last error. */
export async function putObject(context: PutObjectContext, request: PutObjectRequest): Promise<number> {
  const { kind, key } = request;
  const started = context.clock();
  try {
    await retry(() => context.store.put(key, request.body), {
      policy: context.retry,
      onRetry: ({ attempt, delayMs, error }) => {
        context.metrics.retries.inc({ kind });
        context.logger.debug({ key, attempt, delayMs, error: errorMessage(error) }, 'upload failed, retrying');
      },
    });
  } catch (error) {
    context.metrics.uploads.inc({ kind, outcome: 'error' });
    context.logger.error({ key, error: errorMessage(error) }, 'upload failed');
    context.emit('upload-error', { key, kind, error: errorMessage(error) });
    throw error;
  }
  const ms = context.clock() - started;
  context.metrics.uploads.inc({ kind, outcome: 'ok' });
  context.metrics.duration.observe({ kind }, ms / 1000);
  if (request.budgetSec !== undefined) {
    const budgetMs = request.budgetSec * SLOW_UPLOAD_FACTOR * 1000;
    if (ms > budgetMs) {
      context.metrics.slow.inc({ kind });
      context.logger.warn(
        { key, ms, budgetMs: Math.round(budgetMs) },
        'upload slower than 0.9 x the segment duration: the stream will fall behind',
      );
      context.emit('slow-upload', { key, kind, ms, budgetMs });
    }
  }
  return ms;
}
