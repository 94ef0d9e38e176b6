/**
 * A rewriter app over a real origin server (filesystem store in a temp dir,
 * reads counted per key) with a stub fleet the test sets at will, for HTTP
 * contract tests through app.request(). Also a scripted origin for what the
 * store cannot do (headers, slow answers, seeing forwarded queries).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { Registry } from 'prom-client';
import { countingStore, type CountingStore } from '../../../../test/support/counting-store.js';
import type { RunningServer } from '../../../core/http/serve.js';
import { silentLogger } from '../../../core/logger.js';
import type { EdgeRecord } from '../../../edge-registry/index.js';
import { edgeRecord } from '../../../edge-registry/test-support/records.js';
import { FsObjectStore, startOriginServer } from '../../../origin-store/index.js';
import { rewriterSchema, type RewriterConfigInput, type RewriterSigning } from '../../config.js';
import type { FleetView } from '../../targeting/index.js';
import { createRewriterApp } from '../rewriter-app.js';

export const TEST_EDGES: EdgeRecord[] = [
  edgeRecord('edge-a', { url: 'http://127.0.0.1:8101' }),
  edgeRecord('edge-b', { url: 'http://127.0.0.1:8102' }),
  edgeRecord('edge-c', { url: 'http://127.0.0.1:8103' }),
];

export const MASTER = [
  '#EXTM3U',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/index.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud"',
  'v0/index.m3u8',
  '',
].join('\n');

export function mediaPlaylist(options: { sequence?: number; segments?: number; endList?: boolean; target?: number } = {}): string {
  const sequence = options.sequence ?? 10;
  const lines = ['#EXTM3U', `#EXT-X-TARGETDURATION:${options.target ?? 2}`, `#EXT-X-MEDIA-SEQUENCE:${sequence}`];
  for (let i = 0; i < (options.segments ?? 3); i++) lines.push('#EXTINF:2.0,', `seg${sequence + i}.ts`);
  if (options.endList) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

export interface AppFixture {
  origin: RunningServer;
  store: CountingStore;
  /** Set what the stub registry view returns. */
  fleet: { view: FleetView };
  app(config?: RewriterConfigInput, signing?: RewriterSigning): Hono<{ Bindings: HttpBindings }>;
  close(): Promise<void>;
}

export async function startAppFixture(): Promise<AppFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'hlscdn-rewriter-app-'));
  const store = countingStore(new FsObjectStore({ root: join(dir, 'store') }));
  const origin = await startOriginServer({ store, logger: silentLogger(), port: 0 });
  const fleet = { view: { edges: TEST_EDGES, ageMs: 100, connected: true } as FleetView };
  return {
    origin,
    store,
    fleet,
    app: (config = {}, signing) =>
      createRewriterApp({
        config: rewriterSchema.parse({ originUrl: origin.url, ...config }),
        signing,
        fleet: { snapshot: () => fleet.view },
        logger: silentLogger(),
        registry: new Registry(),
      }),
    close: async () => {
      await origin.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** app.request with the raw path Node would hand over (before "..", "%2e%2e" are resolved by WHATWG URL). */
export function rawRequest(app: Hono<{ Bindings: HttpBindings }>, rawUrl: string, init?: RequestInit): Promise<Response> {
  const env = { incoming: { url: rawUrl, socket: { remoteAddress: '10.0.0.7' } } } as unknown as HttpBindings;
  return Promise.resolve(app.request(`http://rewriter.test${rawUrl}`, init, env));
}

export type ScriptedHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A bare HTTP server answering with `handler`, recording each request URL. */
export async function startScriptedOrigin(handler: ScriptedHandler): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
