/**
 * Two autoscalers on one Redis: `hlscdn autoscaler` as a child process (A) and an
 * in-process service (B), both with the local actuator. Only the lease holder
 * acts; when A is SIGKILLed (no release: its lease must expire), B takes over
 * within lease ttl + one renew interval (+ scheduling slack) and restores the
 * fleet with its own edge, while A's edge drains away on its parent's death.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoscalerSchema, startAutoscalerService, type AutoscalerService } from '../../src/autoscaler/index.js';
import { startCdnFixture, type CdnFixture } from '../support/cdn-fixture.js';
import { configSchema } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { findFreePort, httpProbe, ManagedProcess, waitUntil } from '../../src/core/process/index.js';

const LEASE_TTL_MS = 2_000;
const RENEW_MS = Math.floor(LEASE_TTL_MS / 3);
const cli = fileURLToPath(new URL('../support/autoscaler-cli.ts', import.meta.url));

let cdn: CdnFixture;
let a: ManagedProcess | undefined;
let b: AutoscalerService | undefined;

beforeAll(async () => {
  cdn = await startCdnFixture('autoscaler-lease');
});
afterAll(async () => {
  await b?.close();
  await a?.stop();
  await cdn?.close();
});

const liveIds = () => cdn.view.snapshot().edges.map((e) => e.id);

describe('autoscaler leader lease', () => {
  it('lets only the holder act, and a follower takes over when the holder is killed', { timeout: 90_000 }, async () => {
    const port = await findFreePort();
    a = await ManagedProcess.start({
      name: 'autoscaler-a',
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        cli,
        'autoscaler',
        '--actuator',
        'local',
        '--min',
        '1',
        '--max',
        '1',
        '--interval',
        '200',
        '--port',
        String(port),
        '--origin',
        cdn.originUrl,
        '--data-dir',
        join(cdn.dir, 'a-edges'),
        '--id-prefix',
        'a-local',
        '--lease-ttl',
        String(LEASE_TTL_MS),
      ],
      env: cdn.edgeEnv(),
      readiness: { probe: httpProbe(`http://127.0.0.1:${port}/healthz`), timeoutMs: 30_000 },
      stopTimeoutMs: 15_000,
    });
    await waitUntil(() => liveIds().includes('a-local-1'), { timeoutMs: 30_000, what: "A's edge in the registry" });

    const defaults = configSchema.parse({});
    b = await startAutoscalerService({
      autoscaler: autoscalerSchema.parse({
        intervalMs: 200,
        port: 0,
        lease: { ttlMs: LEASE_TTL_MS },
        policy: { minEdges: 1, maxEdges: 1 },
        local: { origins: [cdn.originUrl], dataDir: join(cdn.dir, 'b-edges'), idPrefix: 'b-local' },
      }),
      redis: { ...defaults.redis, url: cdn.redis.url },
      edgeTtlMs: defaults.edge.ttlMs,
      logger: silentLogger(),
      cwd: cdn.dir,
      env: cdn.edgeEnv(),
      holderId: 'autoscaler-b',
    });
    const service = b;
    expect(service.lease.isLeader).toBe(false);
    // B keeps deciding nothing while A leads: ten of its ticks, and it never touched its actuator.
    await waitUntil(() => service.autoscaler.status().lastSkip?.reason === 'follower', { what: 'B to skip as a follower' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const status = (await (await fetch(`${service.url}/status`)).json()) as {
      leader: boolean;
      leaderId: string;
      actuator: { edges: unknown[] };
      decisions: unknown[];
    };
    expect(status.leader).toBe(false);
    expect(status.leaderId).toMatch(new RegExp(`:${a.pid}:`));
    expect(status.actuator.edges).toEqual([]);
    expect(status.decisions).toEqual([]);
    expect(liveIds()).toEqual(['a-local-1']);

    const killedAt = performance.now();
    a.signal('SIGKILL');
    await waitUntil(() => service.lease.isLeader, { timeoutMs: 15_000, intervalMs: 20, what: 'B to take over' });
    const takeoverMs = performance.now() - killedAt;
    // The key outlives A by at most one ttl; B retries every renew interval; 1.5 s for a busy 2-core machine.
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + RENEW_MS + 1_500);

    // A's edge drains on its parent's death; B, now leading, starts its own.
    await waitUntil(() => !liveIds().includes('a-local-1'), { timeoutMs: 20_000, what: "A's edge to leave" });
    const joined = await waitUntil(() => cdn.view.snapshot().edges.find((e) => e.id === 'b-local-1' && e.state === 'active'), {
      timeoutMs: 30_000,
      what: "B's edge to join",
    });
    const res = await fetch(`${joined.url.replace(/\/$/, '')}${cdn.segmentPath(1)}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(cdn.segmentBytes(1))).toBe(true);
    expect(service.autoscaler.status().decisions.some((d) => d.action === 'scale-up')).toBe(true);
  });
});
