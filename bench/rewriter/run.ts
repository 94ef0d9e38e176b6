/**
 * Rewriter throughput against nginx serving the same live media playlist as a
 * static file, with the same number of worker processes (1, then 2), under
 * load from wrk in its own process (or autocannon's CLI with worker threads
 * when wrk is absent: bench/rewriter/load-generator.ts). Parts: redis-server,
 * the origin server over a temp filesystem store, three edge records
 * heartbeated into the registry (no real edges: the rewriter only writes their
 * URLs; probes off), the rewriter as `hlscdn rewriter --workers n` from dist/
 * (built first), absolute mode with signed URLs, and nginx.
 *
 *   node --import tsx bench/rewriter/run.ts [--duration 4] [--connections 50] [--rounds 7] [--workers 1,2] [--no-pin] [--no-write]
 *
 * Workloads: the same URL for every request; a per-viewer query (each request
 * its own `session=..&cb=..`, as players with analytics ids and cache busters
 * send). nginx ignores the query; the rewriter must not let it split its
 * answers. Targets are loaded in turns, `rounds` times each, and the median
 * round of each is reported. RSS of each rewriter worker is sampled during its
 * load (/proc) and the highest is reported.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { silentLogger } from '../../src/core/logger.js';
import { findExecutable, findFreePort, httpProbe, ManagedProcess, startNginx, startRedisServer } from '../../src/core/process/index.js';
import { EdgeRegistryWriter, type EdgeRecord } from '../../src/edge-registry/index.js';
import { FsObjectStore, startOriginServer } from '../../src/origin-store/index.js';
import { mintViewerToken } from '../../src/rewriter/index.js';
import { machineInfo } from '../support/machine.js';
import { fmt, table, type BenchResult, type HeadlineRatio } from '../support/report.js';
import { isMain, report } from '../support/standalone.js';
import { loadTool, runLoad, type LoadResult } from './load-generator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RewriterBenchOptions {
  /** Seconds of load per round and target. @defaultValue 4 */
  duration?: number;
  /** @defaultValue 50 */
  connections?: number;
  /** Short rounds, many of them: the machine's speed shifts for minutes at a time, and the median of many nginx-then-rewriter pairs outlasts a shift. @defaultValue 7 */
  rounds?: number;
  /** Worker counts to measure, nginx and rewriter alike. @defaultValue [1, 2] */
  workers?: number[];
  /**
   * With 1 worker, run the server on CPU 0 and wrk (one thread) on CPU 1, for nginx and the rewriter alike, so that
   * neither shares its core with the load generator (taskset; needs wrk and 2 CPUs). @defaultValue true
   */
  pin?: boolean;
}

type Workload = 'same-url' | 'per-viewer-query' | 'per-viewer-token';
const WORKLOADS: Array<{ id: Workload; label: string; target: number }> = [
  { id: 'same-url', label: 'same URL', target: 0.8 },
  { id: 'per-viewer-query', label: 'per-viewer query', target: 0.5 },
  { id: 'per-viewer-token', label: 'per-viewer access token', target: 0.4 },
];
const ACCESS_SECRET = 'bench-access-secret-0123456789';
/** Viewers in the access-token workload, each with its own session. */
const TOKEN_VIEWERS = 1_000;

const PLAYLIST_KEY = 'live/stream/index.m3u8';

/** A live media playlist as a packager writes it: 6 segments of 2 s, program date-time, no ENDLIST. */
function livePlaylist(): string {
  const start = Date.UTC(2025, 0, 1, 12, 0, 0);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:1200', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (let i = 0; i < 6; i++) {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(start + i * 2_000).toISOString()}`, '#EXTINF:2.000000,', `seg${1200 + i}.ts`);
  }
  return `${lines.join('\n')}\n`;
}

function edgeRecordFor(id: string, port: number): EdgeRecord {
  const now = Date.now();
  return {
    id,
    url: `http://127.0.0.1:${port}`,
    capacity: { weight: 1, egressBytesPerSec: 125_000_000, connections: 10_000 },
    state: 'active',
    load: { activeConnections: 10, requestsPerSec: 5, egressBytesPerSec: 1_000_000, cacheHitRatio: 0.95, upstreamErrors: 0, cacheBytes: 0 },
    startedAt: now,
    heartbeatAt: now,
    version: 1,
  };
}

function nginxConfig(options: { prefixDir: string; root: string; port: number; workers: number }): string {
  // As root, workers would run as nobody and could not read the temp dir (mode 0700).
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}daemon off;
master_process on;
worker_processes ${options.workers};
pid ${options.prefixDir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    client_body_temp_path ${options.prefixDir}/client_body_temp;
    proxy_temp_path ${options.prefixDir}/proxy_temp;
    fastcgi_temp_path ${options.prefixDir}/fastcgi_temp;
    uwsgi_temp_path ${options.prefixDir}/uwsgi_temp;
    scgi_temp_path ${options.prefixDir}/scgi_temp;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { application/vnd.apple.mpegurl m3u8; }
    server {
        listen 127.0.0.1:${options.port};
        root ${options.root};
        location = /healthz { return 200 "ok"; }
        location / {
            add_header Cache-Control "public, max-age=1";
            add_header Access-Control-Allow-Origin "*" always;
        }
    }
}
`;
}

/**
 * Sessions of TOKEN_VIEWERS viewers, as players hold them: each viewer's token
 * opens a session on its first request, and every reload then carries the
 * session query the rewriter put into the playlist's URIs.
 */
async function viewerSessions(target: string): Promise<string[]> {
  const scope = `/${PLAYLIST_KEY.slice(0, PLAYLIST_KEY.lastIndexOf('/') + 1)}`;
  const sessions: string[] = [];
  for (let viewer = 0; viewer < TOKEN_VIEWERS; viewer++) {
    const token = mintViewerToken({ path: scope, exp: Math.floor(Date.now() / 1000) + 3_600, sub: `viewer-${viewer}` }, ACCESS_SECRET);
    const res = await fetch(`${target}?token=${token}`);
    const text = await res.text();
    const uri = text.split('\n').find((line) => line.startsWith('http'));
    if (!res.ok || uri === undefined || !uri.includes('hs_sid='))
      throw new Error(`no session for viewer ${viewer}: ${res.status} ${text.slice(0, 200)}`);
    sessions.push(uri.slice(uri.indexOf('?') + 1));
  }
  return sessions;
}

/** Whether the 1-worker rounds can run the server and wrk on CPUs of their own. */
function canPin(): boolean {
  return loadTool() === 'wrk' && findExecutable('taskset') !== undefined && availableParallelism() >= 2;
}

/** Pins every thread of `pid` and of its child processes (nginx's and the rewriter's workers) to `cpu`. */
async function pinProcessTree(pid: number, cpu: string): Promise<void> {
  for (const target of new Set([pid, ...(await servingPids(pid))]))
    execFileSync('taskset', ['-apc', cpu, String(target)], { stdio: 'ignore' });
}

/**
 * The median of numbers. The ratios are taken round by round (nginx, then the rewriter right after it) and
 * their median reported: this machine's speed shifts between runs by up to 1.7x (seen: nginx alone at 120k
 * and at 200k req/s minutes apart), and a ratio of medians could pair an nginx round of one speed with a
 * rewriter round of another.
 */
function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The round with the median requests/s. */
function median<T extends LoadResult>(results: T[]): T {
  const sorted = [...results].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Resident set size of a process, MiB (0 when it is gone). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) / 1024;
}

/** The pids serving: the workers of a clustered rewriter, or the process itself. */
async function servingPids(pid: number): Promise<number[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  return children.length > 0 ? children : [pid];
}

/** CPU time (user, system) of processes, all threads, seconds; from /proc/<pid>/stat in clock ticks (100 Hz on Linux). */
async function cpuSeconds(pids: number[]): Promise<{ user: number; system: number }> {
  let user = 0;
  let system = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    user += Number(fields[11] ?? 0) / 100;
    system += Number(fields[12] ?? 0) / 100;
  }
  return { user, system };
}

/** CPU µs per request, user and system, a load spent in `pids`. */
interface CpuPerRequest {
  userUs: number;
  systemUs: number;
}

/** Runs a load and measures the CPU the serving processes spent on it. */
async function withCpu(pids: number[], during: () => Promise<LoadResult>): Promise<LoadResult & { cpu: CpuPerRequest }> {
  const before = await cpuSeconds(pids);
  const result = await during();
  const after = await cpuSeconds(pids);
  const per = (seconds: number) => (seconds * 1e6) / Math.max(1, result.requests);
  return { ...result, cpu: { userUs: per(after.user - before.user), systemUs: per(after.system - before.system) } };
}

const cpuText = (cpu: CpuPerRequest) => `${fmt(cpu.userUs + cpu.systemUs, 1)} µs CPU/request (${fmt(cpu.userUs, 1)} user)`;

/** Samples the highest RSS of each pid while `during` runs. */
async function peakRss<T>(pids: number[], during: Promise<T>): Promise<{ result: T; peakMiB: number[] }> {
  const peaks = pids.map(() => 0);
  let running = true;
  const sampler = (async () => {
    while (running) {
      const now = await Promise.all(pids.map(rssMiB));
      now.forEach((v, i) => (peaks[i] = Math.max(peaks[i]!, v)));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    return { result: await during, peakMiB: peaks };
  } finally {
    running = false;
    await sampler;
  }
}

type MeasuredLoad = LoadResult & { cpu: CpuPerRequest };

interface WorkerRun {
  workers: number;
  rows: Array<{
    workload: (typeof WORKLOADS)[number];
    nginx: MeasuredLoad;
    rewriter: MeasuredLoad;
    /** Median over rounds of rewriter / nginx within the round. */
    ratio: number;
    rounds: string[];
    peakRssMiB: number;
  }>;
  peakRssMiB: number[];
}

export async function run(options: RewriterBenchOptions = {}): Promise<BenchResult> {
  const duration = options.duration ?? 4;
  const connections = options.connections ?? 50;
  const rounds = options.rounds ?? 7;
  const workerCounts = options.workers ?? [1, 2];
  const pin = (options.pin ?? true) && canPin();
  const startedAt = new Date();
  const machine = machineInfo();
  const tool = loadTool();
  const dir = await mkdtemp(join(tmpdir(), 'hlscdn-bench-rewriter-'));
  const closers: Array<() => Promise<unknown>> = [];
  try {
    // The rewriter runs as users run it: the CLI from dist/, so tsx's compiler is not in its memory.
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
    const redis = await startRedisServer({ dir: join(dir, 'redis') });
    closers.push(() => redis.stop());

    const store = new FsObjectStore({ root: join(dir, 'store') });
    const playlist = livePlaylist();
    await store.put(PLAYLIST_KEY, playlist);
    const origin = await startOriginServer({ store, logger: silentLogger(), port: 0 });
    closers.push(() => origin.close());

    const writer = new EdgeRegistryWriter({ redis: { url: redis.url } });
    closers.push(() => writer.close());
    const records = ['edge-a', 'edge-b', 'edge-c'].map((id, i) => edgeRecordFor(id, 18_101 + i));
    for (const record of records) await writer.register(record);
    const heartbeat = setInterval(() => {
      for (const record of records) void writer.heartbeat({ ...record, heartbeatAt: Date.now() }).catch(() => undefined);
    }, 1_000);
    closers.push(async () => clearInterval(heartbeat));

    const root = join(dir, 'static');
    await mkdir(join(root, 'live', 'stream'), { recursive: true });
    await writeFile(join(root, PLAYLIST_KEY), playlist);

    const runs: WorkerRun[] = [];
    let sample = '';
    for (const workers of workerCounts) {
      const stops: Array<() => Promise<unknown>> = [];
      try {
        const startOne = async (access: boolean) => {
          const port = await findFreePort();
          const url = `http://127.0.0.1:${port}`;
          const process_ = await ManagedProcess.start({
            name: `rewriter-x${workers}${access ? '-access' : ''}`,
            command: process.execPath,
            args: [join(ROOT, 'bin/hlscdn.js'), 'rewriter', '--port', String(port), '--origin', origin.url, '--workers', String(workers)],
            env: {
              ...process.env,
              REDIS_URL: redis.url,
              HLSCDN_SIGNING_SECRET: 'bench-signing-secret-0123456789',
              HLSCDN_SIGNING_TTL_SEC: '3600',
              HLSCDN_LOG_LEVEL: 'warn',
              // The edges are records without servers: probes would only mark them down.
              HLSCDN_REWRITER_PROBE_ENABLED: 'false',
              ...(access && { HLSCDN_ACCESS_ENABLED: 'true', HLSCDN_ACCESS_SECRET: ACCESS_SECRET }),
            },
            readiness: { probe: httpProbe(`${url}/healthz`), timeoutMs: 30_000 },
          });
          stops.push(() => process_.stop());
          return { url, pid: process_.pid };
        };
        const rewriter = await startOne(false);
        const guarded = await startOne(true);
        const rewriterUrl = rewriter.url;

        const nginxDir = join(dir, `nginx-x${workers}`);
        await mkdir(nginxDir, { recursive: true });
        const nginxPort = await findFreePort();
        await writeFile(join(nginxDir, 'nginx.conf'), nginxConfig({ prefixDir: nginxDir, root, port: nginxPort, workers }));
        const nginx = await startNginx({
          name: `nginx-static-x${workers}`,
          prefixDir: nginxDir,
          configFile: join(nginxDir, 'nginx.conf'),
          probe: httpProbe(`http://127.0.0.1:${nginxPort}/healthz`),
        });
        stops.push(() => nginx.stop());

        const rewriterTarget = `${rewriterUrl}/${PLAYLIST_KEY}`;
        const guardedTarget = `${guarded.url}/${PLAYLIST_KEY}`;
        const sessions = await viewerSessions(guardedTarget);
        const nginxTarget = `http://127.0.0.1:${nginxPort}/${PLAYLIST_KEY}`;
        sample = await (await fetch(rewriterTarget)).text();
        if (!sample.includes('md5=') || !sample.includes('http://127.0.0.1:1810'))
          throw new Error(`the rewriter did not rewrite:\n${sample}`);
        const pids = await servingPids(rewriter.pid);
        const guardedPids = await servingPids(guarded.pid);
        const nginxPids = [nginx.pid, ...(await servingPids(nginx.pid))];
        if (pids.length !== workers) throw new Error(`expected ${workers} rewriter workers, found pids ${pids.join(', ')}`);

        const pinned = pin && workers === 1;
        if (pinned) for (const pid of [rewriter.pid, guarded.pid, nginx.pid]) await pinProcessTree(pid, '0');
        const threads = pinned ? 1 : Math.max(2, workers);
        const load = (url: string, workload: Workload, seconds: number) =>
          runLoad({
            url,
            seconds,
            connections,
            threads,
            ...(pinned && { cpus: '1' }),
            perViewerQuery: workload === 'per-viewer-query',
            ...(workload === 'per-viewer-token' && { queries: sessions }),
            workDir: dir,
          });
        // Warm-up (JIT, connections), discarded.
        await load(rewriterTarget, 'same-url', 2);
        await load(guardedTarget, 'per-viewer-token', 2);
        await load(nginxTarget, 'same-url', 2);
        const workerRun: WorkerRun = { workers, rows: [], peakRssMiB: pids.map(() => 0) };
        for (const workload of WORKLOADS) {
          const nginxRounds: MeasuredLoad[] = [];
          const rewriterRounds: MeasuredLoad[] = [];
          const lines: string[] = [];
          let workloadPeak = 0;
          for (let round = 1; round <= rounds; round++) {
            nginxRounds.push(await withCpu(nginxPids, () => load(nginxTarget, workload.id, duration)));
            const token = workload.id === 'per-viewer-token';
            const servers = token ? { main: guarded.pid, workers: guardedPids } : { main: rewriter.pid, workers: pids };
            const sampled = await peakRss(
              servers.workers,
              withCpu([servers.main, ...servers.workers], () => load(token ? guardedTarget : rewriterTarget, workload.id, duration)),
            );
            rewriterRounds.push(sampled.result);
            sampled.peakMiB.forEach((v, i) => (workerRun.peakRssMiB[i] = Math.max(workerRun.peakRssMiB[i]!, v)));
            workloadPeak = Math.max(workloadPeak, ...sampled.peakMiB);
            const [n, r] = [nginxRounds.at(-1)!, rewriterRounds.at(-1)!];
            const line = `${workers} worker(s), ${workload.label}, round ${round}: nginx ${Math.round(n.requestsPerSec)} req/s, ${cpuText(n.cpu)}; rewriter ${Math.round(r.requestsPerSec)} req/s, ${cpuText(r.cpu)}`;
            console.log(line);
            lines.push(line);
          }
          workerRun.rows.push({
            workload,
            nginx: median(nginxRounds),
            rewriter: median(rewriterRounds),
            ratio: medianOf(rewriterRounds.map((r, i) => r.requestsPerSec / nginxRounds[i]!.requestsPerSec)),
            rounds: lines,
            peakRssMiB: workloadPeak,
          });
        }
        runs.push(workerRun);
      } finally {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      }
    }

    const ratios: HeadlineRatio[] = runs.flatMap((r) =>
      r.rows.map((row) => {
        const value = row.ratio;
        return {
          label: `${row.workload.label}, ${r.workers} worker(s): rewriter / nginx`,
          value,
          target: `>= ${row.workload.target}`,
          met: value >= row.workload.target,
        };
      }),
    );
    const maxRss = Math.max(...runs.flatMap((r) => r.peakRssMiB));
    ratios.push({ label: 'highest RSS of one rewriter worker under load, MiB', value: maxRss, target: '<= 120', met: maxRss <= 120 });
    const failed = runs.flatMap((r) => r.rows).filter((row) => row.nginx.failures > 0 || row.rewriter.failures > 0).length;
    return {
      id: 'rewriter',
      title: 'Rewriter',
      about: `What it measures: requests/s for one live media playlist (6 segments of 2 s), served by the rewriter (\`hlscdn rewriter --workers n\` from dist/, absolute mode, signed URLs, three edges in the registry) and by nginx as a static file with the same number of workers, under load from ${tool === 'wrk' ? 'wrk' : 'autocannon (CLI, worker threads)'} in its own process (${connections} connections, ${duration} s; ${pin ? 'with 1 worker the server runs on CPU 0 and wrk, one thread, on CPU 1 (taskset), so neither shares its core with the other; with 2 workers both share the 2 CPUs, wrk with 2 threads' : 'max(2, workers) threads, sharing the CPUs with the server'}). Workloads: the same URL for every request; a per-viewer query (every request its own \`session=..&cb=..\`, as players with analytics ids and cache busters send; nginx ignores it); and per-viewer access tokens (a second rewriter with \`access.enabled\`: ${TOKEN_VIEWERS} viewers each opened a session with its own token, and their reloads, round robin, carry their session query: the rewriter verifies each and writes that viewer's playlist, its session in every segment URL; nginx gets the same URLs). Targets are loaded in turns, ${rounds} rounds each (nginx, then the rewriter right after it); the table shows each target's median round and the median of the per-round ratios. Each rewriter worker's RSS is sampled from /proc during its load. Targets: same URL >= 0.8 of nginx, per-viewer query >= 0.5, per-viewer access token >= 0.4, RSS <= 120 MiB per worker.`,
      command: `node --import tsx bench/rewriter/run.ts --duration ${duration} --connections ${connections} --rounds ${rounds} --workers ${workerCounts.join(',')}${pin ? '' : ' --no-pin'}`,
      results: [
        '```',
        ...runs.flatMap((r) => r.rows.flatMap((row) => row.rounds)),
        '```',
        '',
        ...table(
          [
            'workers',
            'workload',
            'nginx req/s',
            'rewriter req/s',
            'rewriter / nginx',
            'p99 nginx / rewriter',
            'CPU µs/request nginx / rewriter (user)',
            'peak RSS / worker',
            'failures',
          ],
          runs.flatMap((r) =>
            r.rows.map((row) => [
              r.workers,
              row.workload.label,
              Math.round(row.nginx.requestsPerSec),
              Math.round(row.rewriter.requestsPerSec),
              fmt(row.ratio),
              `${fmt(row.nginx.p99Ms, 1)} / ${fmt(row.rewriter.p99Ms, 1)} ms`,
              `${fmt(row.nginx.cpu.userUs + row.nginx.cpu.systemUs, 1)} (${fmt(row.nginx.cpu.userUs, 1)}) / ${fmt(row.rewriter.cpu.userUs + row.rewriter.cpu.systemUs, 1)} (${fmt(row.rewriter.cpu.userUs, 1)})`,
              `${row.peakRssMiB.toFixed(0)} MiB`,
              row.nginx.failures + row.rewriter.failures,
            ]),
          ),
        ),
        '',
        ...runs.map(
          (r) => `- ${r.workers} worker(s): peak RSS per rewriter worker ${r.peakRssMiB.map((v) => `${v.toFixed(0)} MiB`).join(', ')}.`,
        ),
        `- Playlist: ${playlist.length} bytes at nginx, ${sample.length} bytes rewritten (absolute edge URLs with signatures).`,
      ],
      ratios,
      notes: [
        "The rewriter answers a playlist it built in the last 100 ms straight from its socket handler, keyed by the canonical request (path, hlscdn_* and _HLS_* parameters, zone), so viewers' own query strings share one answer (`src/rewriter/http/hot-answers.ts`). With `--workers n`, node:cluster forks n workers sharing the port (src/core/process/service-cluster.ts); the primary accepts connections and hands them out, which costs nothing once connections are kept alive, as wrk's are.",
        'Whatever the placement, nginx gets the same one in the same run, so the ratio holds what each costs per request. Pinning the 1-worker rounds steadied them within a run, but this machine (a KVM guest) switches between two speeds for minutes at a time: in one, nginx costs about 5 µs of CPU per request (about 200k req/s on one core); in the other about 8 µs (about 120k), the extra all in the kernel. The rewriter pays the same kernel cost, so in the slow phase its ratio reads higher. The CPU column says which phase a row ran in (nginx near 5 or near 8); a round whose nginx and rewriter halves ran in different phases stands out in the round lines, and the per-round median ratio keeps it from deciding the figure.',
        'Where the rewriter\'s time goes (perf on the worker, same URL): the kernel costs it no more per request than nginx (3.0 µs against 3.7 µs; nginx writes with writev and sendfile), and the difference is user time: 1.3 µs for nginx; 4.6 µs for the rewriter before the repeated-head, encoded-answer and metric-tally changes of 2026-12-01, 2.6-2.9 µs after (docs/rewriter.md "Performance"). A per-viewer query defeats the repeated-head memo (every head differs), which is why that workload costs more user time than the same URL.',
        'nginx answers with the 578-byte packager playlist; the rewriter with the rewritten one (about 1 KiB, absolute signed URLs; about 2 KiB with a session query in every URI), so it also writes 2-4 times the bytes per answer.',
      ],
      ...(failed > 0 && { problems: [`${failed} workloads had non-2xx answers or socket errors`] }),
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      machine,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values: args } = parseArgs({
    options: {
      duration: { type: 'string', default: '4' },
      connections: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '7' },
      workers: { type: 'string', default: '1,2' },
      'no-write': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
    },
  });
  const result = await run({
    duration: Number(args.duration),
    connections: Number(args.connections),
    rounds: Number(args.rounds),
    workers: args.workers.split(',').map(Number),
    pin: !args['no-pin'],
  });
  await report(result, { write: !args['no-write'] });
  if (result.problems) process.exitCode = 1;
}
