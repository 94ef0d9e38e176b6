/**
 * HTTP load from a process of its own, so the generator is not the bottleneck
 * and does not share an event loop with what it measures: wrk when installed
 * (`apt-get install wrk`), else autocannon's CLI in a child process with worker
 * threads. Each request may carry its own query (a viewer's session id and
 * cache buster), made by a wrk Lua script or autocannon's `[<id>]` replacement.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findExecutable } from '../../src/core/process/index.js';

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  /** Load threads (wrk -t, autocannon -w). */
  threads: number;
  /** Give each request its own `session=<n>&cb=<n>` query, as viewers' players do. */
  perViewerQuery?: boolean;
  /** A query string per request drawn round robin from these (e.g. viewer tokens); wrk only. */
  queries?: readonly string[];
  /** Where scripts may be written. */
  workDir: string;
  /** CPUs the generator may run on (taskset's list, e.g. "1"); wrk only. Unset: any. */
  cpus?: string;
}

export interface LoadResult {
  requestsPerSec: number;
  /** Answers counted in all. */
  requests: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors. */
  failures: number;
  tool: 'wrk' | 'autocannon';
}

export function loadTool(): 'wrk' | 'autocannon' {
  return findExecutable('wrk') ? 'wrk' : 'autocannon';
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return loadTool() === 'wrk' ? runWrk(options) : runAutocannon(options);
}

// wrk's Lua: done() prints the figures as one JSON line. A request() function, which makes each request its own
// query, is defined only when one is wanted: wrk then calls Lua per request, which costs it several times the CPU of
// its prebuilt request, and on a 2-core machine that CPU is taken from the server being measured.
const WRK_SCRIPT = (queries: readonly string[] | undefined, perViewer: boolean) => {
  const perRequest =
    (queries?.length ?? 0) > 0 || perViewer
      ? `
local counter = 0
local queries = { ${(queries ?? []).map((q) => JSON.stringify(q)).join(', ')} }
local base = wrk.path
request = function()
  counter = counter + 1
  local path = base
  if #queries > 0 then
    path = base .. "?" .. queries[(counter % #queries) + 1]
  else
    path = base .. "?session=" .. counter .. "-" .. math.random(1, 1000000000) .. "&cb=" .. math.random(1, 1000000000)
  end
  return wrk.format(nil, path)
end`
      : '';
  return `${perRequest}
done = function(summary, latency, requests)
  local failures = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"p99Us":%d,"failures":%d}\\n',
    summary.requests, summary.duration, latency:percentile(99), failures))
end
`;
};

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const script = join(options.workDir, `wrk-${Date.now()}-${Math.random().toString(36).slice(2)}.lua`);
  await writeFile(script, WRK_SCRIPT(options.queries, options.perViewerQuery ?? false));
  const wrkArgs = [`-t${options.threads}`, `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', script, options.url];
  const output =
    options.cpus === undefined ? await runChild('wrk', wrkArgs) : await runChild('taskset', ['-c', options.cpus, 'wrk', ...wrkArgs]);
  const line = output.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${output}`);
  const figures = JSON.parse(line.slice('WRK_JSON '.length)) as { requests: number; durationUs: number; p99Us: number; failures: number };
  return {
    requestsPerSec: figures.requests / (figures.durationUs / 1e6),
    requests: figures.requests,
    p99Ms: figures.p99Us / 1000,
    failures: figures.failures,
    tool: 'wrk',
  };
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  if (options.queries) throw new Error('per-request query lists need wrk: apt-get install wrk');
  if (options.cpus !== undefined) throw new Error('pinning the load generator needs wrk: apt-get install wrk');
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const url = options.perViewerQuery ? `${options.url}?session=[<id>]&cb=[<id>]` : options.url;
  const args = [cli, '-j', '-c', String(options.connections), '-d', String(options.seconds), '-w', String(options.threads)];
  if (options.perViewerQuery) args.push('-I');
  const output = await runChild(process.execPath, [...args, url]);
  const result = JSON.parse(output.slice(output.indexOf('{'))) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    requestsPerSec: result.requests.average,
    requests: result.requests.total,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
    tool: 'autocannon',
  };
}

function runChild(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err || out}`))));
  });
}
