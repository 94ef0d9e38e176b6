/**
 * Failover, part 1: an edge's nginx is SIGKILLed while viewers watch a live stream
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
 * Part 2 (fault-cases.ts): an edge's nginx hung (SIGSTOP) or made slow (stopped
 * and continued in a duty cycle) while player-like viewers (player.ts: 1 s
 * time-to-first-byte deadline, one retry after re-reading the playlist) watch
 * through the rewriter in absolute, redirect and steering mode, against the
 * same round-robin baseline.
 *
 *   node --import tsx bench/failover/run.ts [--viewers 30] [--cases kill,hung,slow] [--segment-sec 1] [--no-write]
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
import { newWorkProbe, noNewWorkAfter, watchNewWork } from './new-work.js';
import { faultCase, FAULT_WINDOW_MS, type EdgeFaultCase, type FaultFigures, type FaultMode, type ViewerFigures } from './fault-cases.js';
import { TTFB_TIMEOUT_MS } from './player.js';

export type FailoverCase = 'kill' | EdgeFaultCase;
export const FAILOVER_CASES: readonly FailoverCase[] = ['kill', 'hung', 'slow'];

export interface FailoverOptions {
  /** Viewers through the rewriter, and as many round-robin viewers, per scenario. @defaultValue 30 */
  viewers?: number;
  /** Which faults: the SIGKILL scenarios, the hung edge, the slow edge. @defaultValue all */
  cases?: readonly FailoverCase[];
  /** Segment length of the stream watched in the hung and slow cases, s. @defaultValue 1 */
  segmentSec?: number;
}

type Death = 'deregistered' | 'ttl-expiry';

interface ScenarioFigures {
  mode: RewriterMode;
  death: Death;
  victim: string;
  /** Kill to the first answer of the rewriter after which no new work names the victim (new-work.ts). */
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
    // Only polled, never watched: new segments every 250 ms, so the rewriter places new work often (new-work.ts).
    const probe = await startLivePublisher({
      store: cdn.store,
      prefix: `live/failover-${options.n}-probe`,
      segmentSec: 0.25,
      segmentBytes: 1_000,
      window: 12,
    });
    closers.add(() => probe.close());

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
    const look = newWorkProbe({ rewriter, mode, victim, watched: publisher.playlistPath, probe: probe.playlistPath });
    await look(); // what is listed now is not new work
    const killedAt = Date.now();
    const killed = performance.now();
    if (death === 'ttl-expiry') await victim.agent.close({ deregister: false });
    process.kill(victim.nginxPid, 'SIGKILL');

    const exclusionMs = noNewWorkAfter(await watchNewWork(look, killed, WINDOW_MS), WINDOW_MS);
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
      `failover ${mode}, ${death}: no new work after ${Math.round(exclusionMs)} ms; hlscdn ${figures.hlscdn.failed}/${figures.hlscdn.requests} failed, round robin ${figures.roundRobin.failed}/${figures.roundRobin.requests}`,
    );
    return figures;
  } finally {
    await closers.closeAll();
  }
}

const percent = (c: ClientFigures) => (c.requests === 0 ? 'n/a' : `${fmt((100 * c.failed) / c.requests, 1)} %`);
const rate = (c: ClientFigures) => (c.requests === 0 ? Number.NaN : c.failed / c.requests);

const FAULT_MODES: readonly FaultMode[] = ['absolute', 'redirect', 'steering'];
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const faultLabel = { hung: 'hung (SIGSTOP)', slow: 'slow (duty cycle)' } as const;
const share = (v: ViewerFigures) => (v.segments === 0 ? Number.NaN : v.toVictim / v.segments);

function faultRows(faults: readonly FaultFigures[]): string[][] {
  const side = (v: ViewerFigures) => [
    `${v.toVictim} / ${v.segments} (${fmt(100 * share(v), 0)} %)`,
    ms(v.worstExtraMs),
    ms(v.longestStallMs),
    ms(v.stallMs),
    String(v.failed),
  ];
  return faults.flatMap((f) => [
    [
      faultLabel[f.fault],
      f.mode,
      'hlscdn',
      Number.isFinite(f.noNewWorkMs) ? ms(f.noNewWorkMs) : `still named after ${FAULT_WINDOW_MS / 1000 - 1} s`,
      ...side(f.hlscdn),
    ],
    [faultLabel[f.fault], f.mode, 'round robin', 'never (static list)', ...side(f.roundRobin)],
  ]);
}

/**
 * Per mode, against round robin in the same case: the longest playback stall a
 * hung edge caused; for a slow edge (which stalls little), the worst extra delay
 * of a segment that touched it.
 */
function faultRatios(faults: readonly FaultFigures[]) {
  return faults.map((f) =>
    f.fault === 'hung'
      ? {
          label: `hung edge, longest playback stall after the fault, hlscdn ${f.mode} / round robin`,
          value: f.hlscdn.longestStallMs / f.roundRobin.longestStallMs,
        }
      : {
          label: `slow edge, worst extra delay of a segment, hlscdn ${f.mode} / round robin`,
          value: f.hlscdn.worstExtraMs / f.roundRobin.worstExtraMs,
        },
  );
}

export async function run(options: FailoverOptions = {}): Promise<BenchResult> {
  const viewers = options.viewers ?? 30;
  const cases = options.cases ?? FAILOVER_CASES;
  const segmentSec = options.segmentSec ?? 1;
  const startedAt = new Date();
  const machine = machineInfo();
  const figures: ScenarioFigures[] = [];
  const faults: FaultFigures[] = [];
  const cdn = await startBenchCdn('failover');
  try {
    const rewriter = await cdn.startRewriter({ mode: 'absolute' });
    let n = 0;
    if (cases.includes('kill'))
      for (const death of ['deregistered', 'ttl-expiry'] as const) {
        for (const mode of ['absolute', 'redirect'] as const) figures.push(await scenario({ cdn, rewriter, n: ++n, mode, death, viewers }));
      }
    for (const fault of ['hung', 'slow'] as const) {
      if (!cases.includes(fault)) continue;
      for (const mode of FAULT_MODES) faults.push(await faultCase({ cdn, rewriter, n: ++n, fault, mode, viewers, segmentSec }));
    }
  } finally {
    await cdn.close();
  }

  const find = (mode: RewriterMode, death: Death) => figures.find((f) => f.mode === mode && f.death === death)!;
  const ratio = (mode: RewriterMode) => {
    const f = find(mode, 'deregistered');
    return rate(f.hlscdn) / rate(f.roundRobin);
  };
  const deathLabel = { deregistered: 'nginx killed, edge deregisters', 'ttl-expiry': 'whole edge gone, not deregistered' } as const;
  const killAbout = `What it measures: an edge's nginx is SIGKILLed while ${viewers} simulated viewers watch a live stream (1 s segments) through the rewriter, and ${viewers} more watch it through a static round-robin list of the same ${EDGES} edges (the baseline: DNS round robin, or a balancer without health checks). Figures: the time from the kill until no new work the rewriter hands out names the dead edge (absolute mode: segment URIs newly listed in its playlists; redirect mode: its 302s; polled every 20 ms, as for the hung and slow cases: \`bench/failover/new-work.ts\`), and the segment requests that failed for viewers in the ${WINDOW_MS / 1000} s after the kill. The dead edge is the one the newest segment was assigned to, so viewers are about to ask it. Two ways of dying: the edge's service sees nginx exit and deregisters the edge at once; or the whole edge vanishes (its agent stopped without deregistering, then nginx killed): its record stays until its heartbeat is older than the TTL (3 s, heartbeats every 1 s), unless the rewriter's outside-in probes take it out first. The simulated viewers do not retry a failed segment; real players retry, so the failures are an upper bound of what a viewer would notice.`;
  const faultAbout = `Hung and slow edges (\`test/support/edge-faults.ts\`): the victim's nginx process group is stopped (hung: SIGSTOP, connections are still accepted, nothing answers, its agent keeps heartbeating) or stopped and continued in a duty cycle (slow: 60 ms running, 250 ms stopped, so it answers, late), while ${viewers} player-like viewers watch a live stream (${segmentSec} s segments) through the rewriter and ${viewers} through the round-robin list, for ${FAULT_WINDOW_MS / 1000} s after the fault; once per mode, with fresh edges. The viewers (\`bench/failover/player.ts\`) play like hls.js with the player page's settings: start three target durations behind the live edge, reload the media playlist every target duration, give each segment and playlist ${TTFB_TIMEOUT_MS / 1000} s to its first byte, and after a failure retry once, after re-reading the playlist, on the route a player takes next (absolute: the BACKUP pathway of the redundant variants; steering: the next pathway of the steering manifest, re-read every TTL, with a User-Agent per viewer so viewers spread over pathways; redirect: a new 302; round robin: the next edge). The fault comes as a new segment is listed, on the edge that segment goes to (steering: the edge of the pathway most viewers are on), so viewers are about to ask it. Per side, over the segments not yet arrived at the fault: how many were first asked of the victim; the worst extra delay of a segment that touched it (its wait from first request to arrival, minus the median wait before the fault); the longest playback stall and all stalls added up, from a playback model (playback starts when the first segment arrives and runs in real time; a segment not there when playback reaches it stalls it; a lost one is skipped); segments lost even after the retry. For the rewriter, "until no new work names the edge": from the fault to the first answer after which no newly handed-out work names the victim, polled every 20 ms (absolute: segments newly listed in the primary and BACKUP playlists of the watched stream and of an unwatched probe stream with a segment every 250 ms, so that new placements come often; redirect: the 302s for the six newest segments; steering: PATHWAY-PRIORITY of the steering manifest and the segments newly listed in the victim's pinned pathway). The load generator is this process: the players (about ${2 * viewers} segment and ${2 * viewers} playlist requests a second), the poller, and also the rewriter and the edges' agents; each nginx is its own process. Its event-loop delay is reported below, so a saturated load generator would show.`;
  const killTable = table(
    [
      'mode',
      'edge death',
      'until no new work names it',
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
  );
  const faultTable = table(
    [
      'edge fault',
      'mode',
      'viewers via',
      'until no new work names the edge',
      'first asked of the edge / segments',
      'worst extra delay',
      'longest stall',
      'all stalls',
      'lost',
    ],
    faultRows(faults),
    [false, false, false, true, true, true, true, true, true],
  );
  const loopDelays = faults.map((f) => `${f.fault} ${f.mode} ${ms(f.loopDelayP99Ms)} (max ${ms(f.loopDelayMaxMs)})`).join(', ');
  const stallsBefore = {
    hlscdn: faults.reduce((n, f) => n + f.hlscdn.stallsBefore, 0),
    roundRobin: faults.reduce((n, f) => n + f.roundRobin.stallsBefore, 0),
  };
  const killed = figures.length > 0;
  return {
    id: 'failover',
    title: 'Failover',
    about: [killed ? killAbout : '', faults.length > 0 ? faultAbout : ''].filter(Boolean).join('\n\n'),
    command: [
      `node --import tsx bench/failover/run.ts --viewers ${viewers}`,
      ...(cases.length < FAILOVER_CASES.length ? [`--cases ${cases.join(',')}`] : []),
      ...(segmentSec !== 1 ? [`--segment-sec ${segmentSec}`] : []),
    ].join(' '),
    results: [...(killed ? killTable : []), ...(killed && faults.length > 0 ? [''] : []), ...(faults.length > 0 ? faultTable : [])],
    ratios: [
      ...(killed
        ? [
            { label: 'failed segment requests after the kill, hlscdn absolute / round robin', value: ratio('absolute') },
            { label: 'failed segment requests after the kill, hlscdn redirect / round robin', value: ratio('redirect') },
            {
              label: 'time until no new work names the dead edge, not deregistered / deregistered (absolute)',
              value: find('absolute', 'ttl-expiry').exclusionMs / find('absolute', 'deregistered').exclusionMs,
            },
          ]
        : []),
      ...faultRatios(faults),
    ],
    notes: [
      ...(killed
        ? [
            'Round robin keeps sending about one request in three to the dead edge for as long as it is listed (its playlist requests fail the same way, which is why its share of failed segment requests is not exactly a third). hlscdn stops handing new work to the edge as soon as the registry drops it; segments already listed keep their URI while they are listed (hls.js rejects a changed one). In absolute mode, viewers that loaded a playlist naming the dead edge just before it was dropped still fail on those segments until their next reload (one target duration); in redirect mode each segment request is redirected at the moment it is made, so only requests already on their way to the edge when it died can fail.',
            'When the edge vanishes without deregistering, its record stays in the registry until its heartbeat is older than the TTL, but the outside-in probes (run by the rewriter) find nginx refusing connections and take the edge out of new work after two failed probes, 250 ms apart, well before the TTL; `edge.ttlMs` (the local stack runs 1.5 s) is the bound only where no rewriter probes (`rewriter.probe.enabled` false). Segments placed on the edge before that are still asked of it (absolute mode), and these viewers do not retry.',
          ]
        : []),
      ...(faults.length > 0
        ? [
            `A hung edge leaves the rewriter's new work once the outside-in probes call it down (400 ms deadline, a second failed probe 250 ms later, then the publish to the views) or its agent's canary fails. Viewers already sent to it (a segment placed on it just before; in steering, the viewers on its pathway) wait out the ${TTFB_TIMEOUT_MS / 1000} s deadline and get the segment on the retry, so their extra delay is about the deadline, within the three target durations a player keeps. Round robin keeps sending a third of all playlist and segment requests to the hung edge for as long as it hangs, and a retry lands on it again one time in three: those segments are lost and the playback behind them stalls.`,
            'A slow edge is not taken out: its probes still answer within the deadline (it is never stopped for more than 250 ms), so the prober calls it `slow` (round trip over 4 times the fleet median and over 50 ms) and the rewriter keeps it with a tenth of its weight (docs/edge.md, "Health"). It still gets a little new work, so its "until no new work" figure is when it happened to get none any more (redirect: when the newest segments placed on it before have left the window), or none within the window. In steering, viewers already on its pathway stay while it is within its load bound (the current pathway keeps first place), so they keep fetching from it, late but within the deadline.',
            `The real workload is live viewers at 2 s segments (the transcoder's \`hls_time\` 2) playing with hls.js. The time until no new work goes to a hung edge does not depend on the segment length, so that figure holds there. The viewer figures here are for ${segmentSec} s segments, where a player is at most ${3 * segmentSec} s ahead of need: at 2 s segments it is up to 6 s ahead, so the same one-deadline detour leaves more margin, and a stall of hlscdn's viewers measured here should be no longer there (round robin's losses come from the list, not the segment length). \`--segment-sec 2\` runs these cases at 2 s; test/integration/edge-faults-browser.test.ts plays real hls.js at 2 s segments.`,
            `Event-loop delay of the load-generating process in the window after each hung or slow fault, p99 (max): ${loopDelays}. Stalls before the fault (noise, counted apart): hlscdn ${stallsBefore.hlscdn}, round robin ${stallsBefore.roundRobin}.`,
          ]
        : []),
    ],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      viewers: { type: 'string', default: '30' },
      cases: { type: 'string', default: FAILOVER_CASES.join(',') },
      'segment-sec': { type: 'string', default: '1' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const cases = values.cases.split(',').map((c) => c.trim()) as FailoverCase[];
  const unknown = cases.filter((c) => !FAILOVER_CASES.includes(c));
  if (unknown.length > 0) throw new Error(`unknown case(s): ${unknown.join(', ')}; known: ${FAILOVER_CASES.join(', ')}`);
  const result = await run({ viewers: Number(values.viewers), cases, segmentSec: Number(values['segment-sec']) });
  await report(result, { write: !values['no-write'] });
}
