/**
 * Viewer access tokens end to end: the local stack with `access.enabled`, so the
 * rewriter wants a token on the master and the edges (nginx secure_link) want
 * the session it opens on every segment. hls.js in Chromium plays with a good
 * token through the edges; requests without one, with an expired one, or a
 * segment fetched from an edge without the session are refused.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { mintViewerToken } from '../../src/rewriter/index.js';
import { launchChromium } from '../support/browser.js';
import { startTestStack } from '../support/local-stack-fixture.js';
import { playFor, stallTracker, waitForPlayback } from '../support/player-state.js';

const SECRET = 'e2e-access-secret-0123456789';
let stack: LocalStack;
let dir: string;
let browser: Browser;
const nowSec = () => Math.floor(Date.now() / 1000);
const tokenFor = (path: string, exp = nowSec() + 600) => mintViewerToken({ path, exp }, SECRET);
/** The live stream's directory, the scope a token is given for. */
let scope: string;

beforeAll(async () => {
  ({ stack, dir } = await startTestStack('access', { edges: 2, env: { HLSCDN_ACCESS_ENABLED: 'true', HLSCDN_ACCESS_SECRET: SECRET } }));
  const master = new URL(stack.masterUrl);
  scope = master.pathname.slice(0, master.pathname.lastIndexOf('/') + 1);
  await waitUntil(async () => (await fetch(`${stack.masterUrl}?token=${tokenFor(scope)}`)).ok, {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'the live master playlist',
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('viewer access tokens through the stack', () => {
  it('refuses a master without a token (403), with an expired one (410), or for another stream (403)', async () => {
    const missing = await fetch(stack.masterUrl);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('viewer token');
    expect((await fetch(`${stack.masterUrl}?token=${tokenFor(scope, nowSec() - 1)}`)).status).toBe(410);
    expect((await fetch(`${stack.masterUrl}?token=${tokenFor('/another/stream/')}`)).status).toBe(403);
  });

  it('plays in hls.js with a good token, segments from the edges, which refuse them without the session', async () => {
    const page = await browser.newPage();
    await page.addInitScript(stallTracker);
    await page.goto(`${stack.playerUrl}?hlscdn_mode=absolute&token=${tokenFor(scope)}`);
    await waitForPlayback(page, 'playback with a token');
    const state = await playFor(page, 6, 'six seconds with a token');
    expect(state.fatal).toBeNull();
    const edgeIds = new Set((await stack.edges()).map((e) => e.id));
    expect(Object.keys(state.perEdge).some((id) => edgeIds.has(id))).toBe(true);

    // A segment URL as the rewriter wrote it plays; the same URL without its session is refused by the edge.
    const variant = (await (await fetch(`${stack.masterUrl}?hlscdn_mode=absolute&token=${tokenFor(scope)}`)).text())
      .split('\n')
      .find((line) => line !== '' && !line.startsWith('#'))!;
    const media = await (await fetch(new URL(variant, stack.masterUrl))).text();
    const segment = media
      .split('\n')
      .filter((line) => line.startsWith('http'))
      .at(-1)!;
    expect(segment).toContain('hs_sig=');
    expect((await fetch(segment)).status).toBe(200);
    const bare = new URL(segment);
    bare.search = '';
    expect((await fetch(bare)).status).toBe(403);
    await page.close();
  });
});
