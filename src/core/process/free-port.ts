/**
 * Free TCP ports on loopback. The kernel picks one for a listen on port 0; we
 * close it and hand the number to a child. Another process could take it in
 * between, so callers that spawn servers retry on "address in use".
 */
import { createServer } from 'node:net';

export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
