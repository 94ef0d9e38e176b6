/** Readiness probes for child programs: a TCP connect, an HTTP 2xx, a Redis PING. */
import { connect } from 'node:net';
import { plainGet } from '../http/plain-get.js';

export function tcpProbe(host: string, port: number, timeoutMs = 1_000): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
}

/** A 2xx answer, on a connection closed afterwards (a pooled socket would count as a viewer on nginx). */
export function httpProbe(url: string, timeoutMs = 1_000): () => Promise<boolean> {
  return async () => {
    try {
      const { status } = await plainGet(url, timeoutMs);
      return status >= 200 && status < 300;
    } catch {
      return false;
    }
  };
}

/** Sends an inline PING and waits for +PONG: proves Redis is accepting commands, not just connections. */
export function redisPingProbe(host: string, port: number, timeoutMs = 1_000): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host, port });
      let reply = '';
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        reply += chunk.toString('latin1');
        if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
      });
      socket.once('error', () => done(false));
    });
}
