/**
 * Edge faults as viewers live them: hls.js in Debian's Chromium plays the local
 * stack's live stream in each mode (absolute, redirect, steering) and Shaka
 * Player (the npm dist build, through the player page) in absolute and redirect
 * mode, all at once, while
 * in turn one edge's nginx hangs (SIGSTOP), a whole edge hangs (nginx and agent
 * stopped), a whole edge is SIGKILLed without deregistering, and one edge is made
 * slow; then Redis hangs for longer than the rewriter trusts its registry. In
 * every case the longest stall is at most 1 s and no fatal error is raised.
 * Between faults the fleet is brought back to three healthy edges.
 */
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import { EdgeRegistryView } from '../../src/edge-registry/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { launchChromium } from '../support/browser.js';
import { EDGE_FAULTS, edgeProcesses, injectFault, type EdgeFault } from '../support/edge-faults.js';
import { firstVariantUrl, stackRedis, startTestStack } from '../support/local-stack-fixture.js';
import { longestStallMs, playFor, resetStalls, stallTracker, waitForPlayback } from '../support/player-state.js';

/** Each player page: which player, in which mode. */
const PLAYERS = [
  { player: 'hls.js', mode: 'absolute' },
  { player: 'hls.js', mode: 'redirect' },
  { player: 'hls.js', mode: 'steering' },
  { player: 'shaka', mode: 'absolute' },
  { player: 'shaka', mode: 'redirect' },
] as const;
const label = (p: (typeof PLAYERS)[number]) => `${p.player} ${p.mode}`;
const EDGES = 3;
let stack: LocalStack;
let dir: string;
let browser: Browser;
let view: EdgeRegistryView;
const players = new Map<string, Page>();

/** Edges that are active and probed up, by id. */
function healthyEdges(): string[] {
  return view
    .snapshot()
    .edges.filter((e) => e.state === 'active' && e.probe?.verdict !== 'down')
    .map((e) => e.id);
}

/** Every edge in the registry with its state and probe verdict, for failure messages. */
function fleetSummary(): string {
  return view
    .snapshot()
    .edges.map((e) => `${e.id} ${e.state} ${e.probe?.verdict ?? 'unprobed'}`)
    .join(', ');
}

beforeAll(async () => {
  ({ stack, dir } = await startTestStack('edge-faults', {
    edges: EDGES,
    // The file outlasts the autoscaler's 5 min scale-down window on a loaded machine: an idle fleet must not shrink under the test.
    fleet: { minEdges: EDGES, maxEdges: EDGES + 1 },
  }));
  view = new EdgeRegistryView({ redis: { url: stack.redisUrl }, ttlMs: 1_500 });
  await view.start();
  browser = await launchChromium();
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 60_000, intervalMs: 250, what: 'the live master playlist' });
  await waitUntil(() => healthyEdges().length >= EDGES, { timeoutMs: 30_000, what: `${EDGES} healthy edges` });
  for (const p of PLAYERS) {
    const page = await browser.newPage();
    await page.addInitScript(stallTracker);
    await page.goto(`${stack.playerUrl}?hlscdn_mode=${p.mode}&hlscdn_player=${p.player}`);
    players.set(label(p), page);
  }
  // Five players starting at once on two cores, beside other test files: a generous start.
  for (const [name, page] of players) await waitForPlayback(page, `${name} playback`);
  // Past the start: every player has built its buffer.
  for (const [name, page] of players) await playFor(page, 4, `${name}: first seconds`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await view?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Waits for the next segment the rewriter writes into the top variant's
 * absolute-mode playlist on a healthy edge, and returns that edge.
 */
async function edgeOfNextSegment(): Promise<{ id: string; url: string; pid?: number }> {
  const masterUrl = `${stack.masterUrl}?hlscdn_mode=absolute`;
  const master = await (await fetch(masterUrl)).text();
  const variants = [...master.matchAll(/#EXT-X-STREAM-INF:[^\n]*BANDWIDTH=(\d+)[^\n]*\n([^\n#]+)/g)]
    .filter((m) => !m[2]!.includes('hlscdn_backup'))
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const mediaUrl = new URL(variants[0]![2]!, masterUrl).href;
  const newestSegment = async () => (await (await fetch(mediaUrl)).text()).trim().split('\n').at(-1)!;
  const before = await newestSegment();
  return waitUntil(
    async () => {
      const newest = await newestSegment();
      if (newest === before || newest.startsWith('#')) return undefined;
      const healthy = new Set(healthyEdges());
      const edge = (await stack.edges()).find((e) => healthy.has(e.id) && new URL(newest).host === new URL(e.url).host);
      if (edge === undefined) throw new Error(`the newest segment ${newest} is on no healthy edge`);
      return edge;
    },
    { timeoutMs: 10_000, intervalMs: 50, what: 'a new segment in the top variant' },
  );
}

/** Plays every page for `seconds` at once and asserts what each met: no fatal error, no stall over 1 s. */
async function playAllThrough(seconds: number, fault: string): Promise<void> {
  const names = [...players.keys()];
  const after = await Promise.all(names.map((name) => playFor(players.get(name)!, seconds, `${name}: ${seconds} s with ${fault}`)));
  names.forEach((name, i) => {
    const state = after[i]!;
    // eslint-disable-next-line no-console -- what each player met is the test's report.
    console.log(
      `${fault}: ${name}: longest stall ${Math.round(longestStallMs(state))} ms, load errors ${state.loadErrors}, per edge ${JSON.stringify(state.perEdge)}`,
    );
    expect(state.fatal, `${name}: fatal error`).toBeNull();
    expect(state.videoError, `${name}: video error`).toBeNull();
    expect(longestStallMs(state), `${name}: longest stall with ${fault}`).toBeLessThanOrEqual(1_000);
  });
}

describe('edge faults while hls.js plays in every mode and Shaka in absolute and redirect mode', () => {
  it.each(EDGE_FAULTS.map((fault) => [fault]))('%s: no stall over 1 s, no fatal error', { timeout: 120_000 }, async (fault: EdgeFault) => {
    // The worst moment for absolute mode: the edge that the newest segment was just placed on, before any
    // player has fetched it. Placements are sticky, so every absolute player must fail that segment over itself.
    const victim = await edgeOfNextSegment();
    const processes = await edgeProcesses(dir, victim);
    for (const page of players.values()) await resetStalls(page);
    const undo = injectFault(fault, processes);
    try {
      await playAllThrough(12, `${fault} on ${victim.id}`);
    } finally {
      undo();
    }
    // Back to three healthy edges before the next fault (the autoscaler replaces a killed one).
    const wanted = fault === 'edge-kill' ? EDGES - 1 : EDGES;
    await waitUntil(
      () => {
        if (healthyEdges().length >= wanted) return true;
        // Thrown, not returned: a timeout then says what the fleet looked like.
        throw new Error(`fleet: ${fleetSummary()}`);
      },
      { timeoutMs: 60_000, what: `the fleet to recover to ${wanted} healthy edges` },
    );
  });

  it('redis-hang: no stall over 1 s, no fatal error while Redis hangs past the rewriter snapshot limit', { timeout: 120_000 }, async () => {
    // A hung Redis (SIGSTOP: connections stay open, nothing answers) for longer than the rewriter's
    // maxSnapshotAgeMs (10 s): the registry goes stale, edges cannot heartbeat, and the edges serve on.
    const redisPid = (await stackRedis(stack, dir).pid())!;
    const mediaUrl = await firstVariantUrl(stack.masterUrl, '?hlscdn_mode=absolute');
    for (const page of players.values()) await resetStalls(page);
    process.kill(redisPid, 'SIGSTOP');
    try {
      const playing = playAllThrough(16, 'redis-hang');
      // The outage reached the rewriter: it answers from a stale registry (new segments at the fallback base).
      await waitUntil(async () => (await fetch(mediaUrl)).headers.get('x-hlscdn-fallback') === 'registry-stale', {
        timeoutMs: 15_000,
        intervalMs: 250,
        what: 'the rewriter to answer from a stale registry',
      });
      await playing;
    } finally {
      process.kill(redisPid, 'SIGCONT');
    }
    await waitUntil(() => healthyEdges().length >= EDGES - 1, { timeoutMs: 30_000, what: 'the fleet back in the registry' });
  });
});
