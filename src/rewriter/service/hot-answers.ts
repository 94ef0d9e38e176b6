/**
 * Hot playlist answers, served before the request reaches Hono. Thousands of
 * viewers reload the same playlist every few seconds; once the app has built
 * an answer for a request target (URL and zone header), the same bytes are
 * written straight to the socket for a short hold time, skipping the
 * Request/Response objects, routing and middleware that cost most of a
 * playlist request's CPU (docs/benchmarks.md "Rewriter").
 *
 * The hold is short (100 ms by default) and never past the origin copy's
 * freshness, so an edge leaving the fleet, a refreshed origin playlist or a
 * new signature bucket is seen within it. Age is recomputed per answer.
 * Requests and fallbacks are still counted in the rewriter's metrics.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BoundedCache } from './bounded-cache.js';

export interface HotAnswer {
  /**
   * A string, not a Buffer: Node then sends the header block and the body in one write
   * instead of a writev of two buffers, which is a measurable share of the hot path.
   */
  body: string;
  /** Its UTF-8 length, for Content-Length. */
  bodyBytes: number;
  /** Headers with Content-Length, without Age (computed per answer). */
  headers: OutgoingHttpHeaders;
  /** For Age: when the rewriter received the origin's copy, and the origin's Age then. */
  fetchedAt: number;
  originAgeSec: number | undefined;
  /** Called once per answer served from here (metrics). */
  onServe: () => void;
}

export interface HotAnswersOptions {
  /** Request header that changes the answer (the zone header), lower case. */
  varyHeader: string;
  /** Longest reuse of an answer, ms. @defaultValue 100 */
  holdMs?: number;
  /** @defaultValue 1_000 */
  maxEntries?: number;
  /** Bytes of bodies held. @defaultValue 16 MiB */
  maxBytes?: number;
  now: () => number;
}

export class HotAnswers {
  private readonly answers: BoundedCache<string, HotAnswer>;
  private readonly holdMs: number;

  constructor(private readonly options: HotAnswersOptions) {
    this.holdMs = options.holdMs ?? 100;
    this.answers = new BoundedCache({ maxEntries: options.maxEntries ?? 1_000, maxWeight: options.maxBytes ?? 16 * 1024 * 1024, weigh: (answer) => answer.bodyBytes });
  }

  /** The cache key of a request target: the raw URL (path and query) and the vary header's value. */
  key(rawUrl: string, varyValue: string | undefined): string {
    return `${rawUrl}\n${varyValue ?? ''}`;
  }

  /** Keeps `answer` for the hold time, but not past `freshUntil` (when the origin copy behind it goes stale). */
  remember(key: string, answer: HotAnswer, freshUntil: number): void {
    const now = this.options.now();
    const until = Math.min(now + this.holdMs, freshUntil);
    if (until > now) this.answers.set(key, answer, until);
  }

  /** Answers a GET or HEAD from a held answer; false when there is none (the app answers). */
  tryServe(request: IncomingMessage, response: ServerResponse): boolean {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || request.url === undefined) return false;
    const vary = request.headers[this.options.varyHeader];
    const now = this.options.now();
    const answer = this.answers.get(this.key(request.url, Array.isArray(vary) ? vary.join(', ') : vary), now);
    if (answer === undefined) return false;
    const resident = Math.max(0, Math.floor((now - answer.fetchedAt) / 1000));
    const aged = answer.originAgeSec !== undefined || resident > 0;
    response.writeHead(200, aged ? { ...answer.headers, age: String((answer.originAgeSec ?? 0) + resident) } : answer.headers);
    if (method === 'HEAD') response.end();
    else response.end(answer.body, 'utf8');
    answer.onServe();
    return true;
  }
}
