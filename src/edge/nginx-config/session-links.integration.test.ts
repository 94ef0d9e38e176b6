/**
 * Runs the session-link checks of the rendered config in the real nginx against a
 * counting node:http origin: the signature and scope TypeScript writes (sessionLinkQuery)
 * must be what nginx's secure_link and scope maps accept, and nothing else. Spawning stays
 * local on purpose, as in edge-nginx.integration.test.ts (no shared harness).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSignature, sessionLinkQuery, type SessionLinkFields } from '../secure-link/index.js';
import { renderEdgeConfig } from './render-edge-config.js';

const NGINX = process.env.HLSCDN_NGINX_BIN ?? '/usr/sbin/nginx';
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

async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function runNginxTest(prefix: string, conf: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(NGINX, ['-t', '-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

interface Edge {
  readonly prefix: string;
  readonly base: string;
  readonly child: ChildProcess;
  stderr: string;
}

/** Renders, checks (`nginx -t`) and starts an edge with session links (and per-URL signing, which they replace). */
async function startEdge(originUrl: string): Promise<Edge> {
  const prefix = await mkdtemp(join(tmpdir(), 'hlscdn-session-links-'));
  const listenPort = await freePort();
  const statusPort = await freePort();
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

  const check = await runNginxTest(prefix, conf);
  if (check.code !== 0) throw new Error(`nginx -t failed:\n${check.output}`);

  const child = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const edge: Edge = { prefix, base: `http://127.0.0.1:${listenPort}`, child, stderr: '' };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    edge.stderr += chunk;
  });

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited early:\n${edge.stderr}`);
    try {
      const response = await fetch(`http://127.0.0.1:${statusPort}/healthz`);
      if (response.status === 200) return edge;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx did not become ready:\n${edge.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Graceful stop (SIGQUIT), then SIGKILL if nginx is still there after 10 s. */
async function stopEdge(edge: Edge | undefined): Promise<void> {
  if (!edge) return;
  const { child } = edge;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
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

describe.skipIf(!existsSync(NGINX))('session links in real nginx', () => {
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
