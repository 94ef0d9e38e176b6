/**
 * The hung-edge and slow-edge cases of the failover benchmark. An edge's nginx
 * is hung (its process group SIGSTOPped: the kernel still accepts connections,
 * nothing answers, the edge's agent keeps heartbeating) or made slow (stopped
 * and continued in a duty cycle, so it answers, late: test/support/edge-faults.ts)
 * while player-like viewers (player.ts) watch a live stream through the
 * rewriter in one mode, and as many watch it through a static round-robin list
 * of the same edges. Figures per side: what the viewers saw after the fault
 * (segments delayed, the worst extra delay, playback stalls, segments lost);
 * for the rewriter: how long until no new work is handed to the victim.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeService } from '../../src/edge/index.js';
import { BASE_PATHWAY_ID, MODE_PARAM, type RunningRewriter } from '../../src/rewriter/index.js';
import { resolveUrl } from '../../load-tests/lib/hls.js';
import { injectFault } from '../../test/support/edge-faults.js';
import type { BenchCdn } from '../support/cdn.js';
import { Closers } from '../support/closers.js';
import { startLivePublisher } from '../support/live-publisher.js';
import { median } from '../support/stats.js';
import { destination, fetchPlaylist, namedRuns, newWorkProbe, noNewWorkAfter, playlistUrl, POLL_MS, watchNewWork } from './new-work.js';
import {
  absoluteRoute,
  playbackStalls,
  redirectRoute,
  roundRobinRoute,
  runPlayer,
  steeringRoute,
  type PlayerRecord,
  type PlayerRoute,
} from './player.js';

export type EdgeFaultCase = 'hung' | 'slow';
export type FaultMode = 'absolute' | 'redirect' | 'steering';

const EDGES = 3;
const JOIN_MS = 2_000;
/** After the joins, before the fault; long enough for a few reloads at 2 s segments too. */
const WARMUP_MS = 4_000;
export const FAULT_WINDOW_MS = 8_000;

export interface ViewerFigures {
  /** Segments not yet arrived when the fault came (the ones it could touch). */
  segments: number;
  /** Of those, segments first asked of the victim. */
  toVictim: number;
  /** Longest wait (first request to arrival) of a segment asked of the victim, minus the median wait before the fault, ms. */
  worstExtraMs: number;
  /** Longest playback stall, and all stalls added up over all viewers, after the fault, ms. */
  longestStallMs: number;
  stallMs: number;
  /** Stalls before the fault: noise of the machine, 0 on a quiet one. */
  stallsBefore: number;
  /** Segments that never arrived, even after the retry. */
  failed: number;
  /** Segment attempts and playlist loads that failed after the fault. */
  failedRequests: number;
}

export interface FaultFigures {
  fault: EdgeFaultCase;
  mode: FaultMode;
  victim: string;
  /** Fault to the first answer after which no new work names the victim; NaN when it was still named near the window's end. */
  noNewWorkMs: number;
  /** Stretches of the window (ms since the fault) in which new work still named the victim: more than one when it came back. */
  namedRuns: Array<[number, number]>;
  hlscdn: ViewerFigures;
  roundRobin: ViewerFigures;
  /** Event-loop delay of this process (players, rewriter, agents) during the case, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

function viewerFigures(records: readonly PlayerRecord[], faultAt: number, victim: string): ViewerFigures {
  const all = records.flatMap((r) => r.segments);
  const before = all.filter((s) => s.arrivedAt !== undefined && s.arrivedAt < faultAt);
  const after = all.filter((s) => s.arrivedAt === undefined || s.arrivedAt >= faultAt);
  const usualWait = median(before.map((s) => s.arrivedAt! - s.requestedAt));
  const touched = after.filter((s) => s.arrivedAt !== undefined && s.servers.includes(victim)).map((s) => s.arrivedAt! - s.requestedAt);
  const stalls = records.flatMap((r) => playbackStalls(r.segments));
  const stallsAfter = stalls.filter((s) => s.at + s.ms >= faultAt);
  return {
    segments: after.length,
    toVictim: after.filter((s) => s.servers[0] === victim).length,
    worstExtraMs: Math.max(0, ...touched.map((wait) => wait - usualWait)),
    longestStallMs: Math.max(0, ...stallsAfter.map((s) => s.ms)),
    stallMs: stallsAfter.reduce((sum, s) => sum + s.ms, 0),
    stallsBefore: stalls.length - stallsAfter.length,
    failed: after.filter((s) => s.arrivedAt === undefined).length,
    failedRequests:
      after.reduce((n, s) => n + s.errors.length, 0) +
      records.reduce((n, r) => n + r.failedPlaylists.filter((at) => at >= faultAt).length, 0),
  };
}

export async function faultCase(options: {
  cdn: BenchCdn;
  rewriter: RunningRewriter;
  n: number;
  fault: EdgeFaultCase;
  mode: FaultMode;
  viewers: number;
  /** Segment length of the watched stream, s. @defaultValue 1 */
  segmentSec?: number;
}): Promise<FaultFigures> {
  const { cdn, rewriter, fault, mode } = options;
  const closers = new Closers();
  let edges: EdgeService[] = [];
  closers.add(() => Promise.all(edges.map((edge) => edge.close().catch(() => undefined))));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  try {
    const ids = ['a', 'b', 'c'].slice(0, EDGES).map((s) => `fault-${options.n}-${s}`);
    edges = await cdn.startEdges(ids);
    await cdn.waitForFleet(rewriter, ids);
    const watched = await startLivePublisher({ store: cdn.store, prefix: `live/fault-${options.n}`, segmentSec: options.segmentSec ?? 1 });
    closers.add(() => watched.close());
    // Only polled, never watched: new segments (of 1 kB) every 250 ms, so the rewriter places new work often.
    const probe = await startLivePublisher({
      store: cdn.store,
      prefix: `live/fault-${options.n}-probe`,
      segmentSec: 0.25,
      segmentBytes: 1_000,
      window: 12,
    });
    closers.add(() => probe.close());

    let next = 0;
    const nextEdge = () => edges[next++ % edges.length]!.url;
    const steering: Array<ReturnType<typeof steeringRoute>> = [];
    const hlscdnRoute = (i: number): PlayerRoute => {
      if (mode === 'absolute') return absoluteRoute(rewriter.url, watched.playlistPath);
      if (mode === 'redirect') return redirectRoute(rewriter.url, watched.playlistPath);
      const route = steeringRoute(rewriter.url, watched.playlistPath, `hlscdn-bench-viewer-${options.n}-${i}`);
      steering.push(route);
      return route;
    };
    const start = performance.now();
    const until = start + JOIN_MS + WARMUP_MS + FAULT_WINDOW_MS;
    const join = (route: (i: number) => PlayerRoute) =>
      Promise.all(
        Array.from({ length: options.viewers }, async (_, i) => {
          await sleep((JOIN_MS * i) / options.viewers);
          return runPlayer(route(i), until);
        }),
      );
    const watching = Promise.all([join(hlscdnRoute), join(() => roundRobinRoute(nextEdge, watched.playlistPath))]);
    await sleep(start + JOIN_MS + WARMUP_MS - performance.now());

    // The fault comes as a new segment is listed, and hits where viewers are about to go: that segment's edge
    // (its 302 in redirect mode); in steering, the pathway most viewers are on.
    const listed = playlistUrl(rewriter, watched.playlistPath, { [MODE_PARAM]: mode === 'redirect' ? 'redirect' : 'absolute' });
    const newest = async () => {
      const { url: base, segments } = await fetchPlaylist(listed);
      return { msn: segments.at(-1)!.msn, url: resolveUrl(base, segments.at(-1)!.uri) };
    };
    const before = (await newest()).msn;
    let fresh = await newest();
    while (fresh.msn === before) {
      await sleep(POLL_MS);
      fresh = await newest();
    }
    let victimUrl: string;
    if (mode === 'steering') {
      const on = new Map<string, number>();
      for (const route of steering) if (route.pathway() !== BASE_PATHWAY_ID) on.set(route.pathway(), (on.get(route.pathway()) ?? 0) + 1);
      const id = [...on.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      victimUrl = edges.find((edge) => edge.id === id)?.url ?? '';
    } else {
      victimUrl = await destination(fresh.url);
    }
    const victim = edges.find((edge) => victimUrl.startsWith(`${edge.url}/`) || victimUrl === edge.url);
    if (victim === undefined) throw new Error(`no victim edge found (${victimUrl})`);
    const look = newWorkProbe({ rewriter, mode, victim, watched: watched.playlistPath, probe: probe.playlistPath });
    await look(); // what is listed now is not new work

    loop.enable();
    const faultAt = performance.now();
    // The agent runs in this process (EdgeService); both faults signal only nginx's process group.
    const undo = injectFault(fault === 'hung' ? 'nginx-hang' : 'edge-slow', {
      id: victim.id,
      agentPid: process.pid,
      nginxPid: victim.nginxPid,
    });
    closers.add(async () => undo());
    const polls = await watchNewWork(look, faultAt, FAULT_WINDOW_MS);
    const [hlscdnRecords, rrRecords] = await watching;
    loop.disable();
    undo();

    const figures: FaultFigures = {
      fault,
      mode,
      victim: victim.id,
      noNewWorkMs: noNewWorkAfter(polls, FAULT_WINDOW_MS),
      namedRuns: namedRuns(polls),
      hlscdn: viewerFigures(hlscdnRecords, faultAt, victim.url),
      roundRobin: viewerFigures(rrRecords, faultAt, victim.url),
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
    };
    const side = (v: ViewerFigures) =>
      `${v.toVictim}/${v.segments} to the victim, worst +${Math.round(v.worstExtraMs)} ms, longest stall ${Math.round(v.longestStallMs)} ms (${v.stallsBefore} stalls before), ${v.failed} failed, ${v.failedRequests} failed requests`;
    console.log(
      `${fault} edge, ${mode}: no new work after ${Math.round(figures.noNewWorkMs)} ms (named ${figures.namedRuns.map(([a, b]) => `${Math.round(a)}-${Math.round(b)}`).join(', ') || 'never'} ms); hlscdn ${side(figures.hlscdn)}; round robin ${side(figures.roundRobin)}; event loop p99 ${Math.round(figures.loopDelayP99Ms)} ms, max ${Math.round(figures.loopDelayMaxMs)} ms`,
    );
    return figures;
  } finally {
    loop.disable();
    await closers.closeAll();
  }
}
