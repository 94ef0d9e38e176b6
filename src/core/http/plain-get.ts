/**
 * A GET on a fresh connection that is closed after the response. Probes and
 * the edge agent use it because nginx's stub_status counts every open
 * connection: a pooled keep-alive socket of ours would look like a viewer.
 * The timeout is a deadline for the whole exchange, not an idle timer: a hung
 * server accepts the connection (the kernel does) and then says nothing, and a
 * slow one may trickle bytes forever.
 */
import { get } from 'node:http';

export interface PlainGetAnswer {
  status: number;
  body: string;
  /** From sending the request to the response's status line. */
  ttfbMs: number;
}

export function plainGet(url: string, timeoutMs = 1_000): Promise<PlainGetAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = get(url, { agent: false }, (res) => {
      const ttfbMs = performance.now() - started;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, body, ttfbMs });
      });
      res.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
    });
    const deadline = setTimeout(() => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
  });
}
