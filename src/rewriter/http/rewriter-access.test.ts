/**
 * Viewer access tokens through the running rewriter (raw front, hot answers and
 * the app): a master needs a good token, every URI of an answer carries the
 * viewer's session, variant reloads need that session, and refusals are 403 or
 * 410 with a reason, on the first request and on held answers alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { accessSchema, mintViewerToken } from '../access/index.js';
import { rewriterSchema } from '../config.js';
import { startRewriter, type RunningRewriter } from './rewriter-service.js';
import { MASTER, mediaPlaylist, startAppFixture, type AppFixture } from './test-support/app-fixture.js';

const SECRET = 'access-secret-0123456789abcdef';
let fixture: AppFixture;
let rewriter: RunningRewriter;
const nowSec = () => Math.floor(Date.now() / 1000);
const token = (claims: { path?: string; exp?: number; ip?: string } = {}, secret = SECRET) =>
  mintViewerToken({ path: claims.path ?? '/live/', exp: claims.exp ?? nowSec() + 600, ...(claims.ip && { ip: claims.ip }) }, secret);
const uriLines = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

beforeAll(async () => {
  fixture = await startAppFixture();
  await fixture.store.put('live/master.m3u8', MASTER);
  await fixture.store.put('live/v0/index.m3u8', mediaPlaylist({ endList: true }));
  await fixture.store.put('other/v0/index.m3u8', mediaPlaylist({ endList: true }));
  rewriter = await startRewriter({
    rewriter: rewriterSchema.parse({ port: 0, originUrl: fixture.origin.url }),
    signing: { secret: 'url-signing-secret-0123456789', ttlSec: 600 },
    access: accessSchema.parse({ enabled: true, secret: SECRET }),
    registry: { view: { snapshot: () => fixture.fleet.view } },
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await rewriter?.close();
  await fixture?.close();
});

async function get(path: string): Promise<{ status: number; text: string; cacheControl: string | null }> {
  const res = await fetch(`${rewriter.url}${path}`);
  return { status: res.status, text: await res.text(), cacheControl: res.headers.get('cache-control') };
}

describe('viewer access tokens', () => {
  it('opens a session on a master with a good token and carries it into every URI, down to the segments', async () => {
    const master = await get(`/live/master.m3u8?token=${token()}`);
    expect(master.status).toBe(200);
    expect(master.cacheControl ?? '').not.toContain('public');
    const variant = uriLines(master.text).find((uri) => uri.startsWith('v0/index.m3u8'))!;
    expect(variant).toMatch(/^v0\/index\.m3u8\?hs_sid=[A-Za-z0-9_-]{16}&hs_exp=\d+&hs_scope=\/live\/&hs_sig=/);
    expect(master.text).toMatch(/URI="audio\/index\.m3u8\?hs_sid=/);
    const media = await get(`/live/${variant}`);
    expect(media.status).toBe(200);
    const segments = uriLines(media.text);
    expect(segments).toHaveLength(3);
    const session = variant.slice(variant.indexOf('?') + 1);
    for (const uri of segments) {
      expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:810[123]\/live\/v0\/seg\d+\.ts\?/);
      expect(uri.endsWith(session)).toBe(true);
      // The session is the edges' signature: no per-URL md5 link besides it.
      expect(uri).not.toContain('md5=');
    }
  });

  it('gives two viewers their own sessions from one rewrite, also once the answer is held', async () => {
    const a = token({ exp: nowSec() + 500 });
    const b = token({ exp: nowSec() + 501 });
    const [first, second, again] = await Promise.all([
      get(`/live/master.m3u8?token=${a}`),
      get(`/live/master.m3u8?token=${b}`),
      get(`/live/master.m3u8?token=${a}`),
    ]);
    const sid = (text: string) => /hs_sid=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(sid(first.text)).toBeDefined();
    expect(sid(first.text)).not.toBe(sid(second.text));
    expect(sid(again.text)).toBe(sid(first.text));
  });

  it('refuses a missing, forged, expired, out-of-scope or IP-bound token with the right status and a reason', async () => {
    // The held answer of an earlier good request must not let any of these through.
    expect((await get(`/live/master.m3u8?token=${token()}`)).status).toBe(200);
    const cases: Array<[string, number, RegExp]> = [
      ['/live/master.m3u8', 403, /viewer token/],
      [`/live/master.m3u8?session=1`, 403, /viewer token/],
      [`/live/master.m3u8?token=${token({}, 'another-secret-0123456789abcdef')}`, 403, /signature/],
      [`/live/master.m3u8?token=${token().slice(0, -2)}AA`, 403, /signature|token/],
      [`/live/master.m3u8?token=${token({ exp: nowSec() - 5 })}`, 410, /expired/],
      [`/live/master.m3u8?token=${token({ path: '/other/' })}`, 403, /\/other\//],
      [`/live/master.m3u8?token=${token({ ip: '10.9.9.9' })}`, 403, /10\.9\.9\.9/],
      ['/live/master.m3u8?token=garbage', 403, /token/],
    ];
    for (const [path, status, reason] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.text, path).toMatch(reason);
      expect(res.text).not.toContain('#EXTM3U');
    }
  });

  it('refuses a variant reload without a session, with a forged one, or a session replayed on another stream', async () => {
    const master = await get(`/live/master.m3u8?token=${token()}`);
    const session = /v0\/index\.m3u8\?(.*)/.exec(master.text)![1]!;
    expect((await get(`/live/v0/index.m3u8?${session}`)).status).toBe(200);
    expect((await get('/live/v0/index.m3u8')).status).toBe(403);
    expect((await get(`/live/v0/index.m3u8?${session.replace(/hs_sig=[^&]+/, 'hs_sig=AAAAAAAAAAAAAAAAAAAAAA')}`)).status).toBe(403);
    const replayed = await get(`/other/v0/index.m3u8?${session}`);
    expect(replayed.status).toBe(403);
    expect(replayed.text).toMatch(/\/live\//);
  });
});
