/**
 * `hlscdn edges list` as a user runs it, against a real redis-server: agents'
 * records and the prober's verdicts go in through the registry writer, and the
 * table and `--json` show each edge's health, probe round trip and how long it
 * has been failing.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hlscdnCommand, startRedisServer, type RunningRedisServer } from '../../src/core/process/index.js';
import { EdgeRegistryWriter, type EdgeRecord, type ProbeVerdict } from '../../src/edge-registry/index.js';
import { edgeRecord } from '../../src/edge-registry/test-support/records.js';

const run = promisify(execFile);
const cli = hlscdnCommand();

let dir: string;
let server: RunningRedisServer;
let writer: EdgeRegistryWriter;
let timer: NodeJS.Timeout | undefined;
// When the slow and down verdicts began: 30 s and 12 s before the test.
const startedAt = Date.now();
const slowSince = startedAt - 30_000;
const downSince = startedAt - 12_000;

/** What the agents and the prober would keep writing, beat after beat, so nothing expires while the CLI starts. */
async function beat(): Promise<void> {
  const now = Date.now();
  const record = (id: string, overrides: Partial<EdgeRecord> = {}) =>
    edgeRecord(id, { url: `http://127.0.0.1:1/${id}`, startedAt, heartbeatAt: now, ...overrides });
  for (const r of [
    record('edge-ok'),
    record('edge-sick', { state: 'unhealthy', problem: 'canary answered 502' }),
    record('edge-slow'),
    record('edge-hung'),
  ])
    await writer.heartbeat(r);
  const verdict = (id: string, v: Omit<ProbeVerdict, 'id' | 'checkedAt'>): ProbeVerdict => ({ id, checkedAt: now, ...v });
  await writer.publishProbeVerdicts([
    verdict('edge-ok', { verdict: 'up', rttMs: 9, since: startedAt - 60_000 }),
    verdict('edge-sick', { verdict: 'up', rttMs: 11, since: startedAt - 60_000 }),
    verdict('edge-slow', { verdict: 'slow', rttMs: 240, since: slowSince, detail: 'round trip 240 ms, fleet median 10 ms' }),
    verdict('edge-hung', { verdict: 'down', rttMs: 12, since: downSince, detail: 'timed out after 400 ms' }),
  ]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-edges-list-'));
  server = await startRedisServer({ dir });
  writer = new EdgeRegistryWriter({ redis: { url: server.url } });
  await beat();
  timer = setInterval(() => void beat().catch(() => undefined), 300);
});
afterAll(async () => {
  clearInterval(timer);
  await writer?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function edgesList(...args: string[]): Promise<string> {
  const { stdout } = await run(cli.command, [...cli.args, 'edges', 'list', ...args], {
    env: { PATH: process.env.PATH ?? '', REDIS_URL: server.url, HLSCDN_LOG_LEVEL: 'silent' },
    timeout: 20_000,
  });
  return stdout;
}

describe('hlscdn edges list', () => {
  it('prints health, probe round trip and failing-for columns', async () => {
    const lines = (await edgesList()).trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+URL\s+ZONE\s+STATE\s+HEALTH\s+RTT\s+FAILING\s+CONNS\s+.*\s+AGE\s+DETAIL$/);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `)) ?? '';
    expect(row('edge-ok')).toMatch(/\sactive\s+healthy\s+9\.0ms\s+-\s/);
    expect(row('edge-sick')).toMatch(/\sunhealthy\s+unhealthy\s+11\.0ms\s+-\s.*\scanary answered 502$/);
    expect(row('edge-slow')).toMatch(/\sactive\s+slow\s+240\.0ms\s+\d+\.\ds\s.*\sround trip 240 ms, fleet median 10 ms$/);
    // The view folds the prober's 'down' into the record: unhealthy, with the probe's reason.
    expect(row('edge-hung')).toMatch(/\sunhealthy\s+unhealthy\s+12\.0ms\s+\d+\.\ds\s.*\sviewers' probes fail: timed out after 400 ms$/);
  });

  it('adds each edge health to --json', async () => {
    const printed = JSON.parse(await edgesList('--json')) as Array<EdgeRecord & { health: Record<string, unknown> }>;
    const byId = new Map(printed.map((r) => [r.id, r]));
    expect(byId.get('edge-ok')?.health).toMatchObject({ verdict: 'healthy', label: 'healthy', rttMs: 9, failingForMs: null });
    expect(byId.get('edge-sick')).toMatchObject({
      state: 'unhealthy',
      problem: 'canary answered 502',
      health: { verdict: 'unhealthy', label: 'unhealthy: canary answered 502', rttMs: 11, failingSince: null },
    });
    expect(byId.get('edge-slow')).toMatchObject({
      probe: { verdict: 'slow' },
      health: { verdict: 'slow', reason: 'round trip 240 ms, fleet median 10 ms', rttMs: 240, failingSince: slowSince },
    });
    expect(byId.get('edge-hung')).toMatchObject({ state: 'unhealthy', health: { verdict: 'unhealthy', failingSince: downSince } });
    expect(byId.get('edge-hung')?.health.failingForMs).toBeGreaterThanOrEqual(12_000);
  });
});
