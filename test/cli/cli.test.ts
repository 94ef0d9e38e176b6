/** The CLI as a user runs it: help, config print/env, and refusing bad configuration with one clear message. */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hlscdnCommand } from '../../src/core/process/index.js';
import { formatEdgeTable, withHealth } from '../../src/cli/commands/edges-command.js';
import { edgeRecord } from '../../src/edge-registry/test-support/records.js';
import { verifyViewerToken } from '../../src/rewriter/index.js';

const run = promisify(execFile);
const cli = hlscdnCommand();

async function hlscdn(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(cli.command, [...cli.args, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('hlscdn CLI', () => {
  it('lists its commands in --help', async () => {
    const { code, stdout } = await hlscdn(['--help']);
    expect(code).toBe(0);
    for (const command of ['up', 'origin', 'transcode', 'worker', 'tasks', 'rewriter', 'edge', 'edges', 'autoscaler', 'token', 'config'])
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('prints the effective configuration with secrets redacted', async () => {
    const { code, stdout } = await hlscdn(['config', 'print'], {
      HLSCDN_ORIGIN_PORT: '9123',
      HLSCDN_API_TOKEN: 'sup3r-secret-token',
      REDIS_URL: 'redis://:hunter2@127.0.0.1:6379',
    });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { origin: { port: number }; api: { token: string }; redis: { url: string } };
    expect(printed.origin.port).toBe(9123);
    expect(printed.api.token).toBe('[redacted]');
    expect(stdout).not.toContain('sup3r-secret-token');
    expect(stdout).not.toContain('hunter2');
  });

  it('refuses an invalid configuration with exit code 2 and every bad field named', async () => {
    const { code, stderr } = await hlscdn(['config', 'print'], { HLSCDN_ORIGIN_PORT: '99999', HLSCDN_EDGE_CAPACITY_WEIGHT: 'heavy' });
    expect(code).toBe(2);
    expect(stderr).toContain('origin.port (HLSCDN_ORIGIN_PORT)');
    expect(stderr).toContain('edge.capacity.weight (HLSCDN_EDGE_CAPACITY_WEIGHT)');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it('refuses `up` with a fleet maximum below the edges it starts, before starting anything', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hlscdn-up-bounds-'));
    try {
      const { code, stderr } = await hlscdn(['up', '--data-dir', dataDir, '--edges', '5', '--max-edges', '4']);
      expect(code).toBe(2);
      expect(stderr).toContain("the local fleet's maximum (4 edges) is below the edges started at once (5): raise --max-edges");
      // Nothing was started or written.
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('asks for Redis when a registry command has none', async () => {
    const { code, stderr } = await hlscdn(['edges', 'list']);
    expect(code).toBe(2);
    expect(stderr).toContain('set REDIS_URL');
  });

  it('mints a viewer token the rewriter accepts for that stream only, and asks for the secret when it has none', async () => {
    const secret = 'cli-access-secret-0123456789';
    const { code, stdout } = await hlscdn(['token', '--path', '/live/', '--ttl', '60'], { HLSCDN_ACCESS_SECRET: secret });
    expect(code).toBe(0);
    const nowSec = Math.floor(Date.now() / 1000);
    const check = (requestPath: string) => verifyViewerToken(stdout.trim(), { secret, nowSec, requestPath });
    expect(check('/live/master.m3u8').ok).toBe(true);
    expect(check('/other/master.m3u8').ok).toBe(false);
    const missing = await hlscdn(['token', '--path', '/live/']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('HLSCDN_ACCESS_SECRET');
  });

  it('lists the environment variables it reads', async () => {
    const { stdout } = await hlscdn(['config', 'env']);
    expect(stdout).toMatch(/HLSCDN_ORIGIN_PORT\s+origin\.port/);
    expect(stdout).toMatch(/HLSCDN_API_TOKEN\s+api\.token\s+\(secret; or HLSCDN_API_TOKEN_FILE\)/);
  });
});

describe('formatEdgeTable', () => {
  it('prints one aligned row per edge with load, hit ratio and heartbeat age', () => {
    const table = formatEdgeTable(
      [
        edgeRecord('edge-a', {
          url: 'http://127.0.0.1:8081',
          state: 'draining',
          load: {
            activeConnections: 3,
            requestsPerSec: 12.5,
            egressBytesPerSec: 2_500_000,
            cacheHitRatio: 0.97,
            upstreamErrors: 0,
            cacheBytes: 0,
          },
          heartbeatAt: 9_500,
        }),
      ],
      10_000,
    );
    const [header, row] = table.split('\n');
    expect(header).toMatch(/^ID\s+URL\s+ZONE\s+STATE\s+HEALTH\s+RTT\s+FAILING\s+CONNS\s+REQ\/S\s+EGRESS\s+HIT%\s+ERRORS\s+AGE\s+DETAIL$/);
    expect(row).toMatch(/^edge-a\s+http:\/\/127\.0\.0\.1:8081\s+-\s+draining\s+healthy\s+-\s+-\s+3\s+12\.5\s+20\.0Mb\/s\s+97\s+0\s+0\.5s$/);
    expect(formatEdgeTable([], 0)).toBe('no live edges');
  });

  it("gives each edge its health, the probe's round trip and how long it has been failing, with the reason last", () => {
    const records = [
      edgeRecord('edge-sick', { state: 'unhealthy', problem: 'canary answered 502', heartbeatAt: 9_500 }),
      edgeRecord('edge-hung', {
        state: 'unhealthy',
        problem: "viewers' probes fail: timed out after 400 ms",
        probe: { verdict: 'down', rttMs: 8, since: 6_000, detail: 'timed out after 400 ms' },
        heartbeatAt: 9_500,
      }),
      edgeRecord('edge-slow', {
        probe: { verdict: 'slow', rttMs: 240, since: 7_500, detail: 'round trip 240 ms, fleet median 9 ms' },
        heartbeatAt: 9_500,
      }),
      edgeRecord('edge-ok', { probe: { verdict: 'up', rttMs: 9.25, since: 0 }, heartbeatAt: 9_500 }),
    ];
    const [, sick, hung, slow, ok] = formatEdgeTable(records, 10_000).split('\n');
    // STATE HEALTH RTT FAILING ... AGE DETAIL
    expect(sick).toMatch(/\sunhealthy\s+unhealthy\s+-\s+-\s.*\s0\.5s\s+canary answered 502$/);
    expect(hung).toMatch(/\sunhealthy\s+unhealthy\s+8\.0ms\s+4\.0s\s.*\s0\.5s\s+viewers' probes fail: timed out after 400 ms$/);
    expect(slow).toMatch(/\sactive\s+slow\s+240\.0ms\s+2\.5s\s.*\s0\.5s\s+round trip 240 ms, fleet median 9 ms$/);
    expect(ok).toMatch(/\sactive\s+healthy\s+9\.3ms\s+-\s.*\s0\.5s$/);

    expect(withHealth(records, 10_000).map((r) => ({ id: r.id, ...r.health }))).toEqual([
      expect.objectContaining({ id: 'edge-sick', verdict: 'unhealthy', reason: 'canary answered 502', rttMs: null, failingForMs: null }),
      expect.objectContaining({ id: 'edge-hung', verdict: 'unhealthy', rttMs: 8, failingSince: 6_000, failingForMs: 4_000 }),
      expect.objectContaining({ id: 'edge-slow', verdict: 'slow', label: 'slow', rttMs: 240, failingForMs: 2_500 }),
      expect.objectContaining({ id: 'edge-ok', verdict: 'healthy', label: 'healthy', rttMs: 9.25, failingForMs: null }),
    ]);
  });
});
