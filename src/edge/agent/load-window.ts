/**
 * Sliding-window load figures of one edge, from its access log: requests/s,
 * egress bytes/s, cache hit ratio and upstream errors. Pure: entries and the
 * clock come in as arguments; one-second buckets keep memory bounded whatever
 * the request rate.
 */

export interface LoadSample {
  /** Unix ms of the request's end. */
  atMs: number;
  bytesSent: number;
  /** nginx $upstream_cache_status: HIT, MISS, EXPIRED, STALE, UPDATING, REVALIDATED, BYPASS or "". */
  cacheStatus: string;
  /** True when an origin answered 5xx or could not be reached. */
  upstreamError: boolean;
  /** True when the viewer got a 5xx (an upstream failure nginx could not cover with a stale copy). */
  serverError?: boolean;
}

export interface LoadFigures {
  /** Requests counted over the window. */
  requests: number;
  requestsPerSec: number;
  egressBytesPerSec: number;
  /** Hits over cache lookups in the window; 0 when there were none. */
  cacheHitRatio: number;
  /** Upstream failures counted over the window. */
  upstreamErrors: number;
  /** Answers with a 5xx status over the window: what viewers saw fail. */
  serverErrors: number;
}

interface Bucket {
  second: number;
  requests: number;
  bytes: number;
  lookups: number;
  hits: number;
  upstreamErrors: number;
  serverErrors: number;
}

/** Served from cache without asking the origin. STALE and UPDATING are answers from cache too. */
const hitStatuses = new Set(['HIT', 'STALE', 'UPDATING', 'REVALIDATED']);
/** Requests that looked into the cache (BYPASS and "" did not). */
const lookupStatuses = new Set(['HIT', 'STALE', 'UPDATING', 'REVALIDATED', 'MISS', 'EXPIRED']);

export class LoadWindow {
  private readonly buckets: Bucket[] = [];

  /** @param windowMs length of the window. @defaultValue 10_000 */
  constructor(private readonly windowMs = 10_000) {}

  add(sample: LoadSample): void {
    const second = Math.floor(sample.atMs / 1000);
    let bucket = this.buckets.find((b) => b.second === second);
    if (!bucket) {
      bucket = { second, requests: 0, bytes: 0, lookups: 0, hits: 0, upstreamErrors: 0, serverErrors: 0 };
      this.buckets.push(bucket);
      this.buckets.sort((a, b) => a.second - b.second);
    }
    bucket.requests++;
    bucket.bytes += sample.bytesSent;
    if (lookupStatuses.has(sample.cacheStatus)) bucket.lookups++;
    if (hitStatuses.has(sample.cacheStatus)) bucket.hits++;
    if (sample.upstreamError) bucket.upstreamErrors++;
    if (sample.serverError) bucket.serverErrors++;
  }

  figures(nowMs: number): LoadFigures {
    const oldest = Math.floor((nowMs - this.windowMs) / 1000);
    while (this.buckets.length > 0 && (this.buckets[0] as Bucket).second <= oldest) this.buckets.shift();
    let requests = 0;
    let bytes = 0;
    let lookups = 0;
    let hits = 0;
    let upstreamErrors = 0;
    let serverErrors = 0;
    for (const b of this.buckets) {
      requests += b.requests;
      bytes += b.bytes;
      lookups += b.lookups;
      hits += b.hits;
      upstreamErrors += b.upstreamErrors;
      serverErrors += b.serverErrors;
    }
    const seconds = this.windowMs / 1000;
    return {
      requests,
      requestsPerSec: requests / seconds,
      egressBytesPerSec: bytes / seconds,
      cacheHitRatio: lookups === 0 ? 0 : hits / lookups,
      upstreamErrors,
      serverErrors,
    };
  }
}

/** An upstream failure: any upstream status of 5xx (several when nginx failed over), or a 502/504 that nginx made itself. */
export function isUpstreamError(record: { status: number; upstreamStatus: string; cacheStatus: string }): boolean {
  if (record.upstreamStatus.split(/[,:]\s*/).some((s) => /^5\d\d$/.test(s.trim()))) return true;
  return (record.status === 502 || record.status === 504) && record.upstreamStatus === '';
}
