/**
 * The benchmark suite, what `npm run bench` runs: every benchmark in turn, each
 * measuring hlscdn and its baseline in the same run, then docs/benchmarks.md
 * rewritten from the results (each section with its own command, the machine
 * and the date). Sized to finish in well under 15 minutes on 2 cores.
 *
 *   node --import tsx bench/run-all.ts [--only origin-offload,failover] [--no-write]
 *
 * With --only, just those sections of docs/benchmarks.md are replaced. A
 * benchmark that fails is reported in its section and makes the exit code 1;
 * the others still run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { run as runAutoscaling } from './autoscaling/run.js';
import { run as runFailover } from './failover/run.js';
import { run as runLowLatency } from './low-latency/run.js';
import { run as runOriginOffload } from './origin-offload/run.js';
import { run as runRewriter } from './rewriter/run.js';
import { machineInfo } from './support/machine.js';
import { formatRatio, renderDocument, replaceSection, type BenchResult } from './support/report.js';
import { BENCHMARKS_DOC } from './support/standalone.js';
import { run as runTranscode } from './transcode/run.js';

interface Benchmark {
  id: string;
  title: string;
  command: string;
  run: () => Promise<BenchResult>;
}

// Sizes chosen for the 15-minute budget on 2 cores (about 7 minutes measured on a quiet machine).
const BENCHMARKS: Benchmark[] = [
  {
    id: 'origin-offload',
    title: 'Origin offload',
    command: 'node --import tsx bench/origin-offload/run.ts',
    run: () => runOriginOffload({ edges: 4, viewers: 150, seconds: 30 }),
  },
  { id: 'failover', title: 'Failover', command: 'node --import tsx bench/failover/run.ts', run: () => runFailover({ viewers: 30 }) },
  {
    id: 'autoscaling',
    title: 'Autoscaling',
    command: 'node --import tsx bench/autoscaling/run.ts',
    run: () => runAutoscaling({ trials: 5 }),
  },
  {
    id: 'rewriter',
    title: 'Rewriter',
    command: 'node --import tsx bench/rewriter/run.ts',
    run: () => runRewriter({ duration: 4, connections: 50, rounds: 7 }),
  },
  { id: 'transcode', title: 'Transcode', command: 'node --import tsx bench/transcode/run.ts', run: () => runTranscode({ runs: 3 }) },
  {
    id: 'low-latency',
    title: 'Low latency',
    command: 'node --import tsx bench/low-latency/run.ts',
    run: () => runLowLatency({ seconds: 30, viewers: 30 }),
  },
];

/** What goes in the document when a benchmark threw. */
function failedResult(benchmark: Benchmark, error: unknown, startedAt: Date): BenchResult {
  return {
    id: benchmark.id,
    title: benchmark.title,
    about: 'This benchmark did not complete in the last suite run.',
    command: benchmark.command,
    results: [],
    ratios: [],
    problems: [`it failed: ${error instanceof Error ? error.message : String(error)}`],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine: machineInfo(),
  };
}

const { values } = parseArgs({ options: { only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });
const only = values.only?.split(',').map((id) => id.trim());
const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}`);
  process.exit(2);
}
const chosen = BENCHMARKS.filter((b) => only === undefined || only.includes(b.id));

const suiteStartedAt = new Date();
const results: BenchResult[] = [];
for (const benchmark of chosen) {
  const startedAt = new Date();
  console.log(`\n=== ${benchmark.title} (${benchmark.id}) ===`);
  try {
    results.push(await benchmark.run());
  } catch (error) {
    console.error(`${benchmark.id} failed:`, error);
    results.push(failedResult(benchmark, error, startedAt));
  }
  const result = results.at(-1)!;
  console.log(`${benchmark.id}: ${Math.round(result.durationMs / 1000)} s; ${result.ratios.map(formatRatio).join('; ') || 'no figures'}`);
}
const durationMs = Date.now() - suiteStartedAt.getTime();

console.log(`\nsuite: ${Math.round(durationMs / 1000)} s`);
for (const result of results)
  for (const ratio of result.ratios) console.log(`  ${result.title}: ${formatRatio(ratio).replaceAll('**', '')}`);
if (durationMs > 15 * 60_000) console.error('the suite took longer than its 15-minute budget');

if (!values['no-write']) {
  let text: string;
  if (only === undefined) {
    text = renderDocument(results, { command: 'npm run bench', startedAt: suiteStartedAt, durationMs });
  } else {
    text = await readFile(BENCHMARKS_DOC, 'utf8').catch(() => '');
    for (const result of results) text = replaceSection(text, result);
  }
  await writeFile(BENCHMARKS_DOC, text);
  console.log(`docs/benchmarks.md ${only === undefined ? 'rewritten' : `updated (${only.join(', ')})`}`);
}
if (results.some((r) => r.problems && r.problems.length > 0)) process.exitCode = 1;
