/**
 * Transcode overhead: a VOD of a 30 s 720p input through hlscdn (probe, plan,
 * supervised ffmpeg through fluent-ffmpeg, uploader into an fs store) against the bare
 * ffmpeg command for the same 3-rung ladder writing to local disk. Both run the same
 * argv (buildTranscodeArgs), so the difference is hlscdn's own cost.
 *
 *   node --import tsx bench/transcode/run.ts [--runs 2] [--no-write]
 *
 * Generates the input first (bench/out/input-720p-30s.mp4, kept for later runs), runs
 * each side `runs` times alternately, and compares the best wall times: ratio
 * hlscdn/bare (target <= 1.10) and realtime factors. `run()` is what bench/run-all.ts
 * calls; run directly, the script prints its section and replaces it in
 * docs/benchmarks.md unless --no-write.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FsObjectStore } from '../../src/origin-store/index.js';
import { planTranscode, prepareLaunchers, probeInput, TranscodeSession, parseTaskSpec } from '../../src/transcoder/index.js';
import type { Launchers, TaskSpec } from '../../src/transcoder/index.js';
import { machineInfo } from '../support/machine.js';
import { fmt, type BenchResult } from '../support/report.js';
import { median } from '../support/stats.js';
import { isMain, report } from '../support/standalone.js';

export interface TranscodeBenchOptions {
  /** Runs of each side, alternating. @defaultValue 2 */
  runs?: number;
}

const INPUT_SEC = 30;
const LADDER = ['720p', '480p', '360p'];
const repo = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(repo, 'bench/out');
const input = join(outDir, 'input-720p-30s.mp4');

async function ffmpeg(argv: string[]): Promise<void> {
  const child = spawn('ffmpeg', argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}`);
}

async function makeInput(): Promise<void> {
  if (
    await access(input).then(
      () => true,
      () => false,
    )
  )
    return;
  await mkdir(outDir, { recursive: true });
  console.log(`generating ${INPUT_SEC} s of 1280x720 at 30 fps into ${input}`);
  await ffmpeg([
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1280x720:rate=30:duration=${INPUT_SEC}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${INPUT_SEC}`,
    '-c:v',
    'libx264',
    '-preset',
    'fast',
    '-b:v',
    '4000k',
    '-g',
    '60',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-shortest',
    input,
  ]);
}

function taskSpec(id: string): TaskSpec {
  const parsed = parseTaskSpec({ id, input: pathToFileURL(input).href, mode: 'vod', ladder: LADDER });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

async function runHlscdn(launchers: Launchers, scratch: string, run: number): Promise<number> {
  const store = new FsObjectStore({ root: join(scratch, `store-${run}`) });
  const started = performance.now();
  const session = TranscodeSession.start({ spec: taskSpec(`bench-${run}`), store, workDir: join(scratch, `work-${run}`), launchers });
  const outcome = await session.done;
  const ms = performance.now() - started;
  if (outcome.state !== 'done') throw new Error(`hlscdn transcode ${outcome.state}: ${outcome.reason}`);
  return ms;
}

async function runBare(launchers: Launchers, scratch: string, run: number): Promise<number> {
  // The same argv hlscdn runs, from the same probe, straight to local disk.
  const probe = await probeInput(input, { launchers });
  if (!probe.ok) throw new Error(probe.error.message);
  const dir = join(scratch, `bare-${run}`);
  const plan = planTranscode({ spec: taskSpec(`bare-${run}`), probe: probe.value, workDir: dir });
  if (!plan.ok) throw new Error(plan.error.message);
  const argv = plan.value.argsFor({ startNumber: 0, discontinuity: false, nowMs: Date.now() });
  const started = performance.now();
  await ffmpeg(argv);
  return performance.now() - started;
}

export async function run(options: TranscodeBenchOptions = {}): Promise<BenchResult> {
  const runs = Math.max(1, options.runs ?? 2);
  const startedAt = new Date();
  const machine = machineInfo();
  await makeInput();
  const launchers = await prepareLaunchers();
  const scratch = await mkdtemp(join(tmpdir(), 'hlscdn-bench-transcode-'));
  const hlscdnMs: number[] = [];
  const bareMs: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      bareMs.push(await runBare(launchers, scratch, run));
      console.log(`run ${run + 1}: bare ffmpeg ${(bareMs.at(-1)! / 1000).toFixed(2)} s`);
      hlscdnMs.push(await runHlscdn(launchers, scratch, run));
      console.log(`run ${run + 1}: hlscdn      ${(hlscdnMs.at(-1)! / 1000).toFixed(2)} s`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const bestHlscdn = Math.min(...hlscdnMs);
  const bestBare = Math.min(...bareMs);
  const ratio = bestHlscdn / bestBare;
  const medianRatio = median(hlscdnMs) / median(bareMs);
  const realtime = (ms: number) => INPUT_SEC / (ms / 1000);
  const seconds = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  return {
    id: 'transcode',
    title: 'Transcode',
    about: `What it measures: the cost of hlscdn around ffmpeg. A ${INPUT_SEC} s 1280x720 30 fps input (generated first into \`bench/out/\`) goes through hlscdn as a VOD task (ffprobe, plan, supervised ffmpeg through fluent-ffmpeg, uploader into an fs store, master last) and through the bare ffmpeg command for the same ladder (${LADDER.join('/')}, x264 veryfast, 2 s TS segments; the same argv) writing to local disk. Runs alternate, bare first; the ratio of wall times hlscdn/bare has a target of <= 1.10. The realtime factor is input seconds per wall second.`,
    command: `node --import tsx bench/transcode/run.ts --runs ${runs}`,
    results: [
      `- Runs: bare ffmpeg ${seconds(bareMs)} s; hlscdn ${seconds(hlscdnMs)} s`,
      `- Best: bare ffmpeg to local disk ${(bestBare / 1000).toFixed(2)} s (${realtime(bestBare).toFixed(2)}x realtime), hlscdn into an fs store ${(bestHlscdn / 1000).toFixed(2)} s (${realtime(bestHlscdn).toFixed(2)}x realtime)`,
      `- Median of each: ratio ${fmt(medianRatio, 3)}`,
    ],
    ratios: [{ label: 'wall time hlscdn / bare ffmpeg (best of each)', value: ratio, target: '<= 1.10', met: ratio <= 1.1 }],
    notes: [
      "Both sides run the same encoder work, so the ratio is hlscdn's own cost (probing, supervision, uploads) and can come out below 1 when a neighbour's load on the shared machine hits the bare runs harder.",
    ],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values: args } = parseArgs({
    options: { runs: { type: 'string', default: '2' }, 'no-write': { type: 'boolean', default: false } },
  });
  const result = await run({ runs: Number(args.runs) });
  await report(result, { write: !args['no-write'] });
}
