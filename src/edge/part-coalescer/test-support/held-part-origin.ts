/**
 * A stand-in LL-HLS origin for tests: it holds a part request for `holdMs` (the part
 * does not exist yet, as a hinted part), then answers, counting requests per path and
 * noting when it answered (performance.now(), same clock as the test).
 *
 *   /<any>/part<N>.m4s         200 after holdMs, PART_BYTES bytes, Cache-Control max-age=60
 *   /404/<any>/part<N>.m4s     404 after holdMs
 *   /slow/<any>/part<N>.m4s    200: head and first half after holdMs, the rest `slowGapMs` later
 *   /cut/<any>/part<N>.m4s     200 with a Content-Length, a third of the body, then the socket dies
 */
import { createHash } from 'node:crypto';
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PART_BYTES = 30_000;

/** The body the origin serves for `path`: distinct per path, so mixed-up parts show. */
export function partBody(path: string): Buffer {
  const seed = createHash('sha256').update(path).digest();
  const body = Buffer.alloc(PART_BYTES);
  for (let i = 0; i < PART_BYTES; i++) body[i] = (seed[i % seed.length] ?? 0) ^ (i & 0xff);
  return body;
}

export interface HeldPartOrigin {
  readonly url: string;
  /** Requests received per path (query stripped). */
  readonly hits: Map<string, number>;
  /** performance.now() when the (first) answer for a path was sent. */
  readonly answeredAt: Map<string, number>;
  /** performance.now() when the first chunk of a /slow/ answer was sent. */
  readonly firstChunkAt: Map<string, number>;
  close(): Promise<void>;
}

export interface HeldPartOriginOptions {
  /** @defaultValue 300 */
  holdMs?: number;
  /** @defaultValue 200 */
  slowGapMs?: number;
}

export async function startHeldPartOrigin(options: HeldPartOriginOptions = {}): Promise<HeldPartOrigin> {
  const holdMs = options.holdMs ?? 300;
  const slowGapMs = options.slowGapMs ?? 200;
  const hits = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const firstChunkAt = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (!/\/part\d+\.m4s$/.test(path)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = partBody(path);
    const headers = { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length), 'Cache-Control': 'max-age=60' };
    setTimeout(() => {
      if (res.destroyed) return;
      if (path.startsWith('/404/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' }).end('no such part');
        if (!answeredAt.has(path)) answeredAt.set(path, performance.now());
        return;
      }
      if (path.startsWith('/cut/')) {
        res.writeHead(200, headers);
        res.write(body.subarray(0, body.length / 3), () => setTimeout(() => res.socket?.destroy(), 20));
        if (!answeredAt.has(path)) answeredAt.set(path, performance.now());
        return;
      }
      if (path.startsWith('/slow/')) {
        res.writeHead(200, headers);
        res.write(body.subarray(0, body.length / 2));
        if (!firstChunkAt.has(path)) firstChunkAt.set(path, performance.now());
        setTimeout(() => {
          res.end(body.subarray(body.length / 2));
          if (!answeredAt.has(path)) answeredAt.set(path, performance.now());
        }, slowGapMs);
        return;
      }
      res.writeHead(200, headers).end(body);
      if (!answeredAt.has(path)) answeredAt.set(path, performance.now());
    }, holdMs);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    answeredAt,
    firstChunkAt,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** One client GET: when it finished (performance.now()), its status, body and cache status; or its error. */
export interface ClientResult {
  readonly doneAt: number;
  readonly status?: number;
  readonly body?: Buffer;
  readonly cacheStatus?: string | null;
  readonly headers?: IncomingHttpHeaders;
  readonly error?: string;
}

/**
 * One GET with node:http (far lighter than fetch, so 20 clients in the test's own event
 * loop do not add tens of ms of parsing to the delays being measured): when it finished,
 * its status, body and cache status; or its error (a cut answer, a timeout).
 */
export function timedGet(url: string, timeoutMs = 10_000): Promise<ClientResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Omit<ClientResult, 'doneAt'>) => {
      if (settled) return;
      settled = true;
      resolve({ doneAt: performance.now(), ...result });
    };
    const req = get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (!res.complete) return;
        const cacheStatus = res.headers['x-cache-status'];
        done({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks),
          cacheStatus: typeof cacheStatus === 'string' ? cacheStatus : null,
        });
      });
      res.on('error', (error) => done({ error: `${error.name}: ${error.message}` }));
      res.on('close', () => {
        if (!res.complete) done({ error: `Error: answer cut after ${Buffer.concat(chunks).length} bytes` });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => done({ error: `${error.name}: ${error.message}` }));
  });
}

/** p50 and max of a list of numbers (ms). */
export function summarize(values: readonly number[]): { p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}
