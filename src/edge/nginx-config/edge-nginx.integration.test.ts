/**
 * Runs the rendered config in the real nginx: `nginx -t` for both variants, then a smoke
 * test of caching, cache keys, failover, CORS, signed links and the status listener
 * against a counting node:http origin. Spawning stays local on purpose (no shared harness).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSignature, signEdgeUrl } from '../secure-link/index.js';
import type { EdgeAccessLogRecord } from './access-log-record.js';
import type { EdgeConfigInput } from './edge-config-schema.js';
import { renderEdgeConfig } from './render-edge-config.js';

const NGINX = process.env.HLSCDN_NGINX_BIN ?? '/usr/sbin/nginx';
// As root nginx drops workers to nobody unless told otherwise; nobody cannot use the
// test's 0700 temp dirs.
const USER = process.getuid?.() === 0 ? 'root' : undefined;
const SECRET = 'integration-secret-0123456789';

const SEGMENT_BODY = Buffer.from('SEGMENT-ONE-'.repeat(100));
const PLAYLIST_BODY = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg1.ts\n';

interface Origin {
  readonly server: Server;
  readonly url: string;
  /** Requests seen per path. */
  readonly hits: Map<string, number>;
  /** Full request target of every request, in order. */
  readonly requests: string[];
}

async function startOrigin(): Promise<Origin> {
  const hits = new Map<string, number>();
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const path = decodeURIComponent(new URL(target, 'http://origin').pathname);
    requests.push(target);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    // A CORS header of its own: the edge must hide it, not send a second one.
    res.setHeader('Access-Control-Allow-Origin', 'https://origin.example');
    if (path.endsWith('.ts')) {
      if (!/^\/live\/seg ?\d\.ts$/.test(path)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'video/mp2t',
        'Content-Length': SEGMENT_BODY.length,
        'Cache-Control': 'public, max-age=31536000',
      });
      res.end(SEGMENT_BODY);
      return;
    }
    if (path === '/live/index.m3u8') {
      // no-cache would keep nginx from caching at all if it honoured it; the edge TTL wins.
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache' });
      res.end(PLAYLIST_BODY);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits, requests };
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
  readonly status: string;
  readonly accessLog: string;
  readonly cacheDir: string;
  readonly child: ChildProcess;
  stderr: string;
}

/** Renders, checks (`nginx -t`) and starts one edge; resolves once /healthz answers. */
async function startEdge(
  name: string,
  options: Omit<EdgeConfigInput, 'edgeId' | 'listenPort' | 'statusPort' | 'cacheDir' | 'prefixDir'>,
): Promise<Edge> {
  const prefix = await mkdtemp(join(tmpdir(), `hlscdn-${name}-`));
  const listenPort = await freePort();
  const statusPort = await freePort();
  const cacheDir = join(prefix, 'cache');
  const conf = join(prefix, 'nginx.conf');
  const text = renderEdgeConfig({
    edgeId: name,
    listenHost: '127.0.0.1',
    listenPort,
    statusPort,
    cacheDir,
    prefixDir: prefix,
    user: USER,
    ...options,
  });
  // The text may hold the signing secret.
  await writeFile(conf, text, { mode: 0o600 });

  const check = await runNginxTest(prefix, conf);
  if (check.code !== 0) throw new Error(`nginx -t failed for ${name}:\n${check.output}`);

  const child = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const edge: Edge = {
    prefix,
    base: `http://127.0.0.1:${listenPort}`,
    status: `http://127.0.0.1:${statusPort}`,
    accessLog: join(prefix, 'access.log'),
    cacheDir,
    child,
    stderr: '',
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    edge.stderr += chunk;
  });

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx ${name} exited early:\n${edge.stderr}`);
    try {
      const response = await fetch(`${edge.status}/healthz`);
      if (response.status === 200) return edge;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx ${name} did not become ready:\n${edge.stderr}`);
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

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += await countFiles(join(dir, entry.name));
    else if (entry.isFile()) count += 1;
  }
  return count;
}

async function readAccessLog(edge: Edge): Promise<EdgeAccessLogRecord[]> {
  const text = await readFile(edge.accessLog, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EdgeAccessLogRecord);
}

describe.skipIf(!existsSync(NGINX))('edge config in real nginx', () => {
  let origin: Origin | undefined;
  let plain: Edge | undefined;
  let signed: Edge | undefined;
  let deadOrigin = '';

  beforeAll(async () => {
    origin = await startOrigin();
    // Nothing listens here: the primary is down and every request must fail over.
    deadOrigin = `http://127.0.0.1:${await freePort()}`;
    plain = await startEdge('edge-plain', {
      origins: [deadOrigin, origin.url],
      playlistTtlSeconds: 30,
    });
    signed = await startEdge('edge-signed', {
      origins: [origin.url],
      signedUrls: { enabled: true, secret: SECRET },
    });
  });

  afterAll(async () => {
    await Promise.allSettled([stopEdge(plain), stopEdge(signed)]);
    if (origin) {
      origin.server.closeAllConnections();
      await new Promise<void>((resolve) => origin?.server.close(() => resolve()));
    }
  });

  function edges(): { origin: Origin; plain: Edge; signed: Edge } {
    if (!origin || !plain || !signed) throw new Error('setup failed');
    return { origin, plain, signed };
  }

  it('passes nginx -t for the unsigned and signed variants', async () => {
    // startEdge already refuses to start a config that fails nginx -t; check both again
    // explicitly so a failure here names the variant.
    for (const edge of [edges().plain, edges().signed]) {
      const result = await runNginxTest(edge.prefix, join(edge.prefix, 'nginx.conf'));
      expect(result.output).toContain('test is successful');
      expect(result.code).toBe(0);
    }
    const mode = (await stat(join(edges().signed.prefix, 'nginx.conf'))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('misses then hits a segment, through the backup origin', async () => {
    const { plain, origin } = edges();
    const first = await fetch(`${plain.base}/live/seg1.ts`);
    expect(first.status).toBe(200);
    expect(Buffer.from(await first.arrayBuffer()).equals(SEGMENT_BODY)).toBe(true);
    expect(first.headers.get('x-cache-status')).toBe('MISS');

    const second = await fetch(`${plain.base}/live/seg1.ts`);
    expect(second.status).toBe(200);
    await second.arrayBuffer();
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(second.headers.get('content-length')).toBe(String(SEGMENT_BODY.length));
    expect(origin.hits.get('/live/seg1.ts')).toBe(1);
    // The worker wrote the cache directory.
    expect(await countFiles(plain.cacheDir)).toBeGreaterThan(0);
  });

  it('does not let query tokens split the segment cache', async () => {
    const { plain, origin } = edges();
    const response = await fetch(`${plain.base}/live/seg1.ts?md5=abcdefghijklmnopqrstuv&expires=1700000000`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(response.headers.get('x-cache-status')).toBe('HIT');
    expect(origin.hits.get('/live/seg1.ts')).toBe(1);
  });

  it('caches playlists despite no-cache and keys them by the LL-HLS arguments only', async () => {
    const { plain, origin } = edges();
    const get = async (query: string) => {
      const response = await fetch(`${plain.base}/live/index.m3u8${query}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PLAYLIST_BODY);
      return response.headers.get('x-cache-status');
    };
    expect(await get('')).toBe('MISS');
    expect(await get('')).toBe('HIT');
    expect(await get('?token=abc')).toBe('HIT');
    expect(await get('?_HLS_msn=5&_HLS_part=1')).toBe('MISS');
    expect(await get('?_HLS_part=1&token=x&_HLS_msn=5')).toBe('HIT');
    expect(await get('?_HLS_msn=6&_HLS_part=1')).toBe('MISS');
    expect(origin.hits.get('/live/index.m3u8')).toBe(3);
    // Blocking-reload arguments reach the origin.
    expect(origin.requests).toContain('/live/index.m3u8?_HLS_msn=5&_HLS_part=1');
  });

  it('sends one CORS origin header and the edge id, on a 404 too', async () => {
    const { plain } = edges();
    const missing = await fetch(`${plain.base}/live/missing.ts`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
    // fetch joins repeated headers with ", ": exactly "*" means the origin's was hidden.
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect(missing.headers.get('access-control-expose-headers')).toContain('X-Cache-Status');
    expect(missing.headers.get('x-edge-id')).toBe('edge-plain');

    const ok = await fetch(`${plain.base}/live/seg1.ts`);
    await ok.arrayBuffer();
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('x-edge-id')).toBe('edge-plain');
  });

  it('answers a CORS preflight with 204 and refuses other methods', async () => {
    const { plain, origin } = edges();
    const before = origin.requests.length;
    const preflight = await fetch(`${plain.base}/live/seg1.ts`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://player.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('range');

    const post = await fetch(`${plain.base}/live/seg1.ts`, { method: 'POST', body: 'x' });
    await post.arrayBuffer();
    expect(post.status).toBe(405);
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
    expect(origin.requests.length).toBe(before);
  });

  it('answers stub_status and /healthz on the status port only', async () => {
    const { plain } = edges();
    const status = await fetch(`${plain.status}/nginx_status`);
    expect(status.status).toBe(200);
    expect(await status.text()).toMatch(/^Active connections: \d+/);

    const health = await fetch(`${plain.status}/healthz`);
    expect(await health.text()).toBe('ok');

    const viaViewerPort = await fetch(`${plain.base}/nginx_status`);
    expect(await viaViewerPort.text()).not.toContain('Active connections');
    const mediaOnStatus = await fetch(`${plain.status}/live/seg1.ts`);
    await mediaOnStatus.arrayBuffer();
    expect(mediaOnStatus.status).toBe(404);
  });

  it('writes JSON access log lines the agent can read', async () => {
    const { plain, origin } = edges();
    const records = await readAccessLog(plain);
    const hit = records.find((r) => r.uri === '/live/seg1.ts' && r.cacheStatus === 'HIT');
    expect(hit).toMatchObject({ edgeId: 'edge-plain', method: 'GET', status: 200 });
    expect(hit?.bodyBytesSent).toBe(SEGMENT_BODY.length);
    expect(hit?.bytesSent).toBeGreaterThan(SEGMENT_BODY.length);
    expect(typeof hit?.time).toBe('number');
    expect(typeof hit?.connection).toBe('number');
    // The first miss tried the dead primary, then the backup.
    const firstMiss = records.find((r) => r.uri === '/live/seg1.ts');
    expect(firstMiss?.upstreamAddr).toContain(new URL(origin.url).host);
    expect(firstMiss?.upstreamAddr).toContain(new URL(deadOrigin).host);
    expect(firstMiss?.upstreamStatus).toMatch(/200$/);
    // Status-port requests are not logged.
    expect(records.some((r) => r.uri.startsWith('/healthz'))).toBe(false);
  });

  describe('with signed URLs', () => {
    it('serves a validly signed segment', async () => {
      const { signed } = edges();
      const url = appendSignature(new URL(`${signed.base}/live/seg2.ts`), {
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        secret: SECRET,
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(SEGMENT_BODY)).toBe(true);
    });

    it('verifies the decoded path, as appendSignature signs it', async () => {
      const { signed, origin } = edges();
      const url = appendSignature(new URL(`${signed.base}/live/seg%205.ts`), {
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        secret: SECRET,
      });
      const response = await fetch(url);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(origin.hits.get('/live/seg 5.ts')).toBe(1);
    });

    it('refuses a tampered or missing signature with 403', async () => {
      const { signed } = edges();
      const expires = Math.floor(Date.now() / 1000) + 3600;
      const { md5 } = signEdgeUrl({ path: '/live/seg2.ts', expiresAt: expires, secret: SECRET });
      const tampered = `${md5.startsWith('A') ? 'B' : 'A'}${md5.slice(1)}`;
      const forged = await fetch(`${signed.base}/live/seg2.ts?md5=${tampered}&expires=${expires}`);
      await forged.arrayBuffer();
      expect(forged.status).toBe(403);
      expect(forged.headers.get('access-control-allow-origin')).toBe('*');

      const otherPath = await fetch(`${signed.base}/live/seg3.ts?md5=${md5}&expires=${expires}`);
      await otherPath.arrayBuffer();
      expect(otherPath.status).toBe(403);

      const bare = await fetch(`${signed.base}/live/seg2.ts`);
      await bare.arrayBuffer();
      expect(bare.status).toBe(403);
    });

    it('answers 410 once the link has expired', async () => {
      const { signed } = edges();
      const url = appendSignature(new URL(`${signed.base}/live/seg2.ts`), {
        expiresAt: Math.floor(Date.now() / 1000) - 60,
        secret: SECRET,
      });
      const response = await fetch(url);
      await response.arrayBuffer();
      expect(response.status).toBe(410);
      expect(response.headers.get('x-edge-id')).toBe('edge-signed');
    });

    it('does not require a signature for playlists', async () => {
      const { signed } = edges();
      const response = await fetch(`${signed.base}/live/index.m3u8`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PLAYLIST_BODY);
    });
  });
});
