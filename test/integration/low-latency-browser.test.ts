/**
 * Low-latency HLS end to end, as `npm start -- --low-latency` runs it: the test
 * pattern transcoded into 0.4 s parts, the origin holding blocking reloads and
 * preload hints, nginx edges, the rewriter in absolute mode, and hls.js in
 * low-latency mode in Chromium. Checks the RFC 8216bis rules on the origin's and
 * the rewriter's playlists, then plays for 30 s: median latency from
 * EXT-X-PROGRAM-DATE-TIME at most 3 s, no stall over 1 s, no fatal error; then
 * Shaka Player (its low-latency mode turns on by itself) for 20 s, the same way.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { checkLowLatencyPlaylist } from '../../src/rewriter/index.js';
import { launchChromium } from '../support/browser.js';
import { startTestStack } from '../support/local-stack-fixture.js';
import { playerState, playFor, resetStalls, stallTracker, waitForPlayback } from '../support/player-state.js';

let stack: LocalStack;
let dir: string;
let browser: Browser;

const MEDIA = 'live/360p/index.m3u8';

/** Now minus the end of the newest part in the origin's playlist, per its program date-time. */
async function newestPartAgeMs(): Promise<number> {
  const text = await (await fetch(`${stack.originUrl}/${MEDIA}`)).text();
  const dated = text.lastIndexOf('#EXT-X-PROGRAM-DATE-TIME:');
  const start = Date.parse(text.slice(dated + '#EXT-X-PROGRAM-DATE-TIME:'.length).split('\n')[0] ?? '');
  const tail = text.slice(dated);
  const listed = [...tail.matchAll(/#EXT-X-PART:DURATION=([\d.]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return Math.round(Date.now() - (start + listed * 1000));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

beforeAll(async () => {
  ({ stack, dir } = await startTestStack('low-latency', { lowLatency: true, mode: 'absolute' }));
  browser = await launchChromium();
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 60_000, intervalMs: 100, what: 'the live master playlist' });
  // Two complete segments, so the rules about whole segments have something to check.
  await waitUntil(async () => ((await (await fetch(`${stack.originUrl}/${MEDIA}`)).text()).match(/#EXTINF/g) ?? []).length >= 2, {
    timeoutMs: 30_000,
    intervalMs: 100,
    what: 'two complete low-latency segments',
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('low-latency local stack', () => {
  it('publishes playlists that keep the RFC 8216bis part rules, at the origin and through the rewriter', async () => {
    const origin = await (await fetch(`${stack.originUrl}/${MEDIA}`)).text();
    expect(origin).toContain('#EXT-X-PART-INF:PART-TARGET=');
    expect(origin).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART');
    expect(origin).toContain('#EXT-X-RENDITION-REPORT:');
    expect(checkLowLatencyPlaylist(origin)).toEqual([]);
    const rewritten = await (await fetch(`${stack.rewriterUrl}/${MEDIA}`)).text();
    expect(checkLowLatencyPlaylist(rewritten)).toEqual([]);
    // Absolute mode: every part and the hint point at an edge.
    const edgeUrls = (await stack.edges()).map((edge) => edge.url);
    const partUris = [...rewritten.matchAll(/#EXT-X-(?:PART|PRELOAD-HINT):[^\n]*URI="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(partUris.length).toBeGreaterThan(3);
    for (const uri of partUris)
      expect(
        edgeUrls.some((url) => uri.startsWith(url)),
        uri,
      ).toBe(true);
  });

  it('answers a blocking reload for the next part only once that part is listed', async () => {
    const text = await (await fetch(`${stack.rewriterUrl}/${MEDIA}`)).text();
    const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1]);
    const segments = (text.match(/#EXTINF/g) ?? []).length;
    const trailing = text.slice(text.lastIndexOf('#EXTINF'));
    const partsAfter = (trailing.match(/#EXT-X-PART:/g) ?? []).length;
    const msn = sequence + segments;
    const started = Date.now();
    const next = await fetch(`${stack.rewriterUrl}/${MEDIA}?_HLS_msn=${msn}&_HLS_part=${partsAfter}`);
    const waitedMs = Date.now() - started;
    expect(next.status).toBe(200);
    const body = await next.text();
    const after = (body.match(/#EXTINF/g) ?? []).length + Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(body)?.[1]);
    const parts = after > msn ? Infinity : (body.slice(body.lastIndexOf('#EXTINF')).match(/#EXT-X-PART:/g) ?? []).length;
    expect(parts, body).toBeGreaterThan(partsAfter);
    // Held for about a part, not answered at once and not after a timeout.
    expect(waitedMs).toBeLessThan(2_000);
  });

  it('coalesces 50 viewers blocking on the same part into one origin request', async () => {
    const originBlocking = async () => {
      const text = await (await fetch(`${stack.originUrl}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('hlscdn_origin_ll_requests_total{') && line.includes('kind="playlist"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };
    const text = await (await fetch(`${stack.rewriterUrl}/${MEDIA}`)).text();
    const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1]) + (text.match(/#EXTINF/g) ?? []).length;
    // One part further than the previous test asked for, so no answer to it is held anywhere yet.
    const part = (text.slice(text.lastIndexOf('#EXTINF')).match(/#EXT-X-PART:/g) ?? []).length + 1;
    const before = await originBlocking();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, viewer) => fetch(`${stack.rewriterUrl}/${MEDIA}?_HLS_msn=${msn}&_HLS_part=${part}&session=${viewer}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(new Set(bodies).size).toBe(1);
    expect((await originBlocking()) - before).toBe(1);
  });

  it(
    'plays in hls.js low-latency mode for 30 s: median latency <= 3 s, no stall over 1 s, no fatal error',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage();
      await page.addInitScript(stallTracker);
      await page.goto(stack.playerUrl);
      await waitForPlayback(page, 'low-latency playback');
      // hls.js settles on its live edge within the first seconds; the figure is for the steady state.
      await playFor(page, 4, 'warm-up');
      await resetStalls(page);
      const warm = (await playerState(page)).latencyMs.length;
      const state = await playFor(page, 30, '30 s of low-latency playback');
      const samples = state.latencyMs.slice(warm);
      const medianMs = median(samples);
      // How far behind the wall clock the stream itself is at the origin: a machine too busy
      // for the encoder to keep up shows here, not as a CDN or player problem.
      const originLagMs = await newestPartAgeMs();
      // eslint-disable-next-line no-console -- the measured latency is the test's report.
      console.log(
        `low latency: median ${Math.round(medianMs)} ms over ${samples.length} samples (min ${Math.min(...samples)}, max ${Math.max(...samples)}), longest stall ${Math.round(state.longestStallMs)} ms, newest part at the origin ended ${originLagMs} ms ago, segments per edge ${JSON.stringify(state.perEdge)}`,
      );
      expect(state.fatal).toBeNull();
      expect(state.videoError).toBeNull();
      expect(samples.length).toBeGreaterThan(40);
      expect(medianMs, `the newest part at the origin ended ${originLagMs} ms ago`).toBeLessThanOrEqual(3_000);
      expect(Math.max(state.longestStallMs, state.stalledNowMs)).toBeLessThanOrEqual(1_000);
      await page.close();
    },
  );

  it('plays in Shaka Player for 20 s: median latency <= 3 s, no stall over 1 s, no fatal error', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.addInitScript(stallTracker);
    await page.goto(`${stack.playerUrl}?hlscdn_player=shaka`);
    await waitForPlayback(page, 'low-latency playback in Shaka');
    await playFor(page, 4, 'warm-up');
    await resetStalls(page);
    const warm = (await playerState(page)).latencyMs.length;
    const state = await playFor(page, 20, '20 s of low-latency playback in Shaka');
    const samples = state.latencyMs.slice(warm);
    const medianMs = median(samples);
    // eslint-disable-next-line no-console -- the measured latency is the test's report.
    console.log(
      `low latency, Shaka: median ${Math.round(medianMs)} ms over ${samples.length} samples, longest stall ${Math.round(state.longestStallMs)} ms`,
    );
    expect(state.fatal).toBeNull();
    expect(samples.length).toBeGreaterThan(25);
    expect(medianMs).toBeLessThanOrEqual(3_000);
    expect(Math.max(state.longestStallMs, state.stalledNowMs)).toBeLessThanOrEqual(1_000);
    await page.close();
  });
});
