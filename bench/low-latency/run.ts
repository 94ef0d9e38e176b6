/**
 * Low latency: glass-to-glass latency of low-latency HLS (0.4 s parts, blocking
 * reloads, preload hints) against regular HLS of the same picture, both played
 * by hls.js in Chromium at the same time, and how often the origin is asked for
 * each part while k6 low-latency viewers watch through two edges.
 *
 *   node --import tsx bench/low-latency/run.ts [--seconds 30] [--viewers 30] [--no-write]
 *
 * One CDN (redis, the origin over a counting store that also tells the origin of
 * this process's writes, two nginx edges with their part coalescers, the rewriter
 * in absolute mode) and two live transcodes of the test pattern started together
 * in this process: `ll` (low latency) and `regular` (TS segments), same picture,
 * ladder and 2 s segments. Chromium plays both player pages; k6
 * (../shared/tools/k6, skipped with a note when absent) runs
 * load-tests/live-viewers.js with LOW_LATENCY=1 against `ll`, each VU one viewer
 * for the whole run. Latency is wall clock minus EXT-X-PROGRAM-DATE-TIME of the
 * playing frame, which for the test source is the burnt-in clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { waitUntil } from '../../src/core/process/index.js';
import type { EdgeService } from '../../src/edge/index.js';
import type { ObjectStore } from '../../src/origin-store/index.js';
import {
  parseTaskSpec,
  prepareLaunchers,
  sessionSettingsFromConfig,
  TranscodeSession,
  transcoderSchema,
  type Launchers,
  type TaskSpecInput,
} from '../../src/transcoder/index.js';
import { launchChromium } from '../../test/support/browser.js';
import {
  longestStallMs,
  playerState,
  resetStalls,
  stallTracker,
  waitForPlayback,
  type PlayerState,
} from '../../test/support/player-state.js';
import { startBenchCdn, type BenchCdn } from '../support/cdn.js';
import { Closers } from '../support/closers.js';
import { machineInfo } from '../support/machine.js';
import { fmt, table, type BenchResult } from '../support/report.js';
import { quantile, sum } from '../support/stats.js';
import { isMain, report } from '../support/standalone.js';

export interface LowLatencyBenchOptions {
  /** Measured viewing time after the warm-up. @defaultValue 30 */
  seconds?: number;
  /** k6 low-latency viewers (VUs) of the `ll` stream. @defaultValue 30 */
  viewers?: number;
}

const EDGES = ['e1', 'e2'];
/** After both pages play: hls.js settles on its live edge in the first seconds. */
const WARM_UP_SEC = 6;
const K6_RAMP_UP_SEC = 4;
const PART_PATH = /\/part\d+\.m4s$/;
const SEGMENT_PATH = /\/seg_\d+\.(?:m4s|ts)$/;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const K6 = fileURLToPath(new URL('../../../shared/tools/k6', import.meta.url));

type StreamName = 'll' | 'regular';

/** Both tasks alike but for the low-latency switch (src/local-stack/live-task.ts's demo stream). */
function taskSpec(name: StreamName): TaskSpecInput {
  return {
    id: `bench-${name}`,
    input: { kind: 'testsrc', width: 640, height: 360, fps: 25, clock: true, toneHz: 440 },
    mode: 'live',
    ladder: ['360p', '240p'],
    segment: { durationSec: 2, type: name === 'll' ? 'fmp4' : 'ts' },
    ...(name === 'll' ? { lowLatency: true } : {}),
    dvrWindowSec: 60,
    outputPrefix: name,
    encoderPreset: 'veryfast',
  };
}

function startTranscode(name: StreamName, store: ObjectStore, dir: string, launchers: Launchers): TranscodeSession {
  const spec = parseTaskSpec(taskSpec(name));
  if (!spec.ok) throw new Error(spec.error.message);
  // The deployed defaults (font of the clock, restart policy), with a short stop as in the local stack.
  const settings = sessionSettingsFromConfig(transcoderSchema.parse({}));
  if (settings.fontFile === undefined) throw new Error('no font for the burnt-in clock: the latency figures would have no reference');
  return TranscodeSession.start({ ...settings, stopGraceMs: 2_000, spec: spec.value, store, workDir: join(dir, 'work', name), launchers });
}

async function textOf(url: string): Promise<string> {
  const res = await fetch(url);
  return res.ok ? res.text() : '';
}

/** Two complete segments (and, low latency, parts): a player has something to start from. */
async function waitForStream(originUrl: string, name: StreamName): Promise<void> {
  await waitUntil(
    async () => {
      const text = await textOf(`${originUrl}/${name}/360p/index.m3u8`);
      return (name === 'regular' || text.includes('#EXT-X-PART-INF:')) && (text.match(/#EXTINF/g) ?? []).length >= 2;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `two complete segments of the ${name} stream` },
  );
}

/**
 * Wall clock of the end of the newest media a playlist lists (a part, or a whole
 * segment), from its EXT-X-PROGRAM-DATE-TIME tags; undefined without them.
 */
function newestMediaEndMs(playlist: string): number | undefined {
  let start: number | undefined;
  let parts = 0;
  let newest: number | undefined;
  const reach = (end: number) => (newest = Math.max(newest ?? end, end));
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      start = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      parts = 0;
    } else if (line.startsWith('#EXT-X-PART:') && start !== undefined) {
      parts += Number(/DURATION=([\d.]+)/.exec(line)?.[1] ?? 0) * 1000;
      reach(start + parts);
    } else if (line.startsWith('#EXTINF:') && start !== undefined) {
      const durationMs = Number.parseFloat(line.slice('#EXTINF:'.length)) * 1000;
      reach(start + durationMs);
      start += durationMs;
      parts = 0;
    }
  }
  return newest;
}

/**
 * Samples, every 500 ms, how old the newest media at the origin is (now minus the
 * end of the newest part or segment listed): the encoder's and packager's share of
 * the latency, which no player can beat.
 */
function sampleOriginAge(url: string): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const end = newestMediaEndMs(await textOf(url).catch(() => ''));
      if (end !== undefined) samples.push(Date.now() - end);
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

interface PageFigures {
  name: string;
  samples: number[];
  /** Age of the newest media at the origin over the same window (sampleOriginAge). */
  originAgeMs: number[];
  /** Latency medians of the first and last quarter of the window: drift shows here. */
  firstQuarterMs: number;
  lastQuarterMs: number;
  longestStallMs: number;
  /** Media seconds played over wall seconds in the window. */
  playedPerWall: number;
  perEdge: Record<string, number>;
  loadErrors: number;
  error: string | null;
}

async function openPlayer(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(stallTracker);
  await page.goto(url);
  return page;
}

function pageFigures(
  name: string,
  window: { before: PlayerState; after: PlayerState; wallSec: number; originAgeMs: number[] },
): PageFigures {
  const { before, after, wallSec } = window;
  const samples = after.latencyMs.slice(before.latencyMs.length);
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  return {
    name,
    samples,
    originAgeMs: window.originAgeMs,
    firstQuarterMs: quantile(samples.slice(0, quarter), 0.5),
    lastQuarterMs: quantile(samples.slice(-quarter), 0.5),
    longestStallMs: longestStallMs(after),
    playedPerWall: (after.currentTime - before.currentTime) / wallSec,
    perEdge: after.perEdge,
    loadErrors: after.loadErrors - before.loadErrors,
    error: after.fatal ?? after.videoError,
  };
}

/** k6's --summary-export: per metric, its statistics. */
interface K6Summary {
  metrics: Record<string, Partial<Record<string, number>> | undefined>;
}

interface K6Figures {
  code: number | null;
  summary: K6Summary | undefined;
  output: string;
}

function k6Missing(): string | undefined {
  try {
    accessSync(K6, constants.X_OK);
    return undefined;
  } catch (error) {
    return `no runnable k6 at ${K6} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}

/** live-viewers.js with LOW_LATENCY=1, as test/load-tests/k6-low-latency.test.ts runs it. */
function startK6(options: { rewriterUrl: string; vus: number; plateauSec: number; dir: string }): {
  child: ChildProcess;
  done: Promise<K6Figures>;
} {
  const summaryFile = join(options.dir, 'k6-summary.json');
  const env: Record<string, string> = {
    BASE_URL: options.rewriterUrl,
    STREAM: '/ll/master.m3u8',
    LOW_LATENCY: '1',
    VUS: String(options.vus),
    RAMP_UP: `${K6_RAMP_UP_SEC}s`,
    DURATION: `${options.plateauSec}s`,
    RAMP_DOWN: '0s',
    // Longer than the run: each VU is one viewer throughout.
    SESSION_SEC: String(options.plateauSec + 120),
  };
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-export', summaryFile];
  args.push('--summary-trend-stats', 'avg,min,med,max,p(90),p(95),count');
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  args.push(join(repo, 'load-tests', 'live-viewers.js'));
  const child = spawn(K6, args, { cwd: repo, env: { PATH: process.env.PATH ?? '', HOME: options.dir, K6_NO_USAGE_REPORT: 'true' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<K6Figures>((resolve) => {
    child.on('error', (error) => resolve({ code: null, summary: undefined, output: `${output}\n${error.message}` }));
    child.on('close', (code) => {
      void readFile(summaryFile, 'utf8').then(
        (text) => resolve({ code, summary: JSON.parse(text) as K6Summary, output }),
        () => resolve({ code, summary: undefined, output }),
      );
    });
  });
  return { child, done };
}

interface CoalescerFigures {
  id: string;
  /** Part requests that started an origin fetch / rode one. */
  lead: number;
  joined: number;
  upstreamFetches: number;
}

/** The part coalescer's counters from the edge agent's /metrics. */
async function coalescerFigures(edge: EdgeService): Promise<CoalescerFigures> {
  const text = await textOf(`${edge.agentUrl}/metrics`).catch(() => '');
  const total = (name: string, label = '') =>
    sum(
      text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && line.includes(label))
        .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1))),
    );
  return {
    id: edge.id,
    lead: total('hlscdn_edge_part_coalescer_waiters_total', 'role="lead"'),
    joined: total('hlscdn_edge_part_coalescer_waiters_total', 'role="joined"'),
    upstreamFetches: total('hlscdn_edge_part_coalescer_upstream_fetches_total'),
  };
}

interface OriginReads {
  what: string;
  /** Distinct objects the origin served at least once. */
  objects: number;
  /** Reads that found the object: the origin requests that served it. */
  found: number;
  perObject: number;
  max: number;
  /** Objects served more than once. */
  repeated: number;
  /**
   * Store reads that found nothing: mostly a hinted part's first look, after which the
   * origin holds the request until the part is stored and reads it again.
   */
  misses: number;
}

function originReads(cdn: BenchCdn, what: string, prefix: string, path: RegExp): OriginReads {
  const keys = cdn.store.readKeys().filter((key) => key.startsWith(`${prefix}/`) && path.test(`/${key}`));
  const found = keys.map((key) => cdn.store.found(key)).filter((n) => n > 0);
  return {
    what,
    objects: found.length,
    found: sum(found),
    perObject: sum(found) / found.length,
    max: Math.max(0, ...found),
    repeated: found.filter((n) => n > 1).length,
    misses: sum(keys.map((key) => cdn.store.reads(key) - cdn.store.found(key))),
  };
}

interface EdgeSpread {
  /** Distinct `ll` parts asked for at any edge. */
  parts: number;
  /** Of those, asked for at more than one edge. */
  atBothEdges: number;
  /** Part requests nginx passed upstream (to its coalescer), per edge. */
  upstreamPerEdge: Record<string, number>;
}

/** Which edges were asked for each `ll` part, from the edges' nginx access logs (`<dir>/<id>/nginx/access.log`). */
async function partsAcrossEdges(dir: string, ids: readonly string[]): Promise<EdgeSpread> {
  const edgesOf = new Map<string, Set<string>>();
  const upstreamPerEdge: Record<string, number> = {};
  for (const id of ids) {
    upstreamPerEdge[id] = 0;
    const text = await readFile(join(dir, id, 'nginx', 'access.log'), 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { uri: string; upstreamAddr: string };
      const path = entry.uri.split('?')[0] ?? '';
      if (!path.startsWith('/ll/') || !PART_PATH.test(path)) continue;
      edgesOf.set(path, (edgesOf.get(path) ?? new Set()).add(id));
      if (entry.upstreamAddr !== '' && entry.upstreamAddr !== '-') upstreamPerEdge[id] += 1;
    }
  }
  return { parts: edgesOf.size, atBothEdges: [...edgesOf.values()].filter((set) => set.size > 1).length, upstreamPerEdge };
}

const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? 'n/a' : String(Math.round(value)));

export async function run(options: LowLatencyBenchOptions = {}): Promise<BenchResult> {
  const seconds = options.seconds ?? 30;
  const viewers = options.viewers ?? 30;
  const startedAt = new Date();
  const machine = machineInfo();
  const closers = new Closers();
  const problems: string[] = [];
  const notes: string[] = [];
  const pages: PageFigures[] = [];
  const restarts: string[] = [];
  let k6: K6Figures | undefined;
  let coalescers: CoalescerFigures[] = [];
  let reads: OriginReads[] = [];
  let spread: EdgeSpread | undefined;
  let loopP99Ms = Number.NaN;
  let loopMaxMs = Number.NaN;
  let loadAtEnd = '';
  const missingK6 = k6Missing();
  try {
    const cdn = await startBenchCdn('low-latency', { observeChanges: true });
    closers.add(() => cdn.close());
    const edges = await cdn.startEdges(EDGES);
    const rewriter = await cdn.startRewriter({ mode: 'absolute' });
    await cdn.waitForFleet(rewriter, EDGES);

    const launchers = await prepareLaunchers();
    const sessions = (['ll', 'regular'] as const).map((name) => startTranscode(name, cdn.publishStore, cdn.dir, launchers));
    closers.add(() => Promise.all(sessions.map((session) => session.stop())));
    for (const session of sessions) session.on('restart', ({ reason }) => restarts.push(reason));
    await Promise.all((['ll', 'regular'] as const).map((name) => waitForStream(cdn.origin.url, name)));

    const browser = await launchChromium();
    closers.add(() => browser.close());
    const llPage = await openPlayer(browser, `${rewriter.url}/play/ll/master.m3u8`);
    const regularPage = await openPlayer(browser, `${rewriter.url}/play/regular/master.m3u8`);
    await Promise.all([waitForPlayback(llPage, 'low-latency playback'), waitForPlayback(regularPage, 'regular playback')]);

    // k6 ramps up during the warm-up, so the whole measured window has all its viewers.
    let k6Run: ReturnType<typeof startK6> | undefined;
    if (missingK6 === undefined) {
      k6Run = startK6({ rewriterUrl: rewriter.url, vus: viewers, plateauSec: WARM_UP_SEC + seconds, dir: cdn.dir });
      const child = k6Run.child;
      closers.add(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
    } else notes.push(`The k6 part was skipped: ${missingK6}.`);
    await sleep(WARM_UP_SEC * 1000);

    await Promise.all([resetStalls(llPage), resetStalls(regularPage)]);
    const before = await Promise.all([playerState(llPage), playerState(regularPage)]);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const windowStarted = performance.now();
    const ages = (['ll', 'regular'] as const).map((name) => sampleOriginAge(`${cdn.origin.url}/${name}/360p/index.m3u8`));
    await sleep(seconds * 1000);
    const after = await Promise.all([playerState(llPage), playerState(regularPage)]);
    const wallSec = (performance.now() - windowStarted) / 1000;
    const [llAges, regularAges] = await Promise.all(ages.map((age) => age.stop()));
    loop.disable();
    loopP99Ms = loop.percentile(99) / 1e6;
    loopMaxMs = loop.max / 1e6;
    loadAtEnd = (loadavg()[0] ?? 0).toFixed(1);
    pages.push(pageFigures('low latency (`ll`)', { before: before[0], after: after[0], wallSec, originAgeMs: llAges ?? [] }));
    pages.push(pageFigures('regular HLS (`regular`)', { before: before[1], after: after[1], wallSec, originAgeMs: regularAges ?? [] }));
    for (const page of pages) {
      if (page.error) problems.push(`the ${page.name} player failed: ${page.error}`);
      if (page.samples.length < seconds) problems.push(`the ${page.name} player gave only ${page.samples.length} latency samples`);
    }

    if (k6Run) {
      k6 = await k6Run.done;
      if (k6.code !== 0 && k6.code !== 99) problems.push(`k6 exited ${k6.code}: ${k6.output.slice(-500)}`);
      if (!k6.summary) problems.push('k6 wrote no summary');
      const failed = k6.summary?.metrics.http_req_failed?.passes ?? 0;
      if (failed > 0) problems.push(`${failed} k6 requests failed`);
    }
    coalescers = await Promise.all(edges.map(coalescerFigures));
    spread = await partsAcrossEdges(cdn.dir, EDGES);
    reads = [
      originReads(cdn, 'low-latency parts', 'll', PART_PATH),
      originReads(cdn, 'low-latency segments', 'll', SEGMENT_PATH),
      originReads(cdn, 'regular HLS segments', 'regular', SEGMENT_PATH),
    ];
  } finally {
    await closers.closeAll();
  }
  if (restarts.length > 0) problems.push(`ffmpeg restarted ${restarts.length} time(s): ${restarts.join('; ')}`);

  const [llPage, regularPage] = pages as [PageFigures, PageFigures];
  const [parts] = reads as [OriginReads];
  const llMedian = quantile(llPage.samples, 0.5);
  const regularMedian = quantile(regularPage.samples, 0.5);
  const metrics = k6?.summary?.metrics ?? {};
  const results = [
    ...table(
      [
        'player (hls.js, Chromium)',
        'samples',
        'latency median s',
        'p90 s',
        'min s',
        'max s',
        'median first / last quarter s',
        'newest media at the origin, median age s',
        'player behind it s',
        'longest stall ms',
        'played / wall',
        'fragments per edge',
      ],
      pages.map((p) => [
        p.name,
        p.samples.length,
        fmt(quantile(p.samples, 0.5) / 1000),
        fmt(quantile(p.samples, 0.9) / 1000),
        fmt(Math.min(...p.samples) / 1000),
        fmt(Math.max(...p.samples) / 1000),
        `${fmt(p.firstQuarterMs / 1000)} / ${fmt(p.lastQuarterMs / 1000)}`,
        fmt(quantile(p.originAgeMs, 0.5) / 1000),
        fmt((quantile(p.samples, 0.5) - quantile(p.originAgeMs, 0.5)) / 1000),
        Math.round(p.longestStallMs),
        fmt(p.playedPerWall),
        Object.entries(p.perEdge)
          .map(([edge, count]) => `${edge}: ${count}`)
          .join(', ') || '-',
      ]),
      [false, true, true, true, true, true, true, true, true, true, true, false],
    ),
    '',
    ...table(
      [
        'origin reads of',
        'objects served',
        'reads that served one',
        'reads / object',
        'max for one object',
        'served twice or more',
        'store reads that missed',
      ],
      reads.map((r) => [r.what, r.objects, r.found, fmt(r.perObject), r.max, r.repeated, r.misses]),
    ),
    '',
    ...table(
      ['edge part coalescer', 'requests that fetched', 'requests that joined a fetch', 'origin fetches'],
      coalescers.map((c) => [c.id, c.lead, c.joined, c.upstreamFetches]),
    ),
    ...(spread
      ? [
          '',
          `Edges' access logs: ${spread.parts} distinct \`ll\` parts asked for, ${spread.atBothEdges} of them at both edges; part requests nginx passed to its coalescer: ${EDGES.map((id) => `${id} ${spread?.upstreamPerEdge[id] ?? 0}`).join(', ')}.`,
        ]
      : []),
    ...(k6?.summary
      ? [
          '',
          `k6 (${viewers} low-latency viewers of \`ll\`, exit ${k6.code}): ${metrics.http_reqs?.count ?? 0} requests, ${metrics.http_req_failed?.passes ?? 0} failed; ` +
            `latency (now minus the end of the newest part) median ${ms(metrics.ll_latency?.med)} ms, p95 ${ms(metrics.ll_latency?.['p(95)'])} ms; ` +
            `blocking reload held median ${ms(metrics.ll_playlist_wait?.med)} ms over ${metrics.ll_playlist_wait?.count ?? 0}; ` +
            `part time to first byte median ${ms(metrics.ll_part_ttfb?.med)} ms over ${metrics.ll_part_ttfb?.count ?? 0} parts; ` +
            `rebuffers ${metrics.rebuffer_rate?.passes ?? 0} of ${(metrics.rebuffer_rate?.passes ?? 0) + (metrics.rebuffer_rate?.fails ?? 0)}.`,
        ]
      : []),
    '',
    `Event-loop delay of the benchmark's process (origin, rewriter, edge agents and their part coalescers, both uploaders) during the window: p99 ${fmt(loopP99Ms, 1)} ms, max ${fmt(loopMaxMs, 1)} ms; load average ${loadAtEnd} at the end of the window.`,
  ];
  return {
    id: 'low-latency',
    title: 'Low latency',
    about: `What it measures: glass-to-glass latency of hlscdn's low-latency HLS (RFC 8216bis: 0.4 s parts, preload hints, blocking reloads at the origin, parts through each edge's part coalescer) against regular HLS of the same picture, and how many times the origin is asked for each part. Two live transcodes run in the benchmark's process, started together: the test pattern at 640x360, 25 fps, ladder 360p/240p, 2 s segments, once as \`ll\` (low latency, fMP4) and once as \`regular\` (TS segments), through the origin over a filesystem store, two nginx edges and the rewriter in absolute mode (parts and hints rewritten to edges). Chromium plays both player pages (hls.js, lowLatencyMode on) at the same time; after playback starts and ${WARM_UP_SEC} s of warm-up, each page's latency samples (every 500 ms: \`Date.now()\` minus hls.js's \`playingDate\`) are taken for ${seconds} s, with the longest stall. ${missingK6 === undefined ? `Meanwhile k6 runs load-tests/live-viewers.js with LOW_LATENCY=1: ${viewers} viewers of \`ll\`, each for the whole run, ramped up during the warm-up.` : 'k6 was absent, so no k6 viewers ran.'} Origin reads are counted per key in the store.\n\nHow honest the figures are: the latency is wall clock minus EXT-X-PROGRAM-DATE-TIME, which for the test source is the epoch of the burnt-in clock plus media time, so it is latency against the picture's clock (glass to glass), not an estimate from the playlist. That epoch is taken before ffmpeg starts, so the figure also carries ffmpeg's start-up delay (a camera feeding a running encoder would not) and any time the encoder falls behind real time. Everything shares the machine's ${machine.cores} cores: two x264 encoders (four renditions), Chromium decoding two videos, k6's viewers, nginx and the benchmark's own process; a figure measured here is an upper bound of what a dedicated encoder and player would see. Both streams suffer the same machine at the same moment, so the ratio is the fairer figure. It compares the two pipelines end to end, not the delivery alone: a low-latency task also encodes with x264's zerolatency tune (no lookahead or B-frames), as every hlscdn low-latency task does, and its parts are packaged as ffmpeg writes them, while a regular segment waits for the next keyframe and the uploader's scan (every 500 ms). Targets: median low-latency latency <= 3 s; origin reads per part <= 2 with 2 edges (about once per edge; the rewriter places each part on one edge, so the ideal is 1.0).`,
    command: `node --import tsx bench/low-latency/run.ts --seconds ${seconds} --viewers ${viewers}`,
    results,
    ratios: [
      { label: 'glass-to-glass latency, low latency / regular HLS (medians)', value: llMedian / regularMedian },
      { label: 'median glass-to-glass latency, low latency (s)', value: llMedian / 1000, target: '<= 3', met: llMedian <= 3_000 },
      {
        label: 'origin reads per part, low latency, 2 edges (ideal 1.0)',
        value: parts.perObject,
        target: '<= 2',
        met: parts.perObject <= 2,
      },
    ],
    notes: [
      `Reading the player table: the latency splits into the age of the newest media at the origin (now minus the end of the newest part or segment its playlist lists, sampled every 500 ms on the 360p rendition: ffmpeg's start-up, encoding, packaging and upload, which no player can beat; a regular segment is listed only once whole, after ffmpeg has seen the next keyframe) and how far behind that the player chose to play (the difference of the medians). hls.js plays regular HLS about three target durations behind the newest segment (liveSyncDurationCount) and low latency about PART-HOLD-BACK (1.2 s here) behind the newest part, It can start only on an independent part (one per 2 s segment, at the keyframe), up to a segment further back than PART-HOLD-BACK, and by default never speeds up to catch up; the player page sets maxLiveSyncPlaybackRate 1.5, so it plays faster until it is back at its target (measured before that setting: 3.26 s median instead of 1.9 s, on a busier machine). "Median first / last quarter" compares the start and the end of the window: a latency that drifts up (the player falling behind after a stall, or its clock running slow on a saturated machine) shows there, as does "played / wall" below 1.`,
      `Origin reads count the store reads that served an object (a body or a 304), per distinct object served; the origin holds a request for a hinted part that does not exist yet, looking once (a miss, counted apart) and reading it again once it is stored, so one origin request for a hinted part is one serving read. Parts reach the origin only through the edges' part coalescers (nginx passes parts to its coalescer and caches the answer); the coalescer table shows, per edge, the part requests that started an origin fetch and those that rode one under way (a fetch still in flight at the count is not yet in "origin fetches"). A part served more than once was asked for at both edges (a hint and its listing placed apart, the bounded-load rule moving new work, a BACKUP pathway) or asked again after its edge had let it go; the access-log line says how many parts were asked for at both edges.`,
      ...notes,
    ],
    problems,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      viewers: { type: 'string', default: '30' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const result = await run({ seconds: Number(values.seconds), viewers: Number(values.viewers) });
  await report(result, { write: !values['no-write'] });
}
