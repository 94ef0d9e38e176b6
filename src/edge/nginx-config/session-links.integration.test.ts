/**
 * Runs the session-link checks of the rendered config in the real nginx against a
 * counting node:http origin: the signature and scope TypeScript writes (sessionLinkQuery)
 * must be what nginx's secure_link and scope maps accept, and nothing else. nginx runs
 * through the project's own harness (core/process startNginx).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, httpProbe, startNginx, type ManagedProcess } from '../../core/process/index.js';
import { appendSignature, sessionLinkQuery, type SessionLinkFields } from '../secure-link/index.js';
import { renderEdgeConfig } from './render-edge-config.js';

// As root nginx drops workers to nobody unless told otherwise; nobody cannot use the
// test's 0700 temp dirs.
const USER = process.getuid?.() === 0 ? 'root' : undefined;
const SESSION_SECRET = 'session-integration-0123456789';
const URL_SECRET = 'per-url-integration-0123456789';

const SEGMENT_BODY = Buffer.from('SESSION-SEGMENT-'.repeat(64));
const PLAYLIST_BODY = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg1.ts\n';

interface Origin {
  readonly server: Server;
  readonly url: string;
  /** Requests seen per decoded path. */
  readonly hits: Map<string, number>;
}

async function startOrigin(): Promise<Origin> {
  const hits = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://origin').pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (/^\/live\/(a|b|ab)\/(hd\/)?seg\d\.ts$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': SEGMENT_BODY.length });
      res.end(SEGMENT_BODY);
      return;
    }
    if (path.endsWith('.m3u8')) {
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' });
      res.end(PLAYLIST_BODY);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits };
}

interface Edge {
  readonly prefix: string;
  readonly base: string;
  readonly nginx: ManagedProcess;
}

/** Renders and starts an edge with session links (and per-URL signing, which they replace). */
async function startEdge(originUrl: string): Promise<Edge> {
  const prefix = await mkdtemp(join(tmpdir(), 'hlscdn-session-links-'));
  const listenPort = await findFreePort();
  const statusPort = await findFreePort();
  const conf = join(prefix, 'nginx.conf');
  const text = renderEdgeConfig({
    edgeId: 'edge-sessions',
    listenHost: '127.0.0.1',
    listenPort,
    statusPort,
    cacheDir: join(prefix, 'cache'),
    prefixDir: prefix,
    user: USER,
    origins: [originUrl],
    signedUrls: { enabled: true, secret: URL_SECRET },
    sessionLinks: { enabled: true, secret: SESSION_SECRET },
  });
  await writeFile(conf, text, { mode: 0o600 });
  // startNginx fails with nginx's own words when the config does not load.
  const nginx = await startNginx({
    name: 'nginx:session-links',
    prefixDir: prefix,
    configFile: conf,
    probe: httpProbe(`http://127.0.0.1:${statusPort}/healthz`),
  });
  return { prefix, base: `http://127.0.0.1:${listenPort}`, nginx };
}

async function stopEdge(edge: Edge | undefined): Promise<void> {
  if (!edge) return;
  await edge.nginx.stop();
  await rm(edge.prefix, { recursive: true, force: true });
}

/** GET with the request target sent byte for byte (fetch would resolve `%2E%2E` itself). */
function rawGet(base: string, target: string): Promise<{ status: number; cache: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cache: res.headers['x-cache-status'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

const nowSec = () => Math.floor(Date.now() / 1000);

function session(overrides: Partial<SessionLinkFields> = {}): SessionLinkFields {
  return { sid: 'viewerSession001', exp: nowSec() + 3600, scope: '/live/a/', ...overrides };
}

describe('session links in real nginx', () => {
  let origin: Origin | undefined;
  let edge: Edge | undefined;

  beforeAll(async () => {
    origin = await startOrigin();
    edge = await startEdge(origin.url);
  });

  afterAll(async () => {
    await stopEdge(edge);
    if (origin) {
      origin.server.closeAllConnections();
      await new Promise<void>((resolve) => origin?.server.close(() => resolve()));
    }
  });

  function setup(): { origin: Origin; base: string } {
    if (!origin || !edge) throw new Error('setup failed');
    return { origin, base: edge.base };
  }

  const get = (path: string, fields: SessionLinkFields | undefined, secret = SESSION_SECRET) =>
    rawGet(setup().base, fields === undefined ? path : `${path}?${sessionLinkQuery(fields, secret)}`);

  it('serves a segment and a playlist under the scope', async () => {
    expect((await get('/live/a/seg1.ts', session())).status).toBe(200);
    expect((await get('/live/a/hd/seg2.ts', session())).status).toBe(200);
    expect((await get('/live/a/hd/index.m3u8', session())).status).toBe(200);
  });

  it('verifies what TypeScript signs for a bound IP, which must be the client address', async () => {
    expect((await get('/live/a/seg3.ts', session({ ip: '127.0.0.1' }))).status).toBe(200);
    expect((await get('/live/a/seg3.ts', session({ ip: '198.51.100.2' }))).status).toBe(403);
    expect((await get('/live/a/index.m3u8', session({ ip: '198.51.100.2' }))).status).toBe(403);
  });

  it('refuses a forged signature, another secret and a widened scope with 403', async () => {
    const fields = session();
    const query = sessionLinkQuery(fields, SESSION_SECRET);
    const sig = /hs_sig=([^&]+)/.exec(query)?.[1] ?? '';
    const flipped = `${sig.slice(0, 3)}${sig[3] === 'A' ? 'B' : 'A'}${sig.slice(4)}`;
    const { base } = setup();
    expect((await rawGet(base, `/live/a/seg1.ts?${query.replace(sig, flipped)}`)).status).toBe(403);
    expect((await get('/live/a/seg1.ts', fields, 'another-secret-0123456789')).status).toBe(403);
    expect((await rawGet(base, `/live/b/seg1.ts?${query.replace('hs_scope=/live/a/', 'hs_scope=/live/b/')}`)).status).toBe(403);
    expect((await rawGet(base, `/live/a/seg1.ts?${query.replace(`hs_exp=${fields.exp}`, `hs_exp=${fields.exp + 1}`)}`)).status).toBe(403);
  });

  it('refuses paths outside the scope with 403, by whole segments and on the decoded path', async () => {
    expect((await get('/live/b/seg1.ts', session())).status).toBe(403);
    expect((await get('/live/ab/seg1.ts', session())).status).toBe(403);
    expect((await get('/live/b/index.m3u8', session())).status).toBe(403);
    expect((await get('/live/a/%2E%2E/b/seg1.ts', session())).status).toBe(403);
    expect((await get('/live/a/../b/seg1.ts', session())).status).toBe(403);
    // The same sessions are good for their own stream.
    expect((await get('/live/ab/seg1.ts', session({ scope: '/live/ab/' }))).status).toBe(200);
    expect((await get('/live/b/seg1.ts', session({ scope: '/live/b/' }))).status).toBe(200);
  });

  it('signs the scope as written: a percent-encoded scope does not verify', async () => {
    const query = sessionLinkQuery(session(), SESSION_SECRET).replace('hs_scope=/live/a/', 'hs_scope=%2Flive%2Fa%2F');
    expect((await rawGet(setup().base, `/live/a/seg1.ts?${query}`)).status).toBe(403);
  });

  it('answers 410 for an expired session, 403 if it is also out of scope', async () => {
    const expired = session({ exp: nowSec() - 60 });
    expect((await get('/live/a/seg1.ts', expired)).status).toBe(410);
    expect((await get('/live/a/index.m3u8', expired)).status).toBe(410);
    expect((await get('/live/b/seg1.ts', expired)).status).toBe(403);
  });

  it('refuses a missing or incomplete session with 403, per-URL signatures included', async () => {
    const { base } = setup();
    expect((await rawGet(base, '/live/a/seg1.ts')).status).toBe(403);
    expect((await rawGet(base, '/live/a/index.m3u8')).status).toBe(403);
    const query = sessionLinkQuery(session(), SESSION_SECRET);
    expect((await rawGet(base, `/live/a/seg1.ts?${query.replace(/hs_sid=[^&]+&/, '')}`)).status).toBe(403);
    expect((await rawGet(base, `/live/a/seg1.ts?${query.replace(/hs_exp=[^&]+&/, '')}`)).status).toBe(403);
    expect((await rawGet(base, `/live/a/seg1.ts?${query.replace(/hs_exp=[^&]+&/, 'hs_exp=&')}`)).status).toBe(403);
    // Session links replace per-URL signatures: a valid md5/expires link alone is refused.
    const signed = appendSignature(new URL(`${base}/live/a/seg1.ts`), { expiresAt: nowSec() + 3600, secret: URL_SECRET });
    expect((await rawGet(base, `${signed.pathname}${signed.search}`)).status).toBe(403);
    // Health and canary stay open.
    expect((await rawGet(base, '/.hlscdn/health')).status).toBe(200);
  });

  it('keeps sessions out of the cache key: two viewers, one origin fetch', async () => {
    const { origin } = setup();
    const first = await get('/live/a/seg7.ts', session({ sid: 'viewerSessionAAA' }));
    const second = await get('/live/a/seg7.ts', session({ sid: 'viewerSessionBBB', ip: '127.0.0.1', exp: nowSec() + 600 }));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(origin.hits.get('/live/a/seg7.ts')).toBe(1);

    const playlistA = await get('/live/a/hd/live.m3u8', session({ sid: 'viewerSessionAAA' }));
    const playlistB = await get('/live/a/hd/live.m3u8', session({ sid: 'viewerSessionBBB' }));
    expect([playlistA.cache, playlistB.cache]).toEqual(['MISS', 'HIT']);
    expect(origin.hits.get('/live/a/hd/live.m3u8')).toBe(1);
  });
});
