/**
 * What the rewriter's player page (hls.js) went through, read from the page:
 * position, errors, segments per edge, and the longest stall since the last
 * reset. Media events do not bubble, so a capturing listener on the document
 * sees them all; the scripts are strings so test files need no DOM types.
 */
import type { Page } from 'playwright-core';
import { waitUntil } from '../../src/core/process/index.js';

export interface PlayerState {
  currentTime: number;
  paused: boolean;
  videoError: string | null;
  perEdge: Record<string, number>;
  fatal: string | null;
  loadErrors: number;
  /** Longest stall since the page loaded or since resetStalls(). */
  longestStallMs: number;
  /** How long the current stall has lasted; 0 while playing. */
  stalledNowMs: number;
  /** The page's status line ("loading", "playing", "fatal error: ..."). */
  status: string;
  /** hls.js page: wall clock minus the playing frame's program date-time, every 500 ms while playing. */
  latencyMs: number[];
}

/** Add with page.addInitScript before the page loads. */
export const stallTracker = `
  window.__stalls = { since: null, longest: 0, started: false };
  const end = () => { const s = window.__stalls; if (s.since !== null) { s.longest = Math.max(s.longest, performance.now() - s.since); s.since = null; } };
  document.addEventListener('waiting', () => { const s = window.__stalls; if (s.started && s.since === null) s.since = performance.now(); }, true);
  document.addEventListener('playing', () => { window.__stalls.started = true; end(); }, true);
  document.addEventListener('timeupdate', end, true);
`;

const readPlayerState = `(() => {
  const video = document.getElementById('video');
  const stats = window.hlscdnStats;
  const stalls = window.__stalls;
  return {
    currentTime: video.currentTime,
    paused: video.paused,
    videoError: video.error ? video.error.code + ' ' + video.error.message : null,
    perEdge: Object.assign({}, stats.perEdge),
    fatal: stats.fatal && (stats.fatal + (stats.fatalReason ? ': ' + stats.fatalReason : '')),
    loadErrors: stats.loadErrors || 0,
    longestStallMs: stalls.longest,
    stalledNowMs: stalls.since === null ? 0 : performance.now() - stalls.since,
    status: (document.getElementById('status') || {}).textContent || '',
    latencyMs: (stats.latencyMs || []).slice(),
  };
})()`;

export function playerState(page: Page): Promise<PlayerState> {
  return page.evaluate<PlayerState>(readPlayerState);
}

/**
 * Waits until the page plays (its position moves past 0). While it does not,
 * the page's status, error and segment count are the reason a timeout gives.
 */
export async function waitForPlayback(page: Page, what: string, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    async () => {
      const state = await playerState(page);
      if (state.currentTime > 0) return true;
      throw new Error(
        `status "${state.status}", fatal ${state.fatal ?? 'none'}, load errors ${state.loadErrors}, segments ${JSON.stringify(state.perEdge)}`,
      );
    },
    { timeoutMs, intervalMs: 250, what },
  );
}

/** Starts a new measuring window: the longest stall is counted from now. */
export function resetStalls(page: Page): Promise<void> {
  return page.evaluate<void>('(() => { window.__stalls.longest = 0; })()');
}

export function longestStallMs(state: PlayerState): number {
  return Math.max(state.longestStallMs, state.stalledNowMs);
}

/** Waits until the player has played `seconds` more; a player or video error fails at once. */
export async function playFor(page: Page, seconds: number, what: string): Promise<PlayerState> {
  const from = (await playerState(page)).currentTime;
  return waitUntil(
    async () => {
      const state = await playerState(page);
      if (state.fatal || state.videoError) throw new Error(`player error: ${state.fatal ?? state.videoError}`);
      return state.currentTime >= from + seconds ? state : undefined;
    },
    { timeoutMs: (seconds + 30) * 1000, intervalMs: 250, what },
  );
}
