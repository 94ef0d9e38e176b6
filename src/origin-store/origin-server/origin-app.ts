/**
 * The origin's HTTP surface, which edges pull from: GET and HEAD of store
 * objects with the headers caches need (Content-Type, Cache-Control, ETag,
 * Last-Modified, Accept-Ranges), 304, 206/416, CORS, plus /healthz, /readyz
 * and /metrics; LL-HLS blocking playlist reloads, delta updates and blocking
 * preload hints (RFC 8216bis 6.2.5-6.2.6). The store and `LowLatencyHandler`
 * do the work; this file maps it to HTTP.
 */
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { Counter, type Registry } from 'prom-client';
import { HlscdnError } from '../../core/errors.js';
import { errorBody, handleHttpError } from '../../core/http/error-response.js';
import { requestObservability } from '../../core/http/request-metrics.js';
import { mountServiceRoutes } from '../../core/http/service-routes.js';
import type { Logger } from '../../core/logger.js';
import { isPlaylistKey } from '../content-types.js';
import { hasDeliveryDirectives } from '../low-latency/blocking-request.js';
import type { GetOptions, ObjectMeta, ObjectStore } from '../object-store.js';
import type { StoreChanges } from '../store-changes.js';
import { conditionalGetOptions, ifRangeAllows } from './conditional-headers.js';
import { LowLatencyHandler, type LowLatencyOptions, type LowLatencyRefusal, type PlaylistAnswer } from './low-latency-handler.js';
import { parseRangeHeader } from './range-header.js';
import { objectKeyFromRawPath } from './request-key.js';

export interface OriginAppOptions {
  store: ObjectStore;
  logger: Logger;
  registry: Registry;
  /** Access-Control-Allow-Origin. @defaultValue '*' */
  corsOrigin?: string;
  /**
   * Changes of `store` made in this process (`observeStore`): blocked LL-HLS requests wake on them at
   * once. Without it they poll the store every `lowLatency.pollIntervalMs`. Give it only when every
   * writer of the store goes through it: a change it does not see wakes nobody.
   */
  changes?: StoreChanges;
  lowLatency?: LowLatencyOptions;
  /** Once aborted, held LL-HLS requests are answered 503 at once, so that a closing server does not wait for them. */
  shutdown?: AbortSignal;
}

const exposedHeaders = ['Content-Length', 'Content-Range', 'ETag', 'Last-Modified', 'Age', 'Cache-Control', 'Accept-Ranges'];

export function createOriginApp(options: OriginAppOptions): Hono<{ Bindings: HttpBindings }> {
  const { store, logger, registry } = options;
  const bytesSent = new Counter({
    name: 'hlscdn_origin_bytes_sent_total',
    help: 'Body bytes the origin was asked to send, by object kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const lowLatency = new LowLatencyHandler({ store, logger, registry, changes: options.changes, ...options.lowLatency });
  if (options.shutdown?.aborted) lowLatency.close();
  else options.shutdown?.addEventListener('abort', () => lowLatency.close(), { once: true });
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError(handleHttpError(logger));
  app.use('*', requestObservability({ registry, logger }));
  app.use(
    '*',
    cors({ origin: options.corsOrigin ?? '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: exposedHeaders, maxAge: 86_400 }),
  );
  mountServiceRoutes(app, { registry, checks: [{ name: 'store', check: () => store.check() }] });

  app.on(['GET', 'HEAD'], '*', async (c) => {
    const key = requestKey(c);
    if (isPlaylistKey(key)) {
      const query = new URL(c.req.url).searchParams;
      if (hasDeliveryDirectives(query)) {
        const answer = await lowLatency.playlist(key, query, requestSignal(c));
        if (answer.kind !== 'plain') return sendPlaylistAnswer(c, answer);
      }
    }
    return serveObject(c, key, true);
  });

  /** `waitIfHinted`: a missing object that a preload hint names is waited for once, then served or 404. */
  async function serveObject(c: Context<{ Bindings: HttpBindings }>, key: string, waitIfHinted: boolean): Promise<Response> {
    const missing = async () => {
      if (!waitIfHinted || isPlaylistKey(key)) return notFound(c, key);
      const hinted = await lowLatency.hintedObject(key, requestSignal(c));
      return hinted.kind === 'stored' ? serveObject(c, key, false) : sendRefusal(c, hinted);
    };
    if (c.req.method === 'HEAD') {
      const meta = await store.head(key);
      if (!meta) return missing();
      setObjectHeaders(c, meta);
      c.header('Content-Length', String(meta.size));
      return c.body(null, 200);
    }
    const getOptions: GetOptions = conditionalGetOptions({
      ifNoneMatch: c.req.header('if-none-match'),
      ifModifiedSince: c.req.header('if-modified-since'),
    });
    const range = parseRangeHeader(c.req.header('range'));
    // If-Range needs the current validator before deciding on the range.
    const ifRange = c.req.header('if-range');
    if (range && (!ifRange || ifRangeAllows(ifRange, (await store.head(key)) ?? { etag: '', lastModified: new Date(0) })))
      getOptions.range = range;

    const result = await store.get(key, getOptions);
    switch (result.kind) {
      case 'not-found':
        return missing();
      case 'not-modified':
        setObjectHeaders(c, result.meta);
        return c.body(null, 304);
      case 'range-not-satisfiable':
        c.header('Content-Range', `bytes */${result.size}`);
        return c.json(
          errorBody('range-not-satisfiable', `the range ${c.req.header('range')} is outside the object (${result.size} bytes)`),
          416,
        );
      case 'body': {
        setObjectHeaders(c, result.meta);
        const length = result.range ? result.range.end - result.range.start + 1 : result.meta.size;
        c.header('Content-Length', String(length));
        if (result.range) c.header('Content-Range', `bytes ${result.range.start}-${result.range.end}/${result.meta.size}`);
        bytesSent.inc({ kind: isPlaylistKey(key) ? 'playlist' : 'media' }, length);
        const body = Readable.toWeb(result.body) as ReadableStream<Uint8Array>;
        return c.body(body, result.range ? 206 : 200);
      }
    }
  }

  function sendPlaylistAnswer(c: Context, answer: Exclude<PlaylistAnswer, { kind: 'plain' }>): Response {
    if (answer.kind === 'refusal') return sendRefusal(c, answer);
    // Served from the text the wait read: no ranges, no 304 (players do not send validators with _HLS_ directives).
    const body = Buffer.from(answer.text, 'utf8');
    c.header('Content-Type', answer.meta.contentType);
    if (answer.cacheControl) c.header('Cache-Control', answer.cacheControl);
    c.header('ETag', answer.etag);
    c.header('Last-Modified', answer.meta.lastModified.toUTCString());
    c.header('Content-Length', String(body.length));
    if (c.req.method === 'HEAD') return c.body(null, 200);
    bytesSent.inc({ kind: 'playlist' }, body.length);
    return c.body(body, 200);
  }

  app.all('*', (c) => {
    c.header('Allow', 'GET, HEAD, OPTIONS');
    return c.json(
      errorBody('method-not-allowed', `${c.req.method} is not served here: the origin is read-only over HTTP (GET, HEAD)`),
      405,
    );
  });
  return app;
}

function requestKey(c: Context<{ Bindings: HttpBindings }>): string {
  // The raw URL from Node, before WHATWG normalization resolves "..".
  const raw = c.env?.incoming?.url ?? new URL(c.req.url).pathname;
  const key = objectKeyFromRawPath(raw);
  if (!key.ok) throw new HlscdnError('invalid-key', key.error);
  return key.value;
}

function setObjectHeaders(c: Context, meta: ObjectMeta): void {
  c.header('Content-Type', meta.contentType);
  if (meta.cacheControl) c.header('Cache-Control', meta.cacheControl);
  c.header('ETag', meta.etag);
  c.header('Last-Modified', meta.lastModified.toUTCString());
  c.header('Accept-Ranges', 'bytes');
}

/**
 * The request's abort signal: it fires when the client goes away. The node adapter creates it on first
 * access, so a client already gone by then is recognised by its socket.
 */
function requestSignal(c: Context<{ Bindings: HttpBindings }>): AbortSignal {
  const signal = c.req.raw.signal;
  return c.env?.incoming?.socket?.destroyed ? AbortSignal.abort() : signal;
}

function sendRefusal(c: Context, refusal: LowLatencyRefusal): Response {
  // The answer changes as soon as the playlist moves on: no cache may keep it.
  c.header('Cache-Control', 'no-cache');
  // A closing server waits for its connections: this one need not stay open for another request.
  if (refusal.code === 'shutting-down') c.header('Connection', 'close');
  return c.json(errorBody(refusal.code, refusal.message), refusal.status);
}

function notFound(c: Context, key: string): Response {
  // Misses on playlists must not be cached long: the object may appear a moment later.
  c.header('Cache-Control', 'no-cache');
  return c.json(errorBody('not-found', `no object at ${key}`), 404);
}
