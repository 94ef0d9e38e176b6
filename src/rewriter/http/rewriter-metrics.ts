/**
 * The rewriter's Prometheus metrics, on the service's own registry. Label
 * values are bounded: modes, outcomes and reasons are fixed sets, and `edge`
 * takes the ids of the fleet (plus "fallback").
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { CounterTallies } from '../../core/counter-tallies.js';

export type RequestKind = 'playlist' | 'redirect' | 'steering';
export type RequestOutcome =
  'ok' | 'fallback' | 'bad-request' | 'forbidden' | 'not-found' | 'upstream-error' | 'timeout' | 'invalid-playlist';

export interface RewriterMetrics {
  requests: Counter<'kind' | 'mode' | 'outcome'>;
  originFetches: Counter<'outcome'>;
  coalesced: Counter<'via'>;
  fallbacks: Counter<'reason'>;
  assignments: Counter<'edge'>;
  rewriteSeconds: Histogram<'kind'>;
  rewrittenCache: Counter<'result'>;
  /** Increments of `requests` and `fallbacks` for held answers, served many thousand times a second. */
  tallies: { requests: CounterTallies<'kind' | 'mode' | 'outcome'>; fallbacks: CounterTallies<'reason'> };
}

export function createRewriterMetrics(registry: Registry): RewriterMetrics {
  const tallies = { requests: new CounterTallies<'kind' | 'mode' | 'outcome'>(), fallbacks: new CounterTallies<'reason'>() };
  return {
    tallies,
    requests: new Counter({
      name: 'hlscdn_rewriter_requests_total',
      help: 'Viewer requests answered, by kind (playlist, redirect, steering), mode and outcome',
      labelNames: ['kind', 'mode', 'outcome'] as const,
      registers: [registry],
      collect() {
        tallies.requests.flush(this);
      },
    }),
    originFetches: new Counter({
      name: 'hlscdn_rewriter_origin_fetches_total',
      help: 'Playlist requests sent to the origin, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    coalesced: new Counter({
      name: 'hlscdn_rewriter_origin_coalesced_total',
      help: 'Playlist requests answered without an origin request of their own: from the cache, or by waiting for one in flight',
      labelNames: ['via'] as const,
      registers: [registry],
    }),
    fallbacks: new Counter({
      name: 'hlscdn_rewriter_fallbacks_total',
      help: 'Answers that sent viewers to the fallback base instead of an edge, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
      collect() {
        tallies.fallbacks.flush(this);
      },
    }),
    assignments: new Counter({
      name: 'hlscdn_rewriter_edge_assignments_total',
      help: 'Media URIs written for each edge (per rewrite, not per viewer served from the rewritten cache) and redirects to it',
      labelNames: ['edge'] as const,
      registers: [registry],
    }),
    rewriteSeconds: new Histogram({
      name: 'hlscdn_rewriter_rewrite_duration_seconds',
      help: 'Time to rewrite one playlist, by kind (master, media)',
      labelNames: ['kind'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    rewrittenCache: new Counter({
      name: 'hlscdn_rewriter_rewritten_cache_total',
      help: 'Lookups of the rewritten-playlist cache, by result (hit, miss)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}
