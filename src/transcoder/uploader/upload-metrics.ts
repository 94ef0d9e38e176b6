/**
 * Prometheus metrics of the uploader. Created once per registry and shared by every
 * uploader of the process (prom-client refuses to register a metric name twice).
 */
import { Counter, Histogram, Registry } from 'prom-client';

export type UploadKind = 'segment' | 'part' | 'init' | 'playlist' | 'master';

export interface UploadMetrics {
  readonly uploads: Counter<'kind' | 'outcome'>;
  readonly duration: Histogram<'kind'>;
  /** Uploads slower than 0.9 x the segment duration: the live stream will fall behind. */
  readonly slow: Counter<'kind'>;
  readonly retries: Counter<'kind'>;
  readonly deletes: Counter<'outcome'>;
}

export function createUploadMetrics(registry: Registry = new Registry()): UploadMetrics {
  const registers = [registry];
  return {
    uploads: new Counter({
      name: 'hlscdn_transcoder_uploads_total',
      help: 'Objects put into the store by the uploader, by kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'hlscdn_transcoder_upload_duration_seconds',
      help: 'Time to put one object into the store, retries included',
      labelNames: ['kind'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers,
    }),
    slow: new Counter({
      name: 'hlscdn_transcoder_slow_uploads_total',
      help: 'Uploads that took more than 0.9 x the segment duration',
      labelNames: ['kind'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'hlscdn_transcoder_upload_retries_total',
      help: 'Upload attempts that failed and were retried',
      labelNames: ['kind'] as const,
      registers,
    }),
    deletes: new Counter({
      name: 'hlscdn_transcoder_expired_deletes_total',
      help: 'Expired live objects deleted from the store',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}
