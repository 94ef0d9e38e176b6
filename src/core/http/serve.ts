/** Runs a Hono app on Node's HTTP server and gives back a handle whose close() is idempotent and waits. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { HlscdnError } from '../errors.js';

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
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startHttpServer(app: Hono<any, any, any>, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const honoListener = getRequestListener(app.fetch);
  const fastPath = options.fastPath;
  const server = createServer(fastPath ? (req, res) => void (fastPath(req, res) || honoListener(req, res)) : honoListener);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} on ${host} is already in use: stop what holds it or choose another port`
          : error.message;
      reject(new HlscdnError('unavailable', `cannot listen on ${host}:${options.port}: ${hint}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | undefined;
      resolve({ url: `http://${shownHost}:${port}`, port, close: () => (closing ??= closeServer(server)) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
