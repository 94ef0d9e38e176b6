/**
 * A front for Node's HTTP server on the connections themselves, for services
 * whose hot path is one small answer written thousands of times a second (the
 * rewriter's playlists). Per request Node's server builds an IncomingMessage
 * and a ServerResponse, validates every header and emits several events; with
 * the Web Request/Response objects of a Hono app on top, that is most of a
 * playlist request's CPU (docs/benchmarks.md "Rewriter"). Here simple
 * requests (raw-request.ts: GET/HEAD, no body) are read from the socket's
 * bytes and answered with one write: from `answer` when it has the answer
 * ready, else from the app (`fetch`, Web objects, once per miss). A request
 * that is not simple hands the whole connection, unread bytes included, to
 * Node's server, which then serves it as if it had accepted it.
 */
import { STATUS_CODES, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readRawRequest, type RawRequest } from './raw-request.js';
import { RecentHeads } from './recent-heads.js';

/** A ready answer: the front adds Date, Connection and Content-Length. */
export interface RawAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  /** A string: the head and the body then go out in one write. */
  body: string;
  bodyBytes: number;
  /**
   * A slot where the front keeps the last response it encoded for this answer, for an
   * answer written many times with the same body (the same slot object each time). The
   * `headers` object must then be a new one whenever a header changes.
   */
  encoded?: EncodedAnswer;
}

/**
 * The bytes of the last full response written for an answer, and what its head was made
 * from: while those are the same (the same headers object, the same Date second, the same
 * keep-alive), the head is not built and the body not copied and encoded again for every
 * viewer.
 */
export interface EncodedAnswer {
  headers?: OutgoingHttpHeaders;
  status?: number;
  second?: number;
  close?: boolean;
  bytes?: Buffer;
}

/** What the app sees of the connection in `env.incoming` (the fields @hono/node-server's HttpBindings users read). */
export interface RawIncoming {
  url: string;
  method: string;
  headers: Record<string, string>;
  socket: Socket;
}

export interface RawFrontOptions {
  /**
   * The answer to a simple request when one is ready, else undefined (the app answers). A head
   * repeated on a connection comes as the same request object (recent-heads.ts): read it, do not
   * change it.
   */
  answer: (request: RawRequest, now: number) => RawAnswer | undefined;
  /** The app: answers what `answer` has not. */
  fetch: (request: Request, env: { incoming: RawIncoming }) => Response | Promise<Response>;
  /** Node's server, not listening: connections that are not simple are handed to it. */
  httpServer: Server;
  /** Idle keep-alive connections are closed after this long. @defaultValue 60_000 */
  idleTimeoutMs?: number;
  now?: () => number;
}

export interface RawFront {
  /** The `connection` listener for a net.Server. */
  onConnection(socket: Socket): void;
  /** Ends idle connections now and destroys the rest after `graceMs`. */
  close(graceMs: number): void;
}

const SAFE_HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;
const NO_BODY_STATUS = new Set([204, 304]);
// Headers the front writes itself; an app's own values for them are dropped.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);
// Hop-by-hop and framing headers are the connection's, not the request's: the app never sees them.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection']);

export function createRawFront(options: RawFrontOptions): RawFront {
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sockets = new Map<Socket, { busy: () => boolean }>();
  let closing = false;
  let dateSecond = -1;
  let dateValue = '';
  const httpDate = (ms: number) => {
    const second = Math.floor(ms / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateValue = new Date(second * 1000).toUTCString();
    }
    return dateValue;
  };

  // Whether a header name (as the app spells it) is one the front writes itself; apps use a handful of names.
  // Cached because a per-viewer answer (no encoded slot) builds its head on every request.
  const framingByName = new Map<string, boolean>();
  const isFraming = (name: string) => {
    let framing = framingByName.get(name);
    if (framing === undefined) {
      framing = FRAMING.has(name.toLowerCase());
      if (framingByName.size < 1_000) framingByName.set(name, framing);
    }
    return framing;
  };

  const head = (status: number, headers: OutgoingHttpHeaders, bodyBytes: number | undefined, close: boolean, at: number) => {
    let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\nDate: ${httpDate(at)}\r\nConnection: ${close ? 'close' : 'keep-alive'}\r\n`;
    if (bodyBytes !== undefined) text += `Content-Length: ${bodyBytes}\r\n`;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || isFraming(name)) continue;
      if (Array.isArray(value)) for (const item of value) text += `${name}: ${item}\r\n`;
      else text += `${name}: ${value}\r\n`;
    }
    return `${text}\r\n`;
  };

  /** A ready answer as bytes to write: from its slot while the head would come out the same. */
  const encode = (ready: RawAnswer, method: RawRequest['method'], close: boolean, at: number): string | Buffer => {
    const slot = ready.encoded;
    if (method === 'HEAD' || slot === undefined) {
      const text = head(ready.status, ready.headers, ready.bodyBytes, close, at);
      return method === 'HEAD' ? text : text + ready.body;
    }
    const second = Math.floor(at / 1000);
    if (
      slot.bytes === undefined ||
      slot.headers !== ready.headers ||
      slot.status !== ready.status ||
      slot.second !== second ||
      slot.close !== close
    ) {
      slot.bytes = Buffer.from(head(ready.status, ready.headers, ready.bodyBytes, close, at) + ready.body, 'utf8');
      Object.assign(slot, { headers: ready.headers, status: ready.status, second, close });
    }
    return slot.bytes;
  };

  async function fromApp(request: RawRequest, socket: Socket, close: boolean): Promise<string | Buffer> {
    const host = request.headers.host;
    const url = `http://${host !== undefined && SAFE_HOST.test(host) ? host : 'localhost'}${request.target}`;
    let response: Response;
    let body: Buffer;
    try {
      const headers = Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name));
      response = await options.fetch(new Request(url, { method: request.method, headers }), {
        incoming: { url: request.target, method: request.method, headers: request.headers, socket },
      });
      // Read here, inside the try: a body stream that errors is a 500 like a throwing app, not a rejection nobody catches.
      body = response.body === null ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
    } catch {
      const body = '{"error":{"code":"internal","message":"the request could not be answered"}}';
      // `close` as for any answer: serve() ends the connection only when it is set, so the head must say the same.
      return head(500, { 'content-type': 'application/json' }, Buffer.byteLength(body), close, now()) + body;
    }
    const headers: OutgoingHttpHeaders = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    const declared = response.headers.get('content-length');
    const noBody = NO_BODY_STATUS.has(response.status);
    // A HEAD answer's body is gone (Hono drops it), so its length is the declared one or none, never 0.
    const length = noBody ? undefined : request.method === 'HEAD' ? (declared === null ? undefined : Number(declared)) : body.byteLength;
    // Header values are byte strings: latin1, as Node writes them, whether a body follows or not.
    const text = Buffer.from(head(response.status, headers, length, close, now()), 'latin1');
    return request.method === 'HEAD' || body.byteLength === 0 ? text : Buffer.concat([text, body]);
  }

  function onConnection(socket: Socket): void {
    let pending = '';
    let busy = false;
    const recentHeads = new RecentHeads();
    const onTimeout = () => socket.destroy();
    const onError = () => socket.destroy();
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      // A throwing `answer` must not become an unhandled rejection (it would end the process): drop the connection.
      if (!busy) serve().catch(() => socket.destroy());
    };
    const detach = () => {
      socket.off('data', onData);
      socket.off('timeout', onTimeout);
      socket.off('error', onError);
      socket.setTimeout(0);
      sockets.delete(socket);
    };
    sockets.set(socket, { busy: () => busy });
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.setTimeout(idleTimeoutMs, onTimeout);
    socket.on('error', onError);
    socket.on('data', onData);

    const handOff = () => {
      detach();
      if (pending !== '') socket.unshift(Buffer.from(pending, 'latin1'));
      pending = '';
      options.httpServer.emit('connection', socket);
      // Node's server reads what arrives from now on itself; the bytes put back above must flow to it too.
      socket.resume();
    };

    async function serve(): Promise<void> {
      busy = true;
      try {
        while (!socket.destroyed) {
          // A repeated head gives the same request object again (answer() treats requests as read-only).
          const seen = recentHeads.match(pending);
          const read = seen ?? readRawRequest(pending);
          if (read.kind === 'incomplete') break;
          if (read.kind === 'unsupported') return handOff();
          if (seen === undefined) {
            recentHeads.remember(pending.slice(0, read.length), read);
            // The reader's own object, kept for this connection only: the peer goes on it once.
            read.request.remoteAddress = socket.remoteAddress;
          }
          pending = pending.slice(read.length);
          const { request } = read;
          const close = request.close || closing;
          const at = now();
          const ready = options.answer(request, at);
          const bytes = ready === undefined ? await fromApp(request, socket, close) : encode(ready, request.method, close, at);
          if (socket.destroyed) return;
          const flushed = typeof bytes === 'string' ? socket.write(bytes, 'utf8') : socket.write(bytes);
          // A close() that came while the answer was being made ends the connection too, not only at the grace deadline.
          if (close || closing) {
            // Only stop reading: the error and timeout handlers stay, or a reset from the peer would be an uncaught 'error'.
            socket.off('data', onData);
            socket.end();
            return;
          }
          if (!flushed) await new Promise((resolve) => socket.once('drain', resolve));
        }
      } finally {
        busy = false;
      }
    }
  }

  return {
    onConnection,
    close(graceMs) {
      closing = true;
      for (const [socket, state] of sockets) if (!state.busy()) socket.end();
      setTimeout(() => {
        for (const socket of sockets.keys()) socket.destroy();
      }, graceMs).unref();
    },
  };
}
