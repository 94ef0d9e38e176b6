/**
 * The local stack as a newcomer sees it, in a real browser: the player plays the
 * live test stream from at least two edges; one edge is SIGKILLed mid-playback
 * and playback goes on without a stall over one second (redirect mode, 500 ms
 * heartbeats and a 1.5 s registry TTL: see docs/local-stack.md); the dashboard
 * shows the fleet and the dead edge leaving. Screenshots go to test-artifacts/.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { launchChromium } from '../support/browser.js';
import { startTestStack } from '../support/local-stack-fixture.js';
import { playerState, playFor, stallTracker } from '../support/player-state.js';

const artifacts = join(process.cwd(), 'test-artifacts');
let stack: LocalStack;
let dir: string;
let browser: Browser;

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  ({ stack, dir } = await startTestStack('browser'));
  browser = await launchChromium();
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 60_000, intervalMs: 250, what: 'the live master playlist' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('local stack in a real browser', () => {
  it(
    'plays from two edges, survives an edge SIGKILL without a stall over 1 s, and the dashboard shows it leave',
    { timeout: 180_000 },
    async () => {
      const player = await browser.newPage();
      await player.addInitScript(stallTracker);
      await player.goto(stack.playerUrl);
      await waitUntil(async () => (await playerState(player)).currentTime > 0, {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'playback to start',
      });

      const before = await playFor(player, 10, '10 s of playback');
      const edges = await stack.edges();
      const edgeIds = edges.map((e) => e.id);
      const servingEdges = Object.keys(before.perEdge).filter((id) => edgeIds.includes(id));
      expect(servingEdges.length, `segments per edge: ${JSON.stringify(before.perEdge)}`).toBeGreaterThanOrEqual(2);
      expect(before.fatal).toBeNull();
      await player.screenshot({ path: join(artifacts, 'player.png') });

      const dashboard = await browser.newPage();
      await dashboard.goto(stack.dashboardUrl);
      const victim = edges.find((e) => e.id === servingEdges[0])!;
      await dashboard.waitForSelector(`tr[data-edge="${victim.id}"]`, { timeout: 10_000 });

      process.kill(victim.pid!, 'SIGKILL');
      const after = await playFor(player, 12, '12 s of playback after the edge died');
      expect(after.fatal).toBeNull();
      expect(after.videoError).toBeNull();
      expect(Math.max(after.longestStallMs, after.stalledNowMs)).toBeLessThanOrEqual(1_000);
      // Segments after the kill came from the edges still alive.
      const survivors = Object.keys(after.perEdge).filter((id) => id !== victim.id && edgeIds.includes(id));
      expect(survivors.some((id) => (after.perEdge[id] ?? 0) > (before.perEdge[id] ?? 0))).toBe(true);

      await dashboard.waitForSelector(`tr[data-edge="${victim.id}"]`, { state: 'detached', timeout: 10_000 });
      expect(await dashboard.locator('#fleet tbody tr[data-edge]').count()).toBeGreaterThanOrEqual(1);
      await dashboard.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    },
  );
});
