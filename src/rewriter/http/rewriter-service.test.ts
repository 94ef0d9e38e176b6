/**
 * startRewriter over a real origin with a stub registry view: the server's hot-answer path
 * answers repeat requests exactly as the app does, counts them, and lets fleet changes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { rewriterSchema } from '../config.js';
import { startRewriter, type RunningRewriter } from './rewriter-service.js';
import { mediaPlaylist, startAppFixture, TEST_EDGES, type AppFixture } from './test-support/app-fixture.js';

let fixture: AppFixture;
let rewriter: RunningRewriter;

beforeAll(async () => {
  fixture = await startAppFixture();
  await fixture.store.put('live/v0/index.m3u8', mediaPlaylist({ endList: true }));
  rewriter = await startRewriter({
    rewriter: rewriterSchema.parse({ port: 0, originUrl: fixture.origin.url }),
    signing: { ttlSec: 600 },
    registry: { view: { snapshot: () => fixture.fleet.view } },
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await rewriter?.close();
  await fixture?.close();
});

const headersOf = (res: Response) =>
  Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && name !== 'keep-alive' && name !== 'connection'));

describe('startRewriter', () => {
  it('answers a repeated playlist request with the same bytes and headers, and counts every answer', async () => {
    const url = `${rewriter.url}/live/v0/index.m3u8`;
    const first = await fetch(url, { headers: { 'x-hlscdn-zone': 'eu' } });
    const second = await fetch(url, { headers: { 'x-hlscdn-zone': 'eu' } });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    expect(headersOf(second)).toEqual(headersOf(first));
    expect(second.headers.get('access-control-allow-origin')).toBe('*');
    expect(second.headers.get('vary')).toBe('x-hlscdn-zone');
    const head = await fetch(url, { method: 'HEAD', headers: { 'x-hlscdn-zone': 'eu' } });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, first.headers.get('content-length')]);
    const metrics = await (await fetch(`${rewriter.url}/metrics`)).text();
    expect(metrics).toMatch(/hlscdn_rewriter_requests_total\{kind="playlist",mode="absolute",outcome="ok"[^}]*\} 3\n/);
    // Only the first went through the app (its generic per-route metrics): the others were hot answers.
    expect(metrics).toMatch(/hlscdn_http_requests_total\{method="GET",route="\/\*",status="200"[^}]*\} 1\n/);
    expect(fixture.store.reads('live/v0/index.m3u8')).toBe(1);
  });

  it('gives viewers with their own query strings the same hot answer, not one app request each', async () => {
    await fixture.store.put('live/v1/index.m3u8', mediaPlaylist({ endList: true }));
    // Every playlist request the app answers asks the rewrite cache once (hit or miss); hot answers do not.
    const appRequests = async () => {
      const metrics = await (await fetch(`${rewriter.url}/metrics`)).text();
      return [...metrics.matchAll(/^hlscdn_rewriter_rewritten_cache_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const before = await appRequests();
    const bodies = await Promise.all(
      [1, 2, 3, 4, 5].map(async (viewer) => (await fetch(`${rewriter.url}/live/v1/index.m3u8?session=${viewer}&cb=${viewer * 7}`)).text()),
    );
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('seg10.ts');
    // Sequential now: the first fills the hot answer (if the burst above did not), the rest reuse it.
    for (const viewer of [6, 7, 8]) await fetch(`${rewriter.url}/live/v1/index.m3u8?session=${viewer}`);
    expect((await appRequests()) - before).toBeLessThanOrEqual(5);
    const redirect = await fetch(`${rewriter.url}/live/v1/index.m3u8?session=9&hlscdn_mode=redirect`);
    expect(await redirect.text()).toContain('\nseg10.ts');
  });

  it('shows a fleet change within the hold time', async () => {
    const url = `${rewriter.url}/live/v0/index.m3u8`;
    await fetch(url);
    fixture.fleet.view = { edges: [], ageMs: 0, connected: true };
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const res = await fetch(url);
      expect(res.headers.get('x-hlscdn-fallback')).toBe('no-live-edge');
      expect(await res.text()).toContain(`${fixture.origin.url}/live/v0/seg10.ts`);
    } finally {
      fixture.fleet.view = { edges: TEST_EDGES, ageMs: 100, connected: true };
    }
  });

  it('closes twice without error', async () => {
    const extra = await startRewriter({
      rewriter: rewriterSchema.parse({ port: 0, originUrl: fixture.origin.url }),
      signing: { ttlSec: 600 },
      registry: { view: { snapshot: () => fixture.fleet.view } },
      logger: silentLogger(),
    });
    await extra.close();
    await expect(extra.close()).resolves.toBeUndefined();
    await expect(fetch(`${extra.url}/healthz`)).rejects.toThrow();
  });
});
