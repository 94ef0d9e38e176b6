/**
 * A GET on a fresh connection that is closed after the response. Probes and
 * the edge agent use it because nginx's stub_status counts every open
 * connection: a pooled keep-alive socket of ours would look like a viewer.
 */
import { get } from 'node:http';

export function plainGet(url: string, timeoutMs = 1_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
