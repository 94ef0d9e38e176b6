/** Runs a Hono app on @hono/node-server and gives back a handle whose close() is idempotent and waits. */
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
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
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startHttpServer(app: Hono<any, any, any>, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? `port ${options.port} on ${host} is already in use: stop what holds it or choose another port` : error.message;
      reject(new HlscdnError('unavailable', `cannot listen on ${host}:${options.port}: ${hint}`, { cause: error }));
    };
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port: options.port }, (info: AddressInfo) => {
      server.off('error', onError);
      const shownHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () => (closing ??= closeServer(server as Server)),
      });
    });
    server.once('error', onError);
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
