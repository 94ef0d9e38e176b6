/**
 * Edge faults as viewers live them: hls.js in Debian's Chromium plays the local
 * stack's live stream in each mode (absolute, redirect, steering) at once, while
 * in turn one edge's nginx hangs (SIGSTOP), a whole edge hangs (nginx and agent
 * stopped), a whole edge is SIGKILLed without deregistering, and one edge is made
 * slow. In every case the longest stall is at most 1 s and no fatal error is
 * raised. Between faults the fleet is brought back to three healthy edges.
 */
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import { EdgeRegistryView } from '../../src/edge-registry/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { launchChromium } from '../support/browser.js';
import { EDGE_FAULTS, edgeProcesses, injectFault, type EdgeFault } from '../support/edge-faults.js';
import { startTestStack } from '../support/local-stack-fixture.js';
import { longestStallMs, playerState, playFor, resetStalls, stallTracker } from '../support/player-state.js';

const MODES = ['absolute', 'redirect', 'steering'] as const;
const EDGES = 3;
let stack: LocalStack;
let dir: string;
let browser: Browser;
let view: EdgeRegistryView;
const players = new Map<(typeof MODES)[number], Page>();

/** Edges that are active and probed up, by id. */
function healthyEdges(): string[] {
  return view
    .snapshot()
    .edges.filter((e) => e.state === 'active' && e.probe?.verdict !== 'down')
    .map((e) => e.id);
}

beforeAll(async () => {
  ({ stack, dir } = await startTestStack('edge-faults', { edges: EDGES }));
  view = new EdgeRegistryView({ redis: { url: stack.redisUrl }, ttlMs: 1_500 });
  await view.start();
  browser = await launchChromium();
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 60_000, intervalMs: 250, what: 'the live master playlist' });
  await waitUntil(() => healthyEdges().length >= EDGES, { timeoutMs: 30_000, what: `${EDGES} healthy edges` });
  for (const mode of MODES) {
    const page = await browser.newPage();
    await page.addInitScript(stallTracker);
    await page.goto(`${stack.playerUrl}?hlscdn_mode=${mode}`);
    players.set(mode, page);
  }
  for (const [mode, page] of players) {
    await waitUntil(async () => (await playerState(page)).currentTime > 0, {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: `${mode} playback`,
    });
  }
  // Past the start: every player has built its buffer.
  for (const [mode, page] of players) await playFor(page, 4, `${mode}: first seconds`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await view?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('edge faults while hls.js plays in every mode', () => {
  it.each(EDGE_FAULTS.map((fault) => [fault]))('%s: no stall over 1 s, no fatal error', { timeout: 120_000 }, async (fault: EdgeFault) => {
    // The edge that served the most recent segments in absolute mode: one viewers depend on.
    const edges = await stack.edges();
    const serving = (await playerState(players.get('absolute')!)).perEdge;
    const healthy = new Set(healthyEdges());
    const victim = edges.filter((e) => healthy.has(e.id)).sort((a, b) => (serving[b.id] ?? 0) - (serving[a.id] ?? 0))[0];
    if (!victim) throw new Error(`no healthy edge to fault among ${JSON.stringify(edges)}`);
    const processes = await edgeProcesses(dir, victim);
    for (const page of players.values()) await resetStalls(page);
    const undo = injectFault(fault, processes);
    try {
      const after = await Promise.all(MODES.map((mode) => playFor(players.get(mode)!, 12, `${mode}: 12 s with ${fault} on ${victim.id}`)));
      MODES.forEach((mode, i) => {
        const state = after[i]!;
        expect(state.fatal, `${mode}: fatal error`).toBeNull();
        expect(state.videoError, `${mode}: video error`).toBeNull();
        expect(longestStallMs(state), `${mode}: longest stall with ${fault}`).toBeLessThanOrEqual(1_000);
      });
    } finally {
      undo();
    }
    // Back to three healthy edges before the next fault (the autoscaler replaces a killed one).
    await waitUntil(() => healthyEdges().length >= EDGES || (fault === 'edge-kill' && healthyEdges().length >= EDGES - 1), {
      timeoutMs: 60_000,
      what: 'the fleet to recover',
    });
  });
});
