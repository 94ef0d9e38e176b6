import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../core/http/serve.js';
import { silentLogger } from '../../core/logger.js';
import { FsObjectStore } from '../fs-object-store.js';
import { startOriginServer } from './origin-service.js';

let dir: string;
let store: FsObjectStore;
let server: RunningServer;
const segment = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

/** node:http sends the path exactly as given; fetch would normalize "..". */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/`, { path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-origin-'));
  store = new FsObjectStore({ root: join(dir, 'store') });
  await store.put('live/720p/index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_00001.ts\n');
  await store.put('live/720p/seg_00001.ts', segment);
  for (const key of ['vod/a/seg.m4s', 'vod/a/init.mp4', 'vod/audio.aac', 'vod/subs.vtt', 'vod/enc.key']) await store.put(key, 'x');
  server = await startOriginServer({ store, logger: silentLogger(), port: 0 });
});

afterAll(async () => {
  await server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('origin server', () => {
  it.each([
    ['live/720p/index.m3u8', 'application/vnd.apple.mpegurl'],
    ['live/720p/seg_00001.ts', 'video/mp2t'],
    ['vod/a/seg.m4s', 'video/iso.segment'],
    ['vod/a/init.mp4', 'video/mp4'],
    ['vod/audio.aac', 'audio/aac'],
    ['vod/subs.vtt', 'text/vtt'],
    ['vod/enc.key', 'application/octet-stream'],
  ])('serves %s as %s', async (key, type) => {
    const res = await fetch(`${server.url}/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    await res.arrayBuffer();
  });

  it('sends short caching for playlists and long immutable caching for segments, with validators', async () => {
    const playlist = await fetch(`${server.url}/live/720p/index.m3u8`);
    expect(playlist.headers.get('cache-control')).toBe('public, max-age=1');
    expect(await playlist.text()).toContain('#EXT-X-TARGETDURATION:2');
    const seg = await fetch(`${server.url}/live/720p/seg_00001.ts`);
    expect(seg.headers.get('cache-control')).toBe('public, max-age=604800, immutable');
    expect(seg.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(new Date(seg.headers.get('last-modified') ?? '').getTime()).toBeGreaterThan(0);
    expect(seg.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await seg.arrayBuffer()).equals(segment)).toBe(true);
  });

  it('answers 304 to a matching If-None-Match or a recent If-Modified-Since, 200 otherwise', async () => {
    const first = await fetch(`${server.url}/live/720p/seg_00001.ts`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    const byEtag = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { 'If-None-Match': `"other", ${etag}` } });
    expect(byEtag.status).toBe(304);
    expect(byEtag.headers.get('etag')).toBe(etag);
    const byDate = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { 'If-Modified-Since': lastModified } });
    expect(byDate.status).toBe(304);
    const changed = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { 'If-None-Match': '"stale"' } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
    const old = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { 'If-Modified-Since': new Date(0).toUTCString() } });
    expect(old.status).toBe(200);
    await old.arrayBuffer();
  });

  it('serves byte ranges with 206 and refuses unsatisfiable ones with 416', async () => {
    const part = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(part.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await part.arrayBuffer()).equals(segment.subarray(10, 20))).toBe(true);
    const suffix = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { Range: 'bytes=-5' } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(segment.subarray(995))).toBe(true);
    const outside = await fetch(`${server.url}/live/720p/seg_00001.ts`, { headers: { Range: 'bytes=5000-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */1000');
    await outside.arrayBuffer();
    const staleIfRange = await fetch(`${server.url}/live/720p/seg_00001.ts`, {
      headers: { Range: 'bytes=0-9', 'If-Range': '"old-version"' },
    });
    expect(staleIfRange.status).toBe(200);
    await staleIfRange.arrayBuffer();
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${server.url}/live/720p/seg_00001.ts`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('content-type')).toBe('video/mp2t');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 with CORS headers and no long caching', async () => {
    const res = await fetch(`${server.url}/live/720p/seg_99999.ts`, { headers: { Origin: 'https://player.example' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toMatchObject({ error: 'not-found' });
    const head = await fetch(`${server.url}/nothing.ts`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('answers CORS preflights and exposes the headers players need', async () => {
    const res = await fetch(`${server.url}/live/720p/index.m3u8`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://player.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    const get = await fetch(`${server.url}/live/720p/index.m3u8`, { headers: { Origin: 'https://player.example' } });
    expect(get.headers.get('access-control-expose-headers')).toContain('Content-Range');
    await get.text();
  });

  it.each([
    '/../etc/passwd',
    '/live/../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/live/..%2f..%2fetc%2fpasswd',
    '/live/%2E%2E/x',
    '/.hlscdn/meta/x.json',
  ])('refuses the traversal attempt %s with 400', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid-key' });
  });

  it('refuses writes with 405', async () => {
    const res = await fetch(`${server.url}/live/720p/index.m3u8`, { method: 'PUT', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('exposes health, readiness and metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'store', ok: true }] });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/hlscdn_http_requests_total\{[^}]*route="\/\*"[^}]*status="206"/);
    expect(metrics).toMatch(/hlscdn_origin_bytes_sent_total\{[^}]*kind="media"[^}]*\} \d+/);
  });

  it('reports not ready when the store is gone', async () => {
    const broken = new FsObjectStore({ root: join(dir, 'missing-root') });
    const other = await startOriginServer({ store: broken, logger: silentLogger(), port: 0 });
    try {
      const ready = await fetch(`${other.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not-ready', checks: [{ name: 'store', ok: false }] });
    } finally {
      await other.close();
    }
  });
});
