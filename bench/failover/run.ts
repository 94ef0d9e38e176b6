/**
 * Failover: an edge's nginx is SIGKILLed while viewers watch a live stream
 * through the rewriter. Measures how long until no answer of the rewriter
 * names the dead edge, and the segment requests viewers saw fail, per mode
 * (absolute: playlists name edges; redirect: each segment request is a 302 to
 * an edge chosen then) and per way of dying: the edge's service notices nginx
 * died and deregisters it, or the whole edge vanishes without a word (agent
 * stopped without deregistering too) and the registry's heartbeat TTL expires
 * it. The baseline, in the same scenario and on the same edges: viewers
 * of a static round-robin list of the edges (DNS round robin, a load balancer
 * without health checks), which keep sending a share of requests to the dead edge.
 *
 *   node --import tsx bench/failover/run.ts [--viewers 30] [--no-write]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { EdgeService } from '../../src/edge/index.js';
import type { RewriterMode, RunningRewriter } from '../../src/rewriter/index.js';
import { parseMediaPlaylist, resolveUrl } from '../../load-tests/lib/hls.js';
import { startBenchCdn, type BenchCdn } from '../support/cdn.js';
import { Closers } from '../support/closers.js';
import { startLivePublisher, type LivePublisher } from '../support/live-publisher.js';
import { machineInfo } from '../support/machine.js';
import { fmt, table, type BenchResult } from '../support/report.js';
import { runViewers, type SegmentFetch } from '../support/sim-viewer.js';
import { isMain, report } from '../support/standalone.js';

export interface FailoverOptions {
  /** Viewers through the rewriter, and as many round-robin viewers, per scenario. @defaultValue 30 */
  viewers?: number;
}

type Death = 'deregistered' | 'ttl-expiry';

interface ScenarioFigures {
  mode: RewriterMode;
  death: Death;
  victim: string;
  /** Kill to the first answer of the rewriter that no longer names the victim. */
  exclusionMs: number;
  hlscdn: ClientFigures;
  roundRobin: ClientFigures;
}

interface ClientFigures {
  requests: number;
  failed: number;
  /** Last failed request's start after the kill, ms; 0 without failures. */
  failingForMs: number;
}

const EDGES = 3;
const JOIN_MS = 2_000;
const WARMUP_MS = 4_000;
const WINDOW_MS = 8_000;

/** Segment URLs of the newest segments of the rewritten playlist, as a viewer in `mode` would ask for them. */
async function newestSegmentUrls(rewriter: RunningRewriter, playlistPath: string, mode: RewriterMode, count: number): Promise<string[]> {
  const url = `${rewriter.url}${playlistPath}?hlscdn_mode=${mode}`;
  const res = await fetch(url);
  const parsed = parseMediaPlaylist(await res.text());
  if (!parsed.ok) throw new Error(`bad playlist from the rewriter: ${parsed.error.message}`);
  return parsed.value.segments.slice(-count).map((segment) => resolveUrl(res.url, segment.uri));
}

/** The edge base URLs the rewriter sends these segment URLs to (a redirect's Location, or the URL itself). */
async function edgesNamed(urls: string[], mode: RewriterMode): Promise<string[]> {
  if (mode !== 'redirect') return urls;
  return Promise.all(
    urls.map(async (url) => {
      const res = await fetch(url, { redirect: 'manual' });
      await res.arrayBuffer();
      return res.headers.get('location') ?? '';
    }),
  );
}

function clientFigures(fetches: SegmentFetch[], killedAt: number): ClientFigures {
  const after = fetches.filter((f) => f.at >= killedAt);
  const failed = after.filter((f) => !f.ok);
  return {
    requests: after.length,
    failed: failed.length,
    failingForMs: failed.length === 0 ? 0 : Math.max(...failed.map((f) => f.at - killedAt)),
  };
}

async function scenario(options: {
  cdn: BenchCdn;
  rewriter: RunningRewriter;
  n: number;
  mode: RewriterMode;
  death: Death;
  viewers: number;
}): Promise<ScenarioFigures> {
  const { cdn, rewriter, mode, death } = options;
  const closers = new Closers();
  let edges: EdgeService[] = [];
  closers.add(() => Promise.all(edges.map((edge) => edge.close().catch(() => undefined))));
  try {
    const ids = ['a', 'b', 'c'].slice(0, EDGES).map((s) => `failover-${options.n}-${s}`);
    edges = await cdn.startEdges(ids);
    await cdn.waitForFleet(options.rewriter, ids);
    const publisher: LivePublisher = await startLivePublisher({ store: cdn.store, prefix: `live/failover-${options.n}` });
    closers.add(() => publisher.close());

    const hlscdnFetches: SegmentFetch[] = [];
    const rrFetches: SegmentFetch[] = [];
    let next = 0;
    const nextEdge = () => edges[next++ % edges.length]!.url;
    const start = Date.now();
    const until = start + JOIN_MS + WARMUP_MS + WINDOW_MS;
    const watching = Promise.all([
      runViewers(options.viewers, {
        joinOverMs: JOIN_MS,
        viewer: () => ({
          playlistUrl: () => `${rewriter.url}${publisher.playlistPath}?hlscdn_mode=${mode}`,
          until,
          onSegment: (f) => hlscdnFetches.push(f),
        }),
      }),
      runViewers(options.viewers, {
        joinOverMs: JOIN_MS,
        viewer: () => ({
          playlistUrl: () => `${nextEdge()}${publisher.playlistPath}`,
          segmentUrl: (url) => `${nextEdge()}${new URL(url).pathname}`,
          until,
          onSegment: (f) => rrFetches.push(f),
        }),
      }),
    ]);
    await sleep(start + JOIN_MS + WARMUP_MS - Date.now());

    // The victim: the edge the newest segment is sent to, so viewers are about to need it.
    const [newest] = await edgesNamed(await newestSegmentUrls(rewriter, publisher.playlistPath, mode, 1), mode);
    const victim = edges.find((edge) => newest?.startsWith(`${edge.url}/`));
    if (victim === undefined) throw new Error(`the newest segment goes to no known edge: ${newest}`);
    const killedAt = Date.now();
    const killed = performance.now();
    if (death === 'ttl-expiry') await victim.agent.close({ deregister: false });
    process.kill(victim.nginxPid, 'SIGKILL');

    let exclusionMs = Number.NaN;
    while (performance.now() - killed < WINDOW_MS) {
      const named = await edgesNamed(await newestSegmentUrls(rewriter, publisher.playlistPath, mode, 6), mode).catch(() => [victim.url]);
      if (!named.some((url) => url.startsWith(`${victim.url}/`))) {
        exclusionMs = performance.now() - killed;
        break;
      }
      await sleep(20);
    }
    await watching;
    const figures = {
      mode,
      death,
      victim: victim.id,
      exclusionMs,
      hlscdn: clientFigures(hlscdnFetches, killedAt),
      roundRobin: clientFigures(rrFetches, killedAt),
    };
    console.log(
      `failover ${mode}, ${death}: excluded after ${Math.round(exclusionMs)} ms; hlscdn ${figures.hlscdn.failed}/${figures.hlscdn.requests} failed, round robin ${figures.roundRobin.failed}/${figures.roundRobin.requests}`,
    );
    return figures;
  } finally {
    await closers.closeAll();
  }
}

const percent = (c: ClientFigures) => (c.requests === 0 ? 'n/a' : `${fmt((100 * c.failed) / c.requests, 1)} %`);
const rate = (c: ClientFigures) => (c.requests === 0 ? Number.NaN : c.failed / c.requests);

export async function run(options: FailoverOptions = {}): Promise<BenchResult> {
  const viewers = options.viewers ?? 30;
  const startedAt = new Date();
  const machine = machineInfo();
  const figures: ScenarioFigures[] = [];
  const cdn = await startBenchCdn('failover');
  try {
    const rewriter = await cdn.startRewriter({ mode: 'absolute' });
    let n = 0;
    for (const death of ['deregistered', 'ttl-expiry'] as const) {
      for (const mode of ['absolute', 'redirect'] as const) figures.push(await scenario({ cdn, rewriter, n: ++n, mode, death, viewers }));
    }
  } finally {
    await cdn.close();
  }

  const find = (mode: RewriterMode, death: Death) => figures.find((f) => f.mode === mode && f.death === death)!;
  const ratio = (mode: RewriterMode) => {
    const f = find(mode, 'deregistered');
    return rate(f.hlscdn) / rate(f.roundRobin);
  };
  const deathLabel = { deregistered: 'nginx killed, edge deregisters', 'ttl-expiry': 'whole edge gone, TTL expiry' } as const;
  return {
    id: 'failover',
    title: 'Failover',
    about: `What it measures: an edge's nginx is SIGKILLed while ${viewers} simulated viewers watch a live stream (1 s segments) through the rewriter, and ${viewers} more watch it through a static round-robin list of the same ${EDGES} edges (the baseline: DNS round robin, or a balancer without health checks). Figures: the time from the kill until no answer of the rewriter names the dead edge (absolute mode: the rewritten playlist's segment URLs; redirect mode: the 302s for the playlist's segments), polled every 20 ms, and the segment requests that failed for viewers in the ${WINDOW_MS / 1000} s after the kill. The dead edge is the one the newest segment was assigned to, so viewers are about to ask it. Two ways of dying: the edge's service sees nginx exit and deregisters the edge at once; or the whole edge vanishes (its agent stopped without deregistering, then nginx killed) and the registry drops it when its heartbeat is older than the TTL (3 s, heartbeats every 1 s). The simulated viewers do not retry a failed segment; real players retry, so the failures are an upper bound of what a viewer would notice.`,
    command: `node --import tsx bench/failover/run.ts --viewers ${viewers}`,
    results: table(
      [
        'mode',
        'edge death',
        'until no answer names it',
        'hlscdn failed / requests',
        'hlscdn failures for',
        'round robin failed / requests',
      ],
      figures.map((f) => [
        f.mode,
        deathLabel[f.death],
        `${Math.round(f.exclusionMs)} ms`,
        `${f.hlscdn.failed} / ${f.hlscdn.requests} (${percent(f.hlscdn)})`,
        `${f.hlscdn.failingForMs} ms`,
        `${f.roundRobin.failed} / ${f.roundRobin.requests} (${percent(f.roundRobin)})`,
      ]),
      [false, false, true, true, true, true],
    ),
    ratios: [
      { label: 'failed segment requests after the kill, hlscdn absolute / round robin', value: ratio('absolute') },
      { label: 'failed segment requests after the kill, hlscdn redirect / round robin', value: ratio('redirect') },
      {
        label: 'time to exclusion, TTL expiry / deregistration (absolute)',
        value: find('absolute', 'ttl-expiry').exclusionMs / find('absolute', 'deregistered').exclusionMs,
      },
    ],
    notes: [
      'Round robin keeps sending about one request in three to the dead edge for as long as it is listed (its playlist requests fail the same way, which is why its share of failed segment requests is not exactly a third). hlscdn stops naming the edge as soon as the registry drops it. In absolute mode, viewers that loaded a playlist naming the dead edge just before it was dropped still fail on those segments until their next reload (one target duration); in redirect mode each segment request is redirected at the moment it is made, so only requests already on their way to the edge when it died can fail.',
      'When the edge vanishes without deregistering, it stays listed, with the last load it reported, until its heartbeat is older than the TTL: requests sent to it in those seconds fail in both modes, and the failures last about as long as the TTL. `edge.ttlMs` (and `edge.heartbeatMs` below it) bounds this window; the local stack runs 1.5 s.',
    ],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { viewers: { type: 'string', default: '30' }, 'no-write': { type: 'boolean', default: false } },
  });
  const result = await run({ viewers: Number(values.viewers) });
  await report(result, { write: !values['no-write'] });
}
