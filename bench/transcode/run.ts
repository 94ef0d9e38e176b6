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
 * hlscdn/bare (target <= 1.10) and realtime factors. Appends the result to
 * docs/benchmarks.md under "## Transcode" unless --no-write.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FsObjectStore } from '../../src/origin-store/index.js';
import { planTranscode, prepareLaunchers, probeInput, TranscodeSession, parseTaskSpec } from '../../src/transcoder/index.js';
import type { Launchers, TaskSpec } from '../../src/transcoder/index.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '2' }, 'no-write': { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(args.runs));
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
  if (await access(input).then(() => true, () => false)) return;
  await mkdir(outDir, { recursive: true });
  console.log(`generating ${INPUT_SEC} s of 1280x720 at 30 fps into ${input}`);
  await ffmpeg(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${INPUT_SEC}`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${INPUT_SEC}`,
    '-c:v', 'libx264', '-preset', 'fast', '-b:v', '4000k', '-g', '60', '-c:a', 'aac', '-b:a', '128k', '-shortest', input]);
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

async function appendToBenchmarks(block: string): Promise<void> {
  const file = join(repo, 'docs/benchmarks.md');
  const existing = await readFile(file, 'utf8').catch(() => '# Benchmarks\n');
  const heading = '## Transcode';
  let text: string;
  const at = existing.indexOf(`\n${heading}\n`);
  if (at < 0) {
    text = `${existing.trimEnd()}\n\n${heading}\n\n${block}\n`;
  } else {
    // Insert at the end of the Transcode section, before the next "## " heading.
    const sectionStart = at + heading.length + 2;
    const next = existing.indexOf('\n## ', sectionStart);
    const end = next < 0 ? existing.length : next + 1;
    text = `${existing.slice(0, end).trimEnd()}\n\n${block}\n${next < 0 ? '' : `\n${existing.slice(end)}`}`;
  }
  await writeFile(file, text);
}

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const bestHlscdn = Math.min(...hlscdnMs);
const bestBare = Math.min(...bareMs);
const ratio = bestHlscdn / bestBare;
const medianRatio = median(hlscdnMs) / median(bareMs);
const realtime = (ms: number) => INPUT_SEC / (ms / 1000);
const seconds = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
const now = new Date();
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const block = [
  `### ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC: VOD, ${INPUT_SEC} s 1280x720 30 fps, ladder ${LADDER.join('/')}, x264 veryfast, 2 s TS segments`,
  '',
  `- Command: \`node --import tsx bench/transcode/run.ts --runs ${runs}\``,
  `- Machine: ${cpus().length} cores (${cpu}), Node ${process.version}, ffmpeg 5.1, load average ${loadavg()[0]?.toFixed(1)} at the end (shared machine)`,
  `- Runs (alternating, bare first): bare ffmpeg ${seconds(bareMs)} s; hlscdn ${seconds(hlscdnMs)} s`,
  `- Best: bare ffmpeg to local disk ${(bestBare / 1000).toFixed(2)} s (${realtime(bestBare).toFixed(2)}x realtime), hlscdn into an fs store ${(bestHlscdn / 1000).toFixed(2)} s (${realtime(bestHlscdn).toFixed(2)}x realtime)`,
  `- Wall-time ratio hlscdn/bare: **${ratio.toFixed(3)}** best of each, ${medianRatio.toFixed(3)} median of each (target <= 1.10: ${ratio <= 1.1 ? 'met' : 'NOT met'})`,
].join('\n');
console.log(`\n${block}\n`);
if (!args['no-write']) {
  await appendToBenchmarks(block);
  console.log('appended to docs/benchmarks.md');
}
