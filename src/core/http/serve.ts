/** Runs a Hono app on Node's HTTP server and gives back a handle whose close() is idempotent and waits. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { HlscdnError } from '../errors.js';
import { createRawFront, type RawAnswer, type RawFront } from './raw-front.js';
import type { RawRequest } from './raw-request.js';

export interface RunningServer {
  /** `http://host:port` as bound (port 0 resolved). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** @defaultValue '127.0.0.1': nothing binds beyond loopback unless asked */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Answers a request before Hono sees it, returning true when it did: for hot
   * paths where building Request/Response objects is the main cost (the
   * rewriter's repeated playlist answers).
   */
  fastPath?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /**
   * Serves connections through the raw front (raw-front.ts) instead: simple
   * GET/HEAD requests are read from the socket and answered with one write,
   * from this function when it has the answer, else from the app; any other
   * request hands its connection to Node's server. Replaces `fastPath`.
   */
  rawFastPath?: (request: RawRequest, now: number) => RawAnswer | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startHttpServer(app: Hono<any, any, any>, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const honoListener = getRequestListener(app.fetch);
  const fastPath = options.fastPath;
  const server = createServer(fastPath ? (req, res) => void (fastPath(req, res) || honoListener(req, res)) : honoListener);
  if (options.rawFastPath === undefined) return listen(server, host, options.port, () => closeServer(server));
  const front = createRawFront({
    answer: options.rawFastPath,
    fetch: (request, env) => app.fetch(request, env),
    httpServer: server,
  });
  // Node's server tracks its connections (closeIdleConnections, closeAllConnections, headersTimeout and
  // requestTimeout checks) from its 'listening' event on; it never listens here, so start the tracking by hand.
  server.emit('listening');
  const listener = createNetServer({ noDelay: true }, (socket) => front.onConnection(socket));
  return listen(listener, host, options.port, () => closeFronted(listener, front, server));
}

function listen(listener: NetServer, host: string, port: number, close: () => Promise<void>): Promise<RunningServer> {
  const options = { port };
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} on ${host} is already in use: stop what holds it or choose another port`
          : error.message;
      reject(new HlscdnError('unavailable', `cannot listen on ${host}:${options.port}: ${hint}`, { cause: error }));
    };
    listener.once('error', onError);
    listener.listen(options.port, host, () => {
      listener.off('error', onError);
      const { port: bound } = listener.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | undefined;
      resolve({ url: `http://${shownHost}:${bound}`, port: bound, close: () => (closing ??= close()) });
    });
  });
}

/** Stops accepting, ends the front's idle connections, then closes the ones handed to Node's server. */
async function closeFronted(listener: NetServer, front: RawFront, httpServer: Server): Promise<void> {
  const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
  front.close(2_000);
  // close() of the never-listening server ends its idle connections and stops the tracking timer started above.
  httpServer.close();
  setTimeout(() => httpServer.closeAllConnections(), 2_000).unref();
  await stopped;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
