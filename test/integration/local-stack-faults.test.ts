/**
 * The local stack's own parts failing, with real processes: its redis-server
 * SIGKILLed (restarted on the same port, the fleet comes back), its
 * redis-server SIGKILLed for good (close() still ends within 10 s), and an edge
 * whose nginx hangs (the autoscaler replaces it). After every close, no process
 * mentioning the stack's directory is left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { isGroupAlive, redisPingProbe, waitUntil } from '../../src/core/process/index.js';
import { EdgeRegistryView } from '../../src/edge-registry/index.js';
import { startLocalStack, type LocalStack } from '../../src/local-stack/index.js';
import { edgeProcesses, injectFault } from '../support/edge-faults.js';
import { firstVariantUrl, freePortsEnv, stackRedis, startTestStack } from '../support/local-stack-fixture.js';
import { processesMentioning } from '../support/processes.js';

const CLOSE_BOUND_MS = 10_000;
const cleanups: Array<() => Promise<void>> = [];

/** The measured times, on their own line in the test output. */
function report(line: string): void {
  process.stdout.write(`local-stack-faults: ${line}\n`);
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function playable(stack: LocalStack): Promise<void> {
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 45_000, intervalMs: 250, what: 'the live master playlist' });
}

/** A registry view of its own, so what it sees is what a client connecting now finds in Redis. */
async function registryView(stack: LocalStack): Promise<EdgeRegistryView> {
  const view = new EdgeRegistryView({ redis: { url: stack.redisUrl }, ttlMs: 1_500 });
  await view.start();
  cleanups.push(() => view.close());
  return view;
}

const activeIds = (view: EdgeRegistryView) =>
  view
    .snapshot()
    .edges.filter((e) => e.state === 'active')
    .map((e) => e.id)
    .sort();

/** close() ends within the bound and leaves no process mentioning the directory; returns how long it took. */
async function closeAndCheck(stack: LocalStack, dir: string): Promise<number> {
  const started = performance.now();
  await stack.close();
  const closeMs = Math.round(performance.now() - started);
  expect(closeMs).toBeLessThan(CLOSE_BOUND_MS);
  // Processes end with close(); the kernel may take a moment to reap a SIGKILLed group.
  await waitUntil(async () => (await processesMentioning(dir)).length === 0, { timeoutMs: 2_000, what: 'no process left behind' }).catch(
    async () => {
      throw new Error(`left behind:\n${(await processesMentioning(dir)).join('\n')}`);
    },
  );
  await rm(dir, { recursive: true, force: true });
  return closeMs;
}

describe('the local stack when its own parts fail', () => {
  it('restarts its redis-server after a SIGKILL, the fleet comes back, and close() is still bounded', { timeout: 60_000 }, async () => {
    const { stack, dir } = await startTestStack('faults-redis');
    cleanups.push(() => stack.close());
    await playable(stack);
    const redis = stackRedis(stack, dir);
    const before = await redis.pid();
    expect(before).toBeDefined();
    const edgeIds = (await stack.edges()).map((e) => e.id).sort();

    const killedAt = performance.now();
    process.kill(before!, 'SIGKILL');
    const after = await waitUntil(
      async () => {
        const pid = await redis.pid();
        return pid !== undefined && pid !== before && alive(pid) && (await redisPingProbe('127.0.0.1', redis.port)()) ? pid : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'redis-server restarted on the same port' },
    );
    const restartMs = Math.round(performance.now() - killedAt);
    expect(alive(before!)).toBe(false);

    // The restarted Redis is empty: every edge agent writes itself back.
    const view = await registryView(stack);
    await waitUntil(() => activeIds(view).join() === edgeIds.join(), {
      timeoutMs: 10_000,
      what: `edges ${edgeIds.join(', ')} re-registered`,
    });
    const reregisteredMs = Math.round(performance.now() - killedAt);
    // The rewriter answers, and its view sends a segment to a live edge again.
    const variantUrl = await firstVariantUrl(stack.masterUrl);
    const media = await (await fetch(variantUrl)).text();
    const segmentUrl = new URL(
      media.split('\n').find((l) => l && !l.startsWith('#'))!,
      variantUrl,
    );
    const segment = await waitUntil(
      async () => {
        const res = await fetch(segmentUrl);
        return res.ok && edgeIds.includes(res.headers.get('x-edge-id') ?? '') ? res : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'a segment through an edge' },
    );
    expect((await segment.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const closeMs = await closeAndCheck(stack, dir);
    expect(alive(after)).toBe(false);
    report(`redis restarted after ${restartMs} ms, edges re-registered after ${reregisteredMs} ms; close took ${closeMs} ms`);
  });

  it('closes within 10 s when its redis-server is gone for good', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hlscdn-faults-noredis-'));
    const config = loadConfig({ env: { ...freePortsEnv, HLSCDN_STORE_URL: `file:${join(dir, 'store')}` } });
    const stack = await startLocalStack({
      config,
      logger: silentLogger(),
      dataDir: dir,
      dashboardPort: 0,
      env: { PATH: process.env.PATH ?? '' },
      restartRedis: false,
    });
    cleanups.push(() => stack.close());
    await playable(stack);
    const redis = stackRedis(stack, dir);
    const pid = (await redis.pid())!;
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !alive(pid), { timeoutMs: 5_000, what: 'redis-server gone' });
    // Every client has noticed: the autoscaler's registry view reports it is cut off.
    await waitUntil(
      async () => {
        const status = (await (await fetch(`${stack.autoscalerUrl}/status`)).json()) as { registry: { connected: boolean } };
        return !status.registry.connected;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'the stack to notice Redis is gone' },
    );
    const edgePids = (await stack.edges()).map((e) => e.pid!);
    const closeMs = await closeAndCheck(stack, dir);
    expect(edgePids.filter((p) => isGroupAlive(p))).toEqual([]);
    expect(await redis.pid().then((p) => p !== undefined && alive(p))).toBe(false);
    report(`close without Redis took ${closeMs} ms`);
  });

  it('replaces an edge whose nginx hangs: a new edge registers, the hung one leaves the actuator', { timeout: 75_000 }, async () => {
    const { stack, dir } = await startTestStack('faults-edge');
    cleanups.push(() => stack.close());
    const view = await registryView(stack);
    const edges = await stack.edges();
    const original = edges.map((e) => e.id).sort();
    await waitUntil(() => activeIds(view).join() === original.join(), { timeoutMs: 15_000, what: 'both edges active' });
    const victim = edges[1]!;
    const undo = injectFault('nginx-hang', await edgeProcesses(dir, victim));
    // If the test fails before the replacement, SIGCONT (before the close) lets the hung nginx take its stop signal.
    cleanups.push(async () => undo());
    const hungAt = performance.now();
    await waitUntil(() => view.snapshot().edges.find((e) => e.id === victim.id)?.state === 'unhealthy', {
      timeoutMs: 10_000,
      what: `${victim.id} unhealthy`,
    });
    const unhealthyMs = Math.round(performance.now() - hungAt);
    // The default grace (10 s), up to one autoscaler interval (5 s), then the removal and the new edge's start.
    const replacement = await waitUntil(
      async () => {
        const listed = (await stack.edges()).map((e) => e.id);
        const fresh = activeIds(view).find((id) => !original.includes(id));
        return fresh && !listed.includes(victim.id) && listed.includes(fresh) ? fresh : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 200, what: `a new edge in place of ${victim.id}` },
    );
    const replacedMs = Math.round(performance.now() - hungAt);
    expect(activeIds(view)).toContain(edges[0]!.id);
    expect((await stack.edges()).map((e) => e.id).sort()).toEqual([edges[0]!.id, replacement].sort());

    const closeMs = await closeAndCheck(stack, dir);
    report(`${victim.id} unhealthy after ${unhealthyMs} ms, replaced by ${replacement} after ${replacedMs} ms; close took ${closeMs} ms`);
  });
});
