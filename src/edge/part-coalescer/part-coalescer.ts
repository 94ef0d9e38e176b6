/**
 * The LL-HLS part coalescer: a loopback HTTP server in the edge's agent process that
 * nginx sends part requests to (nginx/README.md, "LL-HLS parts"). Requests for the same
 * part share one origin fetch (a flight), whose status, headers and bytes go to every
 * waiter as they arrive, so the viewers that asked for a hinted part together get it
 * within milliseconds of each other, and the origin sees one request per part per edge.
 * nginx caches the answer; the coalescer keeps nothing once its flight is over, except
 * for `lingerMs`, to cover requests that reach it before nginx has the part on disk.
 *
 * Answers: the origin's status and headers as they are; 502 when no origin answered
 * (every waiter of the flight), a cut connection when the origin failed mid-body (nginx
 * then cuts the viewer's answer and caches nothing); 503 when a bound is reached.
 */
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { HlscdnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { coalescerMetrics, type CoalescerMetrics } from './coalescer-metrics.js';
import type { Flight, FlightWaiter, PartHead } from './flight.js';
import { FlightTable } from './flight-table.js';
import { OriginPool } from './origin-pool.js';
import { partRequestKey } from './part-key.js';
import { fetchUpstream, type UpstreamFetch } from './upstream-fetch.js';

export interface PartCoalescerOptions {
  /** Origin base URLs (`http://host:port`), primary first: the edge's `origins`. */
  readonly origins: readonly string[];
  /** Origins tried per fetch. @defaultValue origins.length */
  readonly originTries?: number;
  /** Address to bind; must be loopback. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  readonly port?: number;
  /** @defaultValue 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * Longest wait for the origin's head (it holds a hinted part until the part exists) and
   * longest silence within the body. Keep it equal to the edge's lock timeout.
   * @defaultValue 10_000
   */
  readonly upstreamTimeoutMs?: number;
  /** Parts held at once (in flight or lingering); more get 503. @defaultValue 1000 */
  readonly maxKeys?: number;
  /** Requests waiting on one part at once; more get 503. @defaultValue 10_000 */
  readonly maxWaitersPerKey?: number;
  /**
   * Bytes of one answer kept to replay to requests that join late; a larger answer takes
   * no more waiters (the next request starts its own fetch). @defaultValue 16 MiB
   */
  readonly maxBodyBytes?: number;
  /**
   * How long a complete 2xx answer is kept for requests that reach the coalescer before
   * nginx has cached it (0: not at all). @defaultValue 1000
   */
  readonly lingerMs?: number;
  /** The agent's metrics registry. @defaultValue none (metrics not exported) */
  readonly registry?: Registry;
  readonly logger?: Logger;
}

// Longer than nginx's upstream keepalive_timeout (60 s): the side that closes an idle
// connection must be nginx, or nginx may reuse one the coalescer is closing.
const KEEP_ALIVE_TIMEOUT_MS = 75_000;

export class PartCoalescer {
  private readonly table: FlightTable;
  private readonly fetches = new Map<Flight, UpstreamFetch>();
  private readonly lingering = new Set<NodeJS.Timeout>();
  private readonly metrics: CoalescerMetrics;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly agent: Agent,
    private readonly pool: OriginPool,
    private readonly options: PartCoalescerOptions,
    /** `http://127.0.0.1:<port>` as bound. */
    readonly url: string,
    readonly port: number,
  ) {
    this.table = new FlightTable({
      maxKeys: options.maxKeys ?? 1000,
      maxWaitersPerKey: options.maxWaitersPerKey ?? 10_000,
      maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    });
    this.metrics = coalescerMetrics(options.registry);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  /** Binds the loopback listener; rejects a host that is not loopback. */
  static async start(options: PartCoalescerOptions): Promise<PartCoalescer> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopback(host)) throw new HlscdnError('invalid-config', `the part coalescer must bind loopback, not ${host}`);
    if (options.origins.length === 0) throw new HlscdnError('invalid-config', 'the part coalescer needs at least one origin');
    const pool = new OriginPool({ origins: options.origins, tries: options.originTries });
    const agent = new Agent({ keepAlive: true, maxFreeSockets: 64, scheduling: 'lifo' });
    const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new HlscdnError('unavailable', `part coalescer cannot listen on ${host}:${options.port ?? 0}`, { cause: error }));
      server.once('error', onError);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // An accept failure (EMFILE...) is emitted here; unheard it would end the process.
    server.on('error', (error) => options.logger?.error({ err: error }, 'part coalescer: listener error'));
    const { port } = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return new PartCoalescer(server, agent, pool, options, `http://${shownHost}:${port}`, port);
  }

  /** Flights held (in flight or lingering), for tests and diagnostics. */
  get flights(): number {
    return this.table.size;
  }

  /**
   * Stops listening, fails the fetches under way (their waiters get 502 or a cut
   * answer), and closes every connection. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const fetch of [...this.fetches.values()]) fetch.abort('the part coalescer is closing');
    for (const timer of this.lingering) clearTimeout(timer);
    this.lingering.clear();
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => {
      // nginx went away; 'close' below takes the waiter off its flight.
    });
    if (this.closing) return void plainAnswer(res, 503, 'closing');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void plainAnswer(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    const target = req.url ?? '';
    const key = partRequestKey(target);
    if (key === undefined) return void plainAnswer(res, 400, 'bad request target');

    const waiter = httpWaiter(res);
    const admission = this.table.admit(key, waiter);
    if (admission.kind === 'rejected') {
      this.metrics.rejected(admission.reason);
      plainAnswer(res, 503, `part coalescer busy (${admission.reason})`, { 'retry-after': '1' });
      return;
    }
    const { flight } = admission;
    res.on('close', () => flight.leave(waiter));
    this.metrics.waiter(admission.kind);
    if (admission.kind === 'lead') this.startFetch(flight, target);
    this.metrics.flights(this.table.size);
  }

  private startFetch(flight: Flight, target: string): void {
    const upstreamTimeoutMs = this.options.upstreamTimeoutMs ?? 10_000;
    const fetch = fetchUpstream(
      target,
      {
        head: (head) => flight.receiveHead(head),
        data: (chunk) => flight.receiveData(chunk),
        end: () => {
          flight.complete();
          this.metrics.fetchEnded('answered');
          this.settle(flight);
        },
        fail: (reason) => {
          const hadHead = flight.head !== undefined;
          flight.fail(reason);
          this.metrics.fetchEnded('failed');
          this.options.logger?.warn({ part: flight.key, reason, hadHead }, 'part coalescer: origin fetch failed');
          this.settle(flight);
        },
      },
      {
        pool: this.pool,
        agent: this.agent,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 2_000,
        timeoutMs: upstreamTimeoutMs,
      },
    );
    // A fetch that already failed (synchronously) has been settled: nothing to track.
    if (flight.state === 'waiting' || flight.state === 'streaming') this.fetches.set(flight, fetch);
  }

  /** The fetch is over: keep a good answer for `lingerMs`, drop anything else now. */
  private settle(flight: Flight): void {
    this.fetches.delete(flight);
    const lingerMs = this.options.lingerMs ?? 1_000;
    if (this.closing === undefined && lingerMs > 0 && flight.joinable && isSuccess(flight.head)) {
      const timer = setTimeout(() => {
        this.lingering.delete(timer);
        this.table.release(flight);
        this.metrics.flights(this.table.size);
      }, lingerMs);
      timer.unref();
      this.lingering.add(timer);
    } else {
      this.table.release(flight);
    }
    this.metrics.flights(this.table.size);
  }
}

/** Writes what the flight hands it to one nginx request. */
function httpWaiter(res: ServerResponse): FlightWaiter {
  return {
    head(head: PartHead, primary: boolean) {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(head.status, primary ? [...head.headers] : withoutCaching(head.headers));
    },
    data(chunk: Buffer) {
      if (!res.destroyed) res.write(chunk);
    },
    end() {
      if (!res.destroyed) res.end();
    },
    fail() {
      if (res.destroyed) return;
      // Mid-body the only honest signal is a cut connection: nginx then cuts the viewer's
      // answer too and does not cache the partial part.
      if (res.headersSent) res.destroy();
      else plainAnswer(res, 502, 'origin unreachable');
    },
  };
}

/**
 * The headers of an answer nginx must pass on but not cache: `X-Accel-Expires: 0`
 * (nginx honours it, as the template does not ignore it, and never shows it to viewers).
 * The primary waiter's answer, with the same bytes, is the one cached.
 */
function withoutCaching(headers: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i]?.toLowerCase() !== 'x-accel-expires') out.push(headers[i] ?? '', headers[i + 1] ?? '');
  }
  out.push('X-Accel-Expires', '0');
  return out;
}

function plainAnswer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain', 'cache-control': 'no-store', ...headers }).end(`${text}\n`);
}

function isSuccess(head: PartHead | undefined): boolean {
  return head !== undefined && head.status >= 200 && head.status < 300;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
