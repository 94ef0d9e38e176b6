/**
 * Hot playlist answers, served before the request reaches Hono. Thousands of
 * viewers reload the same playlist every few seconds; once the app has built
 * an answer for a canonical request (answerKey: the path, the parameters that
 * change the answer and the zone header), the same bytes are written straight
 * to the socket for a short hold time, skipping the Request/Response objects,
 * routing and middleware that cost most of a playlist request's CPU
 * (docs/benchmarks.md "Rewriter"). Viewers' own parameters (session ids,
 * analytics, cache busters) do not change the answer, so they share it.
 *
 * The hold is short (100 ms by default) and never past the origin copy's
 * freshness, so an edge leaving the fleet, a refreshed origin playlist or a
 * new signature bucket is seen within it. The headers are built per answer
 * by the same function as the app's (playlist-headers.ts), since Age grows
 * while an answer is held. Requests and fallbacks are still counted in the
 * rewriter's metrics.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { EncodedAnswer, RawAnswer } from '../../core/http/raw-front.js';
import type { RawRequest } from '../../core/http/raw-request.js';
import { BoundedCache } from '../origin/index.js';

export interface HotAnswer {
  /**
   * A string, not a Buffer: Node then sends the header block and the body in one write
   * instead of a writev of two buffers, which is a measurable share of the hot path.
   */
  body: string;
  /** Its UTF-8 length, for Content-Length. */
  bodyBytes: number;
  /**
   * The answer's headers at `now` (ms), without Content-Length (added here, with the body). Age
   * changes while the answer is held: a new object whenever a header changes, else it may be the
   * same one (callers do not modify it).
   */
  headersAt: (now: number) => OutgoingHttpHeaders;
  /** Called once per answer served from here (metrics). */
  onServe: () => void;
  /**
   * Per-viewer answers (access control): the viewer's own answer made from the held
   * one, or a refusal, decided per request. Absent: every viewer gets `body`.
   */
  personalize?: (request: ViewerRequest) => PersonalAnswer;
}

export interface ViewerRequest {
  /** The raw request target, `/path?query`. */
  target: string;
  clientIp: string | undefined;
  now: number;
}

export interface PersonalAnswer {
  status: 200 | 403 | 410;
  body: string;
  bodyBytes: number;
  /** Replaces the held answer's headers (a refusal's own). */
  headers?: OutgoingHttpHeaders;
}

export interface HotAnswersOptions {
  /** Request header that changes the answer (the zone header), lower case. */
  varyHeader: string;
  /** Longest reuse of an answer, ms. @defaultValue 100 */
  holdMs?: number;
  /** @defaultValue 1_000 */
  maxEntries?: number;
  /** Bytes held: each body counts twice, as its string and its encoded copy. @defaultValue 16 MiB */
  maxBytes?: number;
  now: () => number;
}

/**
 * Query parameters that change a playlist answer: the rewriter's own
 * (`hlscdn_mode`, `hlscdn_pathway`, `hlscdn_backup`...) and the LL-HLS
 * directives (`_HLS_msn`, `_HLS_part`, `_HLS_skip`). The playlist responder
 * reads nothing else from the query, which is what makes the key sound.
 */
const ANSWER_PARAM = /^(?:hlscdn_|_HLS_)/;

/**
 * The canonical form of a raw request target (`/path?query`): the path as
 * received and only the parameters that change the answer, in name order
 * (a stable sort keeps repeated names in their order, as the first one wins).
 */
export function answerKey(rawUrl: string): string {
  const mark = rawUrl.indexOf('?');
  if (mark === -1) return rawUrl;
  const path = rawUrl.slice(0, mark);
  const hash = rawUrl.indexOf('#', mark);
  const query = rawUrl.slice(mark + 1, hash === -1 ? undefined : hash);
  // Fast exit for the usual viewer query (tokens, session ids): nothing of ours in it.
  if (!query.includes('hlscdn_') && !query.includes('_HLS_')) return path;
  const kept = query.split('&').filter((pair) => ANSWER_PARAM.test(pair));
  if (kept.length === 0) return path;
  kept.sort((a, b) => {
    const nameA = a.split('=', 1)[0]!;
    const nameB = b.split('=', 1)[0]!;
    return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
  });
  return `${path}?${kept.join('&')}`;
}

/** A held answer, with the raw front's slot for its encoded bytes (shared by every viewer it is written to). */
interface HeldAnswer {
  answer: HotAnswer;
  encoded: EncodedAnswer;
}

export class HotAnswers {
  private readonly answers: BoundedCache<string, HeldAnswer>;
  private readonly holdMs: number;

  constructor(private readonly options: HotAnswersOptions) {
    this.holdMs = options.holdMs ?? 100;
    this.answers = new BoundedCache({
      maxEntries: options.maxEntries ?? 1_000,
      maxWeight: options.maxBytes ?? 16 * 1024 * 1024,
      // The encoded copy in the slot is about the body's size again.
      weigh: (held) => 2 * held.answer.bodyBytes,
    });
  }

  /** The cache key of a request target: its canonical form (answerKey) and the vary header's value. */
  key(rawUrl: string, varyValue: string | undefined): string {
    return `${answerKey(rawUrl)}\n${varyValue ?? ''}`;
  }

  /** Keeps `answer` for the hold time, but not past `freshUntil` (when the origin copy behind it goes stale). */
  remember(key: string, answer: HotAnswer, freshUntil: number): void {
    const now = this.options.now();
    const until = Math.min(now + this.holdMs, freshUntil);
    if (until > now) this.answers.set(key, { answer, encoded: {} }, until);
  }

  /** The held answer to a request read by the raw front (core/http/raw-front.ts), if any: it writes it in one go. */
  answerRaw(request: RawRequest, now: number): RawAnswer | undefined {
    // The front hands the same request object again for a repeated head on a connection: its key is kept on it.
    const key = (request.derived ??= this.key(request.target, request.headers[this.options.varyHeader]));
    return this.answer(key, request.target, request.remoteAddress, now);
  }

  /** Answers a GET or HEAD from a held answer through Node's server; false when there is none (the app answers). */
  tryServe(request: IncomingMessage, response: ServerResponse): boolean {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || request.url === undefined) return false;
    const vary = request.headers[this.options.varyHeader];
    const key = this.key(request.url, Array.isArray(vary) ? vary.join(', ') : vary);
    const ready = this.answer(key, request.url, request.socket?.remoteAddress, this.options.now());
    if (ready === undefined) return false;
    response.writeHead(ready.status, { ...ready.headers, 'content-length': ready.bodyBytes });
    if (method === 'HEAD') response.end();
    else response.end(ready.body, 'utf8');
    return true;
  }

  /** The held answer for one request, made for its viewer when the answer is per viewer; counted as served. */
  private answer(key: string, target: string, clientIp: string | undefined, now: number): RawAnswer | undefined {
    const held = this.answers.get(key, now);
    if (held === undefined) return undefined;
    const { answer } = held;
    answer.onServe();
    if (answer.personalize === undefined)
      return { status: 200, headers: answer.headersAt(now), body: answer.body, bodyBytes: answer.bodyBytes, encoded: held.encoded };
    const personal = answer.personalize({ target, clientIp, now });
    return {
      status: personal.status,
      headers: personal.headers ?? answer.headersAt(now),
      body: personal.body,
      bodyBytes: personal.bodyBytes,
    };
  }
}
