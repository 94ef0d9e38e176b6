/**
 * HTTP contract of playlist requests: statuses, headers, origin caching and coalescing,
 * LL-HLS parameters. A real origin server over a temp store; a stub registry view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../core/process/index.js';
import {
  MASTER,
  mediaPlaylist,
  rawRequest,
  startAppFixture,
  startScriptedOrigin,
  TEST_EDGES,
  type AppFixture,
} from './test-support/app-fixture.js';

let fixture: AppFixture;

beforeAll(async () => {
  fixture = await startAppFixture();
  const { store } = fixture;
  await store.put('live/master.m3u8', MASTER);
  await store.put('live/v0/index.m3u8', mediaPlaylist());
  await store.put('vod/index.m3u8', mediaPlaylist({ endList: true }));
  await store.put('bad/index.m3u8', 'this is not a playlist\n');
  await store.put('big/index.m3u8', `#EXTM3U\n${'#EXT-X-COMMENT-PADDING\n'.repeat(100)}`);
  for (let i = 0; i < 3; i++) await store.put(`many/${i}/index.m3u8`, mediaPlaylist());
});

afterAll(async () => {
  await fixture?.close();
});

const edgeUrls = TEST_EDGES.map((edge) => edge.url);

describe('playlist requests', () => {
  it('rewrites a live media playlist: segments on edges, playlist headers, CORS', async () => {
    const res = await rawRequest(fixture.app(), '/live/v0/index.m3u8');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('public, max-age=1');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBe('x-hlscdn-zone');
    const uris = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(uris).toHaveLength(3);
    for (const uri of uris) expect(edgeUrls.some((base) => uri.startsWith(`${base}/live/v0/seg`))).toBe(true);
  });

  it('points a master at sub-playlists relative to itself, with a short max-age', async () => {
    const res = await rawRequest(fixture.app(), '/live/master.m3u8');
    const text = await res.text();
    expect(text).toContain('URI="audio/index.m3u8"');
    expect(text).toContain('\nv0/index.m3u8\n');
    expect(res.headers.get('cache-control')).toBe('public, max-age=5');
  });

  it('gives VOD a longer max-age', async () => {
    const res = await rawRequest(fixture.app(), '/vod/index.m3u8');
    expect([res.status, res.headers.get('cache-control')]).toEqual([200, 'public, max-age=30']);
  });

  it('answers 404 for a playlist the origin does not have, with CORS headers', async () => {
    const res = await rawRequest(fixture.app(), '/nope/index.m3u8');
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await res.json()) as { error: string }).error).toBe('not-found');
  });

  it.each(['/live/../bad/index.m3u8', '/live/%2e%2e/bad/index.m3u8', '/live%2Fv0/index.m3u8', '/.hlscdn/x.m3u8', '/'])(
    'refuses %s with 400',
    async (path) => {
      const res = await rawRequest(fixture.app(), path);
      expect(res.status).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    },
  );

  it('answers 502 for malformed and oversized playlists', async () => {
    const app = fixture.app({ maxPlaylistBytes: 1024 });
    const malformed = await rawRequest(app, '/bad/index.m3u8');
    expect(malformed.status).toBe(502);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/malformed/);
    expect((await rawRequest(app, '/big/index.m3u8')).status).toBe(502);
  });

  it('answers 502 when the origin is unreachable, 504 when it is too slow', async () => {
    const closed = fixture.app({ originUrl: `http://127.0.0.1:${await findFreePort()}` });
    const unreachable = await rawRequest(closed, '/live/v0/index.m3u8');
    expect(unreachable.status).toBe(502);
    expect(((await unreachable.json()) as { message: string }).message).toMatch(/unreachable/);

    const silent = await startScriptedOrigin(() => undefined);
    try {
      const slow = await rawRequest(fixture.app({ originUrl: silent.url, originTimeoutMs: 200 }), '/live/v0/index.m3u8');
      expect(slow.status).toBe(504);
      expect(slow.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await silent.close();
    }
  });

  it('answers a CORS preflight with 204 and the allowed methods and headers', async () => {
    const res = await rawRequest(fixture.app(), '/live/v0/index.m3u8', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://player.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-hlscdn-zone',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-hlscdn-zone');
  });

  it('refuses other methods and an unknown mode', async () => {
    expect((await rawRequest(fixture.app(), '/live/v0/index.m3u8', { method: 'POST' })).status).toBe(405);
    expect((await rawRequest(fixture.app(), '/live/v0/index.m3u8?hlscdn_mode=proxy')).status).toBe(400);
  });
});

describe('origin fetches', () => {
  it('coalesces 30 concurrent viewers of one playlist into one origin request, and serves the next from cache', async () => {
    const app = fixture.app();
    const responses = await Promise.all(Array.from({ length: 30 }, () => rawRequest(app, '/many/0/index.m3u8')));
    const texts = await Promise.all(responses.map((res) => res.text()));
    expect(responses.every((res) => res.status === 200)).toBe(true);
    expect(new Set(texts).size).toBe(1);
    expect(fixture.store.reads('many/0/index.m3u8')).toBe(1);
    await rawRequest(app, '/many/0/index.m3u8');
    expect(fixture.store.reads('many/0/index.m3u8')).toBe(1);
    const metrics = await (await rawRequest(app, '/metrics')).text();
    expect(metrics).toMatch(/hlscdn_rewriter_origin_fetches_total\{outcome="ok"[^}]*\} 1\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_origin_coalesced_total\{via="in-flight"[^}]*\} 29\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_origin_coalesced_total\{via="cache"[^}]*\} 1\n/);
  });

  it('fetches again after half a target duration', async () => {
    const app = fixture.app();
    await rawRequest(app, '/many/1/index.m3u8');
    await fixture.store.put('many/1/index.m3u8', mediaPlaylist({ sequence: 11 }));
    // target duration 2 s: reused for 1 s, then refreshed.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const text = await (await rawRequest(app, '/many/1/index.m3u8')).text();
    expect(text).toContain('/many/1/seg13.ts');
    expect(fixture.store.reads('many/1/index.m3u8')).toBe(2);
  });

  it("keeps to the origin's Cache-Control and passes its Age on", async () => {
    const scripted = await startScriptedOrigin((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'max-age=0', age: '4' });
      response.end(mediaPlaylist({ endList: true }));
    });
    try {
      const app = fixture.app({ originUrl: scripted.url });
      const res = await rawRequest(app, '/vod/index.m3u8');
      expect(res.headers.get('age')).toBe('4');
      await rawRequest(app, '/vod/index.m3u8');
      expect(scripted.requests).toHaveLength(2);
    } finally {
      await scripted.close();
    }
  });
});

describe('LL-HLS blocking reloads', () => {
  it('forwards only _HLS_msn, _HLS_part and _HLS_skip, in a fixed order, each its own cache entry', async () => {
    const scripted = await startScriptedOrigin((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      response.end(mediaPlaylist({ sequence: 10 }));
    });
    try {
      const app = fixture.app({ originUrl: scripted.url });
      await rawRequest(app, '/ll/index.m3u8?token=secret&_HLS_skip=YES&_HLS_msn=12&hlscdn_mode=absolute');
      await rawRequest(app, '/ll/index.m3u8?_HLS_msn=12&_HLS_skip=YES');
      await rawRequest(app, '/ll/index.m3u8');
      expect(scripted.requests).toEqual(['/ll/index.m3u8?_HLS_msn=12&_HLS_skip=YES', '/ll/index.m3u8']);
    } finally {
      await scripted.close();
    }
  });

  it('answers 400 at once for _HLS_msn more than two past the last segment seen, and for _HLS_part alone', async () => {
    const scripted = await startScriptedOrigin((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      response.end(mediaPlaylist({ sequence: 10 }));
    });
    try {
      const app = fixture.app({ originUrl: scripted.url });
      // Unknown playlist: the rewriter cannot tell, so the request goes to the origin.
      expect((await rawRequest(app, '/ll/index.m3u8?_HLS_msn=99')).status).toBe(200);
      // Now the last segment is known to be 12.
      expect((await rawRequest(app, '/ll/index.m3u8?_HLS_msn=15')).status).toBe(400);
      expect((await rawRequest(app, '/ll/index.m3u8?_HLS_msn=14')).status).toBe(200);
      expect((await rawRequest(app, '/ll/index.m3u8?_HLS_part=1')).status).toBe(400);
      expect(scripted.requests).toHaveLength(2);
    } finally {
      await scripted.close();
    }
  });
});
