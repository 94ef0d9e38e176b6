/**
 * Origin offload: how many times the origin is asked for each segment of a
 * live stream watched by many viewers through N edges, with hlscdn's edge
 * selection (the rewriter in absolute mode: every viewer of a segment is sent
 * to the same edge) against round robin over the same edges (a rewriter-less
 * client sending request k to edge k mod N, as a plain load balancer would).
 * Also: how uneven the edges' segment load is (busiest edge / mean).
 *
 *   node --import tsx bench/origin-offload/run.ts [--edges 4] [--viewers 150] [--seconds 30] [--no-write]
 *
 * The stream is advanced by the benchmark itself (1 s segments of 100 kB, a
 * 6-segment window) and each side gets its own stream path, so both start with
 * cold edge caches. Origin reads are counted in the store (test/support/counting-store.ts).
 */
import { parseArgs } from 'node:util';
import { Closers } from '../support/closers.js';
import { startBenchCdn } from '../support/cdn.js';
import { startLivePublisher } from '../support/live-publisher.js';
import { machineInfo } from '../support/machine.js';
import { fmt, table, type BenchResult } from '../support/report.js';
import { startRoundRobinNginx } from '../support/round-robin-nginx.js';
import { runViewers, type SegmentFetch } from '../support/sim-viewer.js';
import { quantile, sum } from '../support/stats.js';
import { isMain, report } from '../support/standalone.js';

export interface OriginOffloadOptions {
  /** @defaultValue 4 */
  edges?: number;
  /** Simulated viewers per side. @defaultValue 150 */
  viewers?: number;
  /** Viewing time per side after the joins. @defaultValue 30 */
  seconds?: number;
}

interface SideFigures {
  name: string;
  distinctSegments: number;
  originSegmentReads: number;
  perSegment: number;
  maxPerSegment: number;
  originPlaylistReads: number;
  segmentRequests: number;
  failed: number;
  busiestOverMean: number;
  perEdge: number[];
  p50Ms: number;
  p99Ms: number;
  /** Segment requests that took 400 ms or more: most waited on an edge's cache lock. */
  slow: number;
}

const JOIN_OVER_MS = 3_000;
/** Rewriters of the many-rewriters side. */
const REWRITERS = 3;
/** nginx polls a held cache lock every 500 ms: a request that waited on one takes about that long. */
const SLOW_MS = 400;

export async function run(options: OriginOffloadOptions = {}): Promise<BenchResult> {
  const edgeCount = options.edges ?? 4;
  const viewers = options.viewers ?? 150;
  const seconds = options.seconds ?? 30;
  const startedAt = new Date();
  const machine = machineInfo();
  const closers = new Closers();
  const sides: SideFigures[] = [];
  try {
    const cdn = await startBenchCdn('offload');
    closers.add(() => cdn.close());
    const ids = Array.from({ length: edgeCount }, (_, i) => `edge-${i + 1}`);
    const edges = await cdn.startEdges(ids);
    const rewriter = await cdn.startRewriter({ mode: 'absolute' });
    // The same selection with the bounded-load rule out of play: no edge ever counts as overloaded.
    const unbounded = await cdn.startRewriter({ mode: 'absolute', quietEdgeRequestsPerSec: 1e9 });
    // Three rewriters, each with its own placements and registry view, behind a round-robin nginx.
    const trio = [];
    for (let i = 0; i < REWRITERS; i++) trio.push(await cdn.startRewriter({ mode: 'absolute' }));
    const balancer = await startRoundRobinNginx(
      `${cdn.dir}/balancer`,
      trio.map((r) => r.url),
    );
    closers.add(() => balancer.process.stop());
    await cdn.waitForFleet(rewriter, ids);
    await cdn.waitForFleet(unbounded, ids);
    for (const member of trio) await cdn.waitForFleet(member, ids);

    for (const side of ['hlscdn', 'hlscdn-rewriters', 'hlscdn-unbounded', 'round-robin'] as const) {
      const publisher = await startLivePublisher({ store: cdn.store, prefix: `live/offload-${side}` });
      const through = side === 'hlscdn' ? rewriter : side === 'hlscdn-rewriters' ? balancer : unbounded;
      const fetches: SegmentFetch[] = [];
      let next = 0;
      const nextEdge = () => edges[next++ % edges.length]!.url;
      const until = Date.now() + JOIN_OVER_MS + seconds * 1000;
      const playlistReadsBefore = cdn.store.reads(publisher.playlistPath.slice(1));
      await runViewers(viewers, {
        joinOverMs: JOIN_OVER_MS,
        viewer: () =>
          side !== 'round-robin'
            ? { playlistUrl: () => `${through.url}${publisher.playlistPath}`, until, onSegment: (f) => fetches.push(f) }
            : {
                playlistUrl: () => `${nextEdge()}${publisher.playlistPath}`,
                segmentUrl: (url) => `${nextEdge()}${new URL(url).pathname}`,
                until,
                onSegment: (f) => fetches.push(f),
              },
      });
      await publisher.close();
      const paths = [...new Set(fetches.map((f) => f.path))];
      const reads = paths.map((path) => cdn.store.reads(path.slice(1)));
      const perEdge = ids.map((id) => fetches.filter((f) => f.ok && f.edge === id).length);
      const mean = sum(perEdge) / perEdge.length;
      sides.push({
        name: {
          hlscdn: 'hlscdn (rewriter, absolute)',
          'hlscdn-rewriters': `hlscdn, ${REWRITERS} rewriters behind round-robin nginx`,
          'hlscdn-unbounded': 'hlscdn, bounded loads off',
          'round-robin': 'round robin (k mod N)',
        }[side],
        distinctSegments: paths.length,
        originSegmentReads: sum(reads),
        perSegment: sum(reads) / paths.length,
        maxPerSegment: Math.max(...reads),
        originPlaylistReads: cdn.store.reads(publisher.playlistPath.slice(1)) - playlistReadsBefore,
        segmentRequests: fetches.length,
        failed: fetches.filter((f) => !f.ok).length,
        busiestOverMean: Math.max(...perEdge) / mean,
        perEdge,
        p50Ms: quantile(
          fetches.map((f) => f.ms),
          0.5,
        ),
        p99Ms: quantile(
          fetches.map((f) => f.ms),
          0.99,
        ),
        slow: fetches.filter((f) => f.ms >= SLOW_MS).length,
      });
      const s = sides.at(-1)!;
      console.log(
        `origin offload, ${s.name}: ${fmt(s.perSegment)} origin reads per segment over ${s.distinctSegments} segments, busiest/mean ${fmt(s.busiestOverMean)}, ${s.failed} failed of ${s.segmentRequests}`,
      );
    }
  } finally {
    await closers.closeAll();
  }

  const [hlscdn, rewriters, unbounded, roundRobin] = sides as [SideFigures, SideFigures, SideFigures, SideFigures];
  const duration = `${seconds} s`;
  return {
    id: 'origin-offload',
    title: 'Origin offload',
    about: `What it measures: origin requests per distinct segment of one live stream watched by ${viewers} simulated viewers through ${edgeCount} nginx edges, with hlscdn's selection (the rewriter in absolute mode, weighted rendezvous hashing with bounded loads on the segment path; the same with ${REWRITERS} rewriters, each with its own placements and registry view, behind an nginx round-robin upstream, so one viewer's reloads go to every rewriter in turn; and the same with the bounded-load rule out of play) against round robin over the same edges (a rewriter-less client sending request k to edge k mod ${edgeCount}, as a plain load balancer does), and how uneven the edges' segment load is (busiest edge's segment requests over the mean). The viewers are an in-process loop playing like the k6 player (load-tests/lib/hls.js: start 3 target durations from the live edge, RFC 8216 6.3.4 reloads, each new segment once); they join over ${JOIN_OVER_MS / 1000} s and watch for ${duration}. The benchmark advances the stream itself (1 s segments of 100 kB, a 6-segment window); each side has its own stream path, so both start with cold caches. Origin reads are counted in the store. Targets: hlscdn <= 1.1 origin requests per distinct segment with 4 edges, <= 1.05 with 3 rewriters.`,
    command: `node --import tsx bench/origin-offload/run.ts --edges ${edgeCount} --viewers ${viewers} --seconds ${seconds}`,
    results: table(
      [
        'client',
        'segments',
        'origin reads / segment',
        'max for one segment',
        'origin playlist reads',
        'segment requests',
        'failed',
        'per edge',
        'busiest / mean',
        'segment ms p50 / p99',
        `>= ${SLOW_MS} ms`,
      ],
      sides.map((s) => [
        s.name,
        s.distinctSegments,
        fmt(s.perSegment),
        s.maxPerSegment,
        s.originPlaylistReads,
        s.segmentRequests,
        s.failed,
        s.perEdge.join(' / '),
        fmt(s.busiestOverMean),
        `${Math.round(s.p50Ms)} / ${Math.round(s.p99Ms)}`,
        s.slow,
      ]),
      [false, true, true, true, true, true, true, false, true, true, true],
    ),
    ratios: [
      { label: 'origin requests per segment, hlscdn', value: hlscdn.perSegment, target: '<= 1.1', met: hlscdn.perSegment <= 1.1 },
      {
        label: `origin requests per segment, hlscdn with ${REWRITERS} rewriters behind round-robin nginx`,
        value: rewriters.perSegment,
        target: '<= 1.05',
        met: rewriters.perSegment <= 1.05,
      },
      { label: 'origin requests per segment, round robin / hlscdn', value: roundRobin.perSegment / hlscdn.perSegment },
      { label: 'busiest edge / mean, hlscdn', value: hlscdn.busiestOverMean },
      { label: 'busiest edge / mean, hlscdn with bounded loads off', value: unbounded.busiestOverMean },
    ],
    notes: [
      `The middle row is the same rewriter with \`quietEdgeRequestsPerSec\` set out of reach, so the bounded-load rule never moves a segment: it isolates what that rule buys in evenness. All viewers of one live segment ask for it within about one second, so the edge holding it jumps well above the others' request rate; the bounded-load rule then places the NEXT segments elsewhere, while the rewriter keeps every segment already placed on its edge (src/rewriter/targeting/edge-placements.ts), so a flash crowd never sends the rest of its viewers to a second edge that would fetch the same segment from the origin again.`,
      `Round robin asks the origin for nearly every segment once per edge (up to ${edgeCount}), and every edge ends up holding the whole working set; with hlscdn each segment lives on one edge. nginx's proxy_cache_lock collapses the concurrent misses within one edge in both cases. The busiest/mean ratio of hlscdn is per-segment granularity at work: all viewers of a segment go to one edge, so over ${duration} the edges' shares follow how the segments hashed, kept within the bounded-load factor (1.25) once an edge is above the quiet threshold (20 requests/s).`,
      `Segment latency: a request that arrives while its edge is still fetching the segment from the origin waits on nginx's proxy_cache_lock, which nginx polls every 500 ms (hard-coded; nginx/nginx pull request #1189 proposes a setting), so it takes about 500 ms however fast the origin is. The last column counts those (requests of ${SLOW_MS} ms or more). With hlscdn nearly all viewers of a new segment meet on one edge, so more of them can land in the miss; how many depends on how long the origin fetch takes, which grows with the machine's load.`,
    ],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      edges: { type: 'string', default: '4' },
      viewers: { type: 'string', default: '150' },
      seconds: { type: 'string', default: '30' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const result = await run({ edges: Number(values.edges), viewers: Number(values.viewers), seconds: Number(values.seconds) });
  await report(result, { write: !values['no-write'] });
}
