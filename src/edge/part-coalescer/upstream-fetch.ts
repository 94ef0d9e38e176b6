/**
 * The one origin GET behind a flight: tries the origins in the pool's order (next origin
 * on a connection error, a timeout, or 502/503/504 before anything was passed on, as the
 * edge's `proxy_next_upstream error timeout http_502 http_503 http_504`) and streams the
 * answer into a sink as it arrives. Other statuses (404, 500...) are passed on as they are.
 * A failure after the head was passed on cannot be retried: the sink is told, and the
 * waiters' answers are cut.
 */
import { request, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import type { PartHead } from './flight.js';
import type { OriginPool } from './origin-pool.js';

export interface UpstreamSink {
  head(head: PartHead): void;
  data(chunk: Buffer): void;
  end(): void;
  fail(reason: string): void;
}

export interface UpstreamFetchOptions {
  readonly pool: OriginPool;
  readonly agent: Agent;
  /** Time to open a connection to one origin. */
  readonly connectTimeoutMs: number;
  /**
   * Time to the head once connected (the origin holds a hinted part until it exists),
   * and the longest silence between body chunks.
   */
  readonly timeoutMs: number;
}

export interface UpstreamFetch {
  /** Stops the fetch; the sink gets `fail(reason)` unless it already ended. Idempotent. */
  abort(reason: string): void;
}

const MAX_STALE_RETRIES = 4;
const NEXT_ORIGIN_STATUSES = new Set([502, 503, 504]);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Starts the GET of `target` (origin-form path and query) and returns its handle. */
export function fetchUpstream(target: string, sink: UpstreamSink, options: UpstreamFetchOptions): UpstreamFetch {
  const plan = options.pool.plan();
  let current: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  let lastProblem = 'no origin to try';

  const arm = (ms: number, onTimeout: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(onTimeout, ms);
  };
  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    action();
  };

  // A kept-alive socket the origin closed meanwhile fails at once: that says nothing of the
  // origin, so such a request is sent again (on another socket) without using a try.
  let staleRetries = 0;

  const attempt = (index: number): void => {
    const origin = plan[index];
    if (origin === undefined) {
      settle(() => sink.fail(lastProblem));
      return;
    }
    const isLast = index === plan.length - 1;
    const url = new URL(origin);
    let answered = false;
    const req = request({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 80 : Number(url.port),
      path: target,
      method: 'GET',
      agent: options.agent,
      headers: { 'user-agent': 'hlscdn-part-coalescer' },
    });
    current = req;
    const giveUp = (problem: string) => {
      if (settled || answered) return;
      answered = true;
      lastProblem = `${origin}: ${problem}`;
      options.pool.markFailed(origin);
      req.destroy();
      attempt(index + 1);
    };
    req.on('socket', (socket) => {
      if (socket.connecting) {
        arm(options.connectTimeoutMs, () => giveUp(`no connection within ${options.connectTimeoutMs} ms`));
        socket.once('connect', () => {
          if (!answered) arm(options.timeoutMs, () => giveUp(`no answer within ${options.timeoutMs} ms`));
        });
      } else {
        arm(options.timeoutMs, () => giveUp(`no answer within ${options.timeoutMs} ms`));
      }
    });
    req.on('error', (error) => {
      if (!settled && !answered && req.reusedSocket && staleRetries < MAX_STALE_RETRIES) {
        answered = true;
        staleRetries += 1;
        attempt(index);
        return;
      }
      giveUp(error.message);
    });
    req.on('response', (res) => {
      if (settled || answered) {
        res.destroy();
        return;
      }
      const status = res.statusCode ?? 502;
      if (NEXT_ORIGIN_STATUSES.has(status) && !isLast) {
        giveUp(`answered ${status}`);
        return;
      }
      answered = true;
      if (NEXT_ORIGIN_STATUSES.has(status)) options.pool.markFailed(origin);
      else options.pool.markHealthy(origin);
      stream(res, origin);
    });
    req.end();
  };

  const stream = (res: IncomingMessage, origin: string) => {
    sink.head({ status: res.statusCode ?? 502, headers: endToEndHeaders(res.rawHeaders) });
    const idle = () => {
      settle(() => sink.fail(`${origin}: body stalled for ${options.timeoutMs} ms`));
      res.destroy();
    };
    arm(options.timeoutMs, idle);
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      arm(options.timeoutMs, idle);
      sink.data(chunk);
    });
    res.on('end', () => settle(() => sink.end()));
    // 'close' without a complete body: the origin went away mid-answer.
    res.on('close', () => {
      if (!res.complete) settle(() => sink.fail(`${origin}: answer cut after the head`));
    });
    res.on('error', () => {
      // Followed by 'close'; listening keeps the error from being thrown.
    });
  };

  attempt(0);
  return {
    abort(reason: string) {
      settle(() => sink.fail(reason));
      current?.destroy();
    },
  };
}

/** The raw header list without hop-by-hop headers, nor those the Connection header names. */
export function endToEndHeaders(raw: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'connection') {
      for (const token of (raw[i + 1] ?? '').split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    out.push(name, raw[i + 1] ?? '');
  }
  return out;
}
