/**
 * Low-latency viewers as k6 plays them: the real k6 (../shared/tools/k6) runs
 * load-tests/live-viewers.js with LOW_LATENCY=1 (20 viewers, about 20 s)
 * against the local stack's low-latency stream (0.4 s parts, blocking reloads,
 * preload hints) through the rewriter in absolute mode. k6's end-of-test
 * summary must show no failed request, blocking reloads used and held under
 * 1 s at the median, parts fetched, and a median latency (now minus the end of
 * the newest part, per EXT-X-PROGRAM-DATE-TIME) under 3 s.
 *
 * The issue's other figure, origin fetches per part per edge, is not asserted
 * here: edges send parts to their agent's part coalescer, so nginx's access log
 * shows requests to the coalescer, not to the origin, and the coalescer's
 * counts (hlscdn_edge_part_coalescer_upstream_fetches_total) are on the agent's
 * /metrics, on a port the local stack does not expose; the origin counts
 * requests by route, not by object. The test prints what the access logs do
 * show: part requests, distinct parts and requests sent upstream, per edge.
 * Skips, saying why, when k6 is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { K6, k6Missing } from '../support/k6.js';
import { startTestStack } from '../support/local-stack-fixture.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// eslint-disable-next-line no-console -- a skipped test says why, in the run's output.
if (k6Missing) console.log(`k6-low-latency: skipped: ${k6Missing}`);

const VUS = 20;
const MEDIA = 'live/360p/index.m3u8';
const PART_PATH = /\/part\d+\.m4s$/;

let stack: LocalStack;
let dir: string;
let child: ChildProcess | undefined;

/** k6's --summary-export: per metric, its statistics (trends: those --summary-trend-stats names; rates: passes, fails, value). */
interface Summary {
  metrics: Record<string, Partial<Record<string, number>> | undefined>;
}

/** The same file's thresholds: per metric, per threshold, whether it was crossed. */
interface SummaryThresholds {
  metrics: Record<string, { thresholds?: Record<string, boolean> } | undefined>;
}

function runK6(summaryFile: string): Promise<{ code: number | null; output: string }> {
  const env: Record<string, string> = {
    BASE_URL: stack.rewriterUrl,
    STREAM: '/live/master.m3u8',
    LOW_LATENCY: '1',
    VUS: String(VUS),
    RAMP_UP: '2s',
    DURATION: '18s',
    RAMP_DOWN: '0s',
    // Longer than the run: each VU is one viewer throughout.
    SESSION_SEC: '60',
  };
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '--no-usage-report',
    '--summary-export',
    summaryFile,
    // count: the summary export lists only these statistics of each trend.
    '--summary-trend-stats',
    'avg,min,med,max,p(90),p(95),count',
  ];
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  args.push(join(repo, 'load-tests', 'live-viewers.js'));
  child = spawn(K6, args, { cwd: repo, env: { PATH: process.env.PATH ?? '', HOME: dir, K6_NO_USAGE_REPORT: 'true' } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child?.on('error', reject);
    child?.on('close', (code) => resolve({ code, output }));
  });
}

interface AccessLine {
  uri: string;
  upstreamAddr: string;
}

interface EdgeParts {
  requests: number;
  /** Distinct parts asked for. */
  parts: number;
  /** Requests nginx sent upstream (to the part coalescer): not served from its cache. */
  upstream: number;
}

/** Part requests per edge, from the edges' access logs (`<dataDir>/edges/<id>/nginx/access.log`). */
async function partRequestsByEdge(): Promise<Record<string, EdgeParts>> {
  const byEdge: Record<string, EdgeParts> = {};
  for (const edge of await readdir(join(dir, 'edges')).catch(() => [])) {
    const text = await readFile(join(dir, 'edges', edge, 'nginx', 'access.log'), 'utf8').catch(() => '');
    const parts = new Set<string>();
    const tally: EdgeParts = { requests: 0, parts: 0, upstream: 0 };
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as AccessLine;
      const path = entry.uri.split('?')[0] ?? '';
      if (!PART_PATH.test(path)) continue;
      tally.requests += 1;
      parts.add(path);
      if (entry.upstreamAddr !== '' && entry.upstreamAddr !== '-') tally.upstream += 1;
    }
    tally.parts = parts.size;
    if (tally.requests > 0) byEdge[edge] = tally;
  }
  return byEdge;
}

beforeAll(async () => {
  if (k6Missing) return;
  ({ stack, dir } = await startTestStack('k6-ll', { lowLatency: true, mode: 'absolute' }));
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 60_000, intervalMs: 200, what: 'the live master playlist' });
  // Two complete segments with parts: a viewer's PART-HOLD-BACK start has parts to start from.
  await waitUntil(
    async () => {
      const text = await (await fetch(`${stack.originUrl}/${MEDIA}`)).text();
      return text.includes('#EXT-X-PART-INF:') && (text.match(/#EXTINF/g) ?? []).length >= 2;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'a low-latency media playlist with two complete segments' },
  );
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('k6 low-latency viewers', () => {
  it.skipIf(k6Missing !== undefined)(
    `${VUS} viewers for 20 s: no failed request, blocking reloads held < 1 s (median), parts fetched, median latency < 3 s`,
    { timeout: 90_000 },
    async () => {
      const summaryFile = join(dir, 'k6-ll-summary.json');
      const { code, output } = await runK6(summaryFile);
      // 99: a threshold of the script crossed; reported below, judged by this test's own criteria.
      expect([0, 99], `k6 exited ${code}:\n${output.slice(-3_000)}`).toContain(code);
      const exported: unknown = JSON.parse(await readFile(summaryFile, 'utf8'));
      const { metrics } = exported as Summary;
      const requests = metrics.http_reqs?.count ?? 0;
      const failed = metrics.http_req_failed?.passes ?? 0;
      const wait = metrics.ll_playlist_wait ?? {};
      const ttfb = metrics.ll_part_ttfb ?? {};
      const latency = metrics.ll_latency ?? {};
      const rebuffers = metrics.rebuffer_rate ?? {};
      const ms = (value: number | undefined) => `${Math.round(value ?? Number.NaN)} ms`;

      const edges = await partRequestsByEdge();
      const crossed = Object.entries((exported as SummaryThresholds).metrics).flatMap(([name, values]) =>
        Object.entries(values?.thresholds ?? {}).flatMap(([threshold, wasCrossed]) => (wasCrossed ? [`${name} ${threshold}`] : [])),
      );
      const report = [
        `k6 exited ${code}${crossed.length > 0 ? ` (thresholds crossed: ${crossed.join(', ')})` : ''}`,
        `requests ${requests}, failed ${failed}; errors ${metrics.errors?.value ?? '-'}, rebuffers ${rebuffers.passes ?? 0}/${(rebuffers.passes ?? 0) + (rebuffers.fails ?? 0)}`,
        `blocking reloads ${wait.count ?? 0}: held median ${ms(wait.med)}, p95 ${ms(wait['p(95)'])}`,
        `parts ${ttfb.count ?? 0}: TTFB median ${ms(ttfb.med)}, p95 ${ms(ttfb['p(95)'])}`,
        `latency median ${ms(latency.med)}, p95 ${ms(latency['p(95)'])}, max ${ms(latency.max)}`,
        ...Object.entries(edges).map(
          ([edge, t]) => `${edge}: ${t.requests} part requests for ${t.parts} parts, ${t.upstream} sent upstream (to the part coalescer)`,
        ),
      ];
      // eslint-disable-next-line no-console -- the measured figures are the test's report.
      console.log(`k6 low latency:\n  ${report.join('\n  ')}`);

      expect(failed, 'failed HTTP requests').toBe(0);
      expect(metrics.errors?.value, 'error rate').toBe(0);
      expect(wait.count ?? 0, 'blocking reloads').toBeGreaterThan(0);
      expect(wait.med, 'median blocking reload hold').toBeLessThan(1_000);
      expect(ttfb.count ?? 0, 'parts fetched').toBeGreaterThan(VUS * 10);
      expect(latency.med, 'median latency').toBeLessThan(3_000);
    },
  );
});
