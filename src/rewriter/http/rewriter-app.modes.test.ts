/**
 * HTTP contract of the modes (absolute, redirect, steering, per-request override), the
 * fallback when the registry is stale or empty, signing, the player page and readiness.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendSignature } from '../../edge/index.js';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { BASE_PATHWAY_ID, type SteeringManifest } from '../targeting/index.js';
import { MASTER, mediaPlaylist, rawRequest, startAppFixture, TEST_EDGES, type AppFixture } from './test-support/app-fixture.js';

let fixture: AppFixture;
const live = { edges: TEST_EDGES, ageMs: 100, connected: true };
const uriLines = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

beforeAll(async () => {
  fixture = await startAppFixture();
  await fixture.store.put('live/master.m3u8', MASTER);
  await fixture.store.put('live/v0/index.m3u8', mediaPlaylist());
  await fixture.store.put('vod/index.m3u8', mediaPlaylist({ endList: true, segments: 20 }));
});

beforeEach(() => {
  fixture.fleet.view = live;
});

afterAll(async () => {
  await fixture?.close();
});

describe('redirect mode', () => {
  it('points media objects at the rewriter, which answers 302 to the edge chosen now, uncacheable', async () => {
    const app = fixture.app({ mode: 'redirect' });
    const text = await (await rawRequest(app, '/live/v0/index.m3u8')).text();
    expect(uriLines(text)).toEqual(['seg10.ts', 'seg11.ts', 'seg12.ts']);
    const res = await rawRequest(app, '/live/v0/seg10.ts?token=abc&hlscdn_mode=redirect');
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const location = res.headers.get('location')!;
    expect(TEST_EDGES.some((edge) => location === `${edge.url}/live/v0/seg10.ts?token=abc`)).toBe(true);
  });

  it('redirects each object to the same edge absolute mode writes for it', async () => {
    const absolute = uriLines(await (await rawRequest(fixture.app(), '/vod/index.m3u8')).text());
    const app = fixture.app({ mode: 'redirect' });
    for (const uri of absolute) {
      const path = new URL(uri).pathname;
      expect((await rawRequest(app, path)).headers.get('location')).toBe(uri);
    }
  });

  it('moves objects off an edge that left, at once', async () => {
    const app = fixture.app({ mode: 'redirect' });
    const before = (await rawRequest(app, '/live/v0/seg10.ts')).headers.get('location')!;
    fixture.fleet.view = { ...live, edges: TEST_EDGES.filter((edge) => !before.startsWith(edge.url)) };
    const after = (await rawRequest(app, '/live/v0/seg10.ts')).headers.get('location')!;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^http:\/\/127\.0\.0\.1:810[123]\/live\/v0\/seg10\.ts$/);
  });

  it('answers a retry with another edge: the backup choice (hlscdn_backup=1) or any but the failed host (hlscdn_avoid)', async () => {
    const app = fixture.app({ mode: 'redirect' });
    const locationOf = async (target: string) => (await rawRequest(app, target)).headers.get('location')!;
    const primary = await locationOf('/live/v0/seg10.ts?token=abc');
    const backup = await locationOf('/live/v0/seg10.ts?token=abc&hlscdn_backup=1');
    expect(new URL(backup).host).not.toBe(new URL(primary).host);
    expect(new URL(backup).pathname + new URL(backup).search).toBe('/live/v0/seg10.ts?token=abc');
    // Avoiding the primary's host gives the backup; avoiding another host changes nothing.
    expect(await locationOf(`/live/v0/seg10.ts?token=abc&hlscdn_avoid=${new URL(primary).host}`)).toBe(backup);
    expect(await locationOf(`/live/v0/seg10.ts?token=abc&hlscdn_avoid=${new URL(backup).host}`)).toBe(primary);
    for (const bad of ['hlscdn_backup=yes', 'hlscdn_avoid=a%20b', 'hlscdn_avoid=']) {
      const res = await rawRequest(app, `/live/v0/seg10.ts?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/hlscdn_(backup|avoid) must be/);
    }
  });

  it('is chosen per request by ?hlscdn_mode=, which a master carries into its sub-playlist URIs', async () => {
    const app = fixture.app();
    const master = await (await rawRequest(app, '/live/master.m3u8?hlscdn_mode=redirect')).text();
    expect(master).toContain('\nv0/index.m3u8?hlscdn_mode=redirect\n');
    expect(master).toContain('URI="audio/index.m3u8?hlscdn_mode=redirect"');
    const media = await (await rawRequest(app, '/live/v0/index.m3u8?hlscdn_mode=redirect')).text();
    expect(uriLines(media)[0]).toBe('seg10.ts');
    // The deployment default is untouched.
    expect(uriLines(await (await rawRequest(app, '/live/v0/index.m3u8')).text())[0]).toMatch(/^http:\/\/127\.0\.0\.1:810[123]\//);
  });
});

describe('steering mode', () => {
  it('adds EXT-X-CONTENT-STEERING to the master with a steering endpoint and the base pathway', async () => {
    const text = await (await rawRequest(fixture.app({ mode: 'steering' }), '/live/master.m3u8')).text();
    expect(text).toContain(`#EXT-X-CONTENT-STEERING:SERVER-URI="../.hlscdn/steering",PATHWAY-ID="${BASE_PATHWAY_ID}"`);
    expect(text).toContain(`#EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud",PATHWAY-ID="${BASE_PATHWAY_ID}"`);
    const resolved = new URL('../.hlscdn/steering', 'http://rewriter.test/live/master.m3u8');
    expect(resolved.pathname).toBe('/.hlscdn/steering');
  });

  it('serves a steering manifest whose clones pin media playlists to one edge', async () => {
    const app = fixture.app({ mode: 'steering', steeringTtlSec: 30 });
    const res = await rawRequest(app, '/.hlscdn/steering?hlscdn_mode=steering&_HLS_pathway=edge-b&_HLS_throughput=5000000');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const manifest = (await res.json()) as SteeringManifest;
    expect(manifest).toMatchObject({ VERSION: 1, TTL: 30, 'RELOAD-URI': 'steering?hlscdn_mode=steering' });
    expect(manifest['PATHWAY-PRIORITY']).toHaveLength(4);
    expect(manifest['PATHWAY-PRIORITY'][0]).toBe('edge-b');
    const clone = manifest['PATHWAY-CLONES'].find((c) => c.ID === 'edge-c')!;
    const pinned = await (
      await rawRequest(app, `/live/v0/index.m3u8?${new URLSearchParams(clone['URI-REPLACEMENT'].PARAMS).toString()}`)
    ).text();
    for (const uri of uriLines(pinned)) expect(uri.startsWith('http://127.0.0.1:8103/live/v0/')).toBe(true);
  });

  it('lists only the base pathway when no edge is usable', async () => {
    fixture.fleet.view = { edges: [], ageMs: 0, connected: true };
    const manifest = (await (await rawRequest(fixture.app({ mode: 'steering' }), '/.hlscdn/steering')).json()) as SteeringManifest;
    expect(manifest['PATHWAY-PRIORITY']).toEqual([BASE_PATHWAY_ID]);
  });
});

describe('fallback', () => {
  it('sends viewers to the public origin when the snapshot is too old, briefly cacheable', async () => {
    fixture.fleet.view = { edges: TEST_EDGES, ageMs: 60_000, connected: false };
    const res = await rawRequest(fixture.app({ publicOriginUrl: 'https://origin.example.com' }), '/live/v0/index.m3u8');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hlscdn-fallback')).toBe('registry-stale');
    expect(res.headers.get('cache-control')).toBe('public, max-age=1');
    expect(uriLines(await res.text())).toEqual(['seg10', 'seg11', 'seg12'].map((name) => `https://origin.example.com/live/v0/${name}.ts`));
  });

  it('still uses a disconnected snapshot younger than maxSnapshotAgeMs', async () => {
    fixture.fleet.view = { edges: TEST_EDGES, ageMs: 5_000, connected: false };
    const res = await rawRequest(fixture.app(), '/live/v0/index.m3u8');
    expect(res.headers.get('x-hlscdn-fallback')).toBeNull();
    expect(uriLines(await res.text())[0]).toMatch(/^http:\/\/127\.0\.0\.1:810[123]\//);
  });

  it('prefers fallbackBaseUrl, also for redirects, when no edge is live', async () => {
    fixture.fleet.view = { edges: [edgeRecord('edge-a', { state: 'draining' })], ageMs: 0, connected: true };
    const app = fixture.app({ fallbackBaseUrl: 'https://backup.example.net/cdn/', publicOriginUrl: 'https://origin.example.com' });
    const res = await rawRequest(app, '/live/v0/index.m3u8');
    expect(res.headers.get('x-hlscdn-fallback')).toBe('no-live-edge');
    expect(uriLines(await res.text())[0]).toBe('https://backup.example.net/cdn/live/v0/seg10.ts');
    const redirect = await rawRequest(app, '/live/v0/seg10.ts');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, 'https://backup.example.net/cdn/live/v0/seg10.ts']);
  });

  it('returns to edges as soon as they are back, for objects not listed at the fallback meanwhile', async () => {
    const app = fixture.app();
    fixture.fleet.view = { edges: [], ageMs: 0, connected: true };
    const during = await rawRequest(app, '/live/v0/index.m3u8');
    expect(during.headers.get('x-hlscdn-fallback')).toBe('no-live-edge');
    const listed = uriLines(await during.text());
    fixture.fleet.view = live;
    // What players hold stays as they got it (hls.js fails on a listed URI that changes)...
    expect(uriLines(await (await rawRequest(app, '/live/v0/index.m3u8')).text())).toEqual(listed);
    // ...and everything else goes to edges at once.
    expect(uriLines(await (await rawRequest(app, '/vod/index.m3u8')).text())[0]).toMatch(/^http:\/\/127\.0\.0\.1:810[123]\//);
  });
});

describe('signing', () => {
  const signing = { secret: 'rewriter-test-secret-0123', ttlSec: 600 };

  it('signs edge URLs with a bucketed expiry, so viewers share one rewrite', async () => {
    const app = fixture.app({ signatureBucketSec: 60 }, signing);
    const first = await rawRequest(app, '/live/v0/index.m3u8');
    const text = await first.text();
    expect(await (await rawRequest(app, '/live/v0/index.m3u8')).text()).toBe(text);
    for (const uri of uriLines(text)) {
      const url = new URL(uri);
      const expires = Number(url.searchParams.get('expires'));
      expect(expires % 60).toBe(0);
      expect(expires * 1000).toBeGreaterThanOrEqual(Date.now() + 600_000 - 1_000);
      expect(url.href).toBe(appendSignature(new URL(url.origin + url.pathname), { expiresAt: expires, secret: signing.secret }).href);
    }
    // Cached copies must not outlive half the signature lifetime.
    expect(first.headers.get('cache-control')).toBe('public, max-age=1');
    const vod = await rawRequest(fixture.app({ cache: { vodMaxAgeSec: 3_600 } }, signing), '/vod/index.m3u8');
    expect(vod.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('signs redirects', async () => {
    const location = (await rawRequest(fixture.app({ mode: 'redirect' }, signing), '/live/v0/seg10.ts')).headers.get('location')!;
    expect(new URL(location).searchParams.has('md5')).toBe(true);
  });
});

describe('zones', () => {
  it('prefers the edges of the zone named by the zone header', async () => {
    fixture.fleet.view = { ...live, edges: [...TEST_EDGES, edgeRecord('edge-eu', { url: 'http://127.0.0.1:8199', zone: 'eu' })] };
    const res = await rawRequest(fixture.app(), '/vod/index.m3u8', { headers: { 'x-hlscdn-zone': 'eu' } });
    for (const uri of uriLines(await res.text())) expect(uri.startsWith('http://127.0.0.1:8199/')).toBe(true);
  });
});

describe('service routes and the player', () => {
  it('is ready with a live registry and a reachable origin, not with a stale registry', async () => {
    const app = fixture.app();
    expect((await rawRequest(app, '/readyz')).status).toBe(200);
    fixture.fleet.view = { edges: TEST_EDGES, ageMs: 60_000, connected: false };
    const stale = await rawRequest(app, '/readyz');
    expect(stale.status).toBe(503);
    expect(JSON.stringify(await stale.json())).toContain('registry');
  });

  it('counts requests by mode and outcome, fallbacks and per-edge assignments', async () => {
    const app = fixture.app();
    await rawRequest(app, '/live/v0/index.m3u8');
    fixture.fleet.view = { edges: [], ageMs: 0, connected: true };
    await rawRequest(app, '/live/v0/index.m3u8');
    const metrics = await (await rawRequest(app, '/metrics')).text();
    expect(metrics).toMatch(/hlscdn_rewriter_requests_total\{kind="playlist",mode="absolute",outcome="ok"[^}]*\} 1\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_requests_total\{kind="playlist",mode="absolute",outcome="fallback"[^}]*\} 1\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_fallbacks_total\{reason="no-live-edge"[^}]*\} 1\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_edge_assignments_total\{edge="fallback"[^}]*\} 3\n/);
    expect(metrics).toMatch(/hlscdn_rewriter_edge_assignments_total\{edge="edge-[abc]"/);
    expect(metrics).toContain('hlscdn_rewriter_rewrite_duration_seconds_count{kind="media"');
  });

  it('serves a player page for a playlist, with hls.js from the rewriter itself', async () => {
    const app = fixture.app();
    const page = await rawRequest(app, '/play/live/master.m3u8?hlscdn_mode=redirect');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('const SOURCE = "../../live/master.m3u8?hlscdn_mode=redirect";');
    expect(html).toContain('<script src="../../.hlscdn/hls.min.js"></script>');
    const script = await rawRequest(app, '/.hlscdn/hls.min.js');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await rawRequest(app, '/play/../etc/passwd')).status).toBe(400);
  });

  it('serves a Shaka Player page with ?hlscdn_player=shaka, without passing that parameter to the playlist', async () => {
    const app = fixture.app();
    const html = await (await rawRequest(app, '/play/live/master.m3u8?hlscdn_player=shaka&hlscdn_mode=redirect')).text();
    expect(html).toContain('const SOURCE = "../../live/master.m3u8?hlscdn_mode=redirect";');
    expect(html).toContain('<script src="../../.hlscdn/shaka-player.compiled.js"></script>');
    const script = await rawRequest(app, '/.hlscdn/shaka-player.compiled.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('shaka');
    const bad = await rawRequest(app, '/play/live/master.m3u8?hlscdn_player=vlc');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('hlscdn_player must be one of hls.js, shaka');
  });
});
