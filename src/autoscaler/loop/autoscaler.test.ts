/**
 * The loop's own logic with in-memory collaborators (a fake registry, the memory
 * actuator, a settable lease, a hand-moved clock). The real Redis, edges and
 * actuators are exercised in test/integration/autoscaler-*.test.ts.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { HlscdnError } from '../../core/errors.js';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { defaultPolicyConfig, type PolicyConfig } from '../policy/index.js';
import { createAutoscalerMetrics } from '../status/autoscaler-metrics.js';
import { MemoryActuator } from '../test-support/memory-actuator.js';
import { Autoscaler, type AutoscalerOptions } from './autoscaler.js';
import type { DrainRequester, FleetSource } from './autoscaler-types.js';

/** A registry whose edges leave as soon as they are asked to drain (configurable). */
class FakeRegistry implements FleetSource, DrainRequester {
  readonly records = new Map<string, EdgeRecord>();
  connected = true;
  leaveOnDrain = true;
  constructor(private readonly log: string[]) {}

  /** An edge at `utilization` of its connection capacity (10 000). */
  put(id: string, utilization: number, startedAt = 0): void {
    const base = edgeRecord(id);
    this.records.set(id, {
      ...base,
      startedAt,
      load: { ...base.load, activeConnections: Math.round(utilization * 10_000), egressBytesPerSec: 0 },
    });
  }

  /** The edge's agent (or the viewers' probes) says it is unhealthy. */
  sicken(id: string): void {
    const record = this.records.get(id);
    if (record) this.records.set(id, { ...record, state: 'unhealthy', problem: 'canary failed: timeout' });
  }

  snapshot() {
    return { edges: [...this.records.values()], connected: this.connected, ageMs: 0 };
  }

  async requestDrain(id: string): Promise<unknown> {
    this.log.push(`drain ${id}`);
    const record = this.records.get(id);
    if (!record) throw new HlscdnError('not-found', `${id} is not registered`);
    if (this.leaveOnDrain) this.records.delete(id);
    else this.records.set(id, { ...record, state: 'draining' });
    return { alreadyRequested: false };
  }
}

const policy: PolicyConfig = { ...defaultPolicyConfig, metric: 'connections', minEdges: 1, maxEdges: 10, scaleDownStabilizationMs: 0 };
const running: Autoscaler[] = [];

function setup(overrides: Partial<AutoscalerOptions> = {}) {
  const log: string[] = [];
  const registry = new FakeRegistry(log);
  const actuator = new MemoryActuator();
  // The actuator's calls land in the same log, so order across both is visible.
  const actuatorLog = actuator.calls;
  actuatorLog.push = (...items: string[]) => log.push(...items);
  const lease = { isLeader: true, holderId: 'me', leader: 'me' as string | undefined };
  let clock = 1_000_000;
  const autoscaler = new Autoscaler({
    policy,
    fleet: registry,
    drains: registry,
    actuator,
    lease,
    drainTimeoutMs: 1_000,
    drainPollMs: 10,
    now: () => clock,
    ...overrides,
  });
  running.push(autoscaler);
  return { log, registry, actuator, lease, autoscaler, advance: (ms: number) => (clock += ms) };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.close()));
});

describe('Autoscaler', () => {
  it('does nothing while it is not the leader', async () => {
    const { autoscaler, lease, log } = setup();
    lease.isLeader = false;
    expect(await autoscaler.tick()).toEqual({ kind: 'skipped', reason: 'follower' });
    expect(log).toEqual([]);
    expect(autoscaler.status().leader).toBe(false);
  });

  it('brings an empty fleet up to minEdges, then counts the launched edge as pending capacity', async () => {
    const { autoscaler, log } = setup();
    const first = await autoscaler.tick();
    expect(first.kind === 'decided' && [first.entry.action, first.entry.current, first.entry.desired, first.entry.outcome]).toEqual([
      'scale-up',
      0,
      1,
      'adding 1',
    ]);
    await autoscaler.settled();
    expect(log).toEqual(['add 1']);
    const second = await autoscaler.tick();
    expect(second.kind === 'decided' && [second.entry.action, second.entry.current, second.entry.pending]).toEqual(['hold', 1, 1]);
    expect(autoscaler.status().pending).toEqual(['mem-1']);
  });

  it('scales up by ceil(current x utilization / target) when utilization is over target', async () => {
    const { autoscaler, registry, actuator, log } = setup();
    actuator.adopt('a', 'b');
    registry.put('a', 0.9);
    registry.put('b', 0.9);
    const result = await autoscaler.tick();
    // 2 x 0.9 / 0.6 = 3
    expect(result.kind === 'decided' && result.entry.reason).toContain('2 -> 3 edges');
    await autoscaler.settled();
    expect(log).toEqual(['add 1']);
  });

  it('drains the least loaded edge, waits for it to leave the registry, then removes it', async () => {
    const { autoscaler, registry, actuator, log } = setup();
    actuator.adopt('a', 'b', 'c');
    registry.put('a', 0.3);
    registry.put('b', 0.1);
    registry.put('c', 0.2);
    const result = await autoscaler.tick();
    expect(result.kind === 'decided' && [result.entry.action, result.entry.outcome]).toEqual(['scale-down', 'removing b']);
    expect(autoscaler.status().removing).toEqual(['b']);
    await autoscaler.settled();
    expect(log).toEqual(['drain b', 'remove b']);
    expect(autoscaler.status().actions[0]).toMatchObject({ kind: 'remove', ids: ['b'], outcome: 'succeeded' });
  });

  it('removes a draining edge that never leaves once the drain timeout is over', async () => {
    const { autoscaler, registry, actuator, log } = setup({ drainTimeoutMs: 300 });
    registry.leaveOnDrain = false;
    actuator.adopt('a', 'b');
    registry.put('a', 0.2);
    registry.put('b', 0.1);
    const started = performance.now();
    await autoscaler.tick();
    await autoscaler.settled();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(log).toEqual(['drain b', 'remove b']);
  });

  it('never removes an edge its actuator does not run, nor goes below minEdges', async () => {
    const { autoscaler, registry, actuator, log } = setup({ policy: { ...policy, minEdges: 2 } });
    actuator.adopt('a');
    registry.put('a', 0.05);
    registry.put('foreign', 0.05);
    registry.put('other', 0.05);
    const result = await autoscaler.tick();
    expect(result.kind === 'decided' && [result.entry.desired, result.entry.outcome]).toEqual([2, 'removing a']);
    await autoscaler.settled();
    const again = await autoscaler.tick();
    expect(again.kind === 'decided' && again.entry.outcome).toBe('none');
    expect(log).toEqual(['drain a', 'remove a']);
  });

  it('runs one action at a time: ticks during an action are skipped, not queued', async () => {
    const { autoscaler, actuator, log } = setup({ policy: { ...policy, minEdges: 2 } });
    let open!: () => void;
    actuator.gate = new Promise((resolve) => (open = resolve));
    await autoscaler.tick();
    expect(await autoscaler.tick()).toEqual({ kind: 'skipped', reason: 'busy', detail: 'add 2' });
    expect(autoscaler.status().inFlight?.description).toBe('add 2');
    open();
    await autoscaler.settled();
    expect(log).toEqual(['add 2']);
    expect(autoscaler.status().inFlight).toBeUndefined();
  });

  it('does not act on a registry view that lost Redis', async () => {
    const { autoscaler, registry, log } = setup();
    registry.connected = false;
    const result = await autoscaler.tick();
    expect(result).toMatchObject({ kind: 'skipped', reason: 'registry-unavailable' });
    expect(log).toEqual([]);
  });

  it('as a new leader, waits one stabilization window before its first scale-down', async () => {
    const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, scaleDownStabilizationMs: 10_000 } });
    actuator.adopt('a', 'b');
    registry.put('a', 0.05);
    registry.put('b', 0.05);
    const early = await autoscaler.tick();
    expect(early.kind === 'decided' && early.entry.action).toBe('hold');
    advance(10_001);
    const later = await autoscaler.tick();
    expect(later.kind === 'decided' && later.entry.action).toBe('scale-down');
    await autoscaler.settled();
    expect(log).toEqual(['drain a', 'remove a']);
  });

  it('reports a failed add in the actions and the status, and decides again next tick', async () => {
    const { autoscaler, actuator } = setup();
    actuator.failNextAdd = new HlscdnError('process-failed', 'nginx did not start');
    await autoscaler.tick();
    await autoscaler.settled();
    expect(autoscaler.status().actions[0]).toMatchObject({ kind: 'add', outcome: 'failed', error: 'nginx did not start' });
    const retry = await autoscaler.tick();
    expect(retry.kind === 'decided' && retry.entry.action).toBe('scale-up');
  });

  it('keeps a bounded, newest-first history and counts decisions in the metrics', async () => {
    const registry = new Registry();
    const { autoscaler, actuator, registry: fleet } = setup({ historySize: 3, metrics: createAutoscalerMetrics(registry) });
    actuator.adopt('a');
    fleet.put('a', 0.6);
    const seen: number[] = [];
    autoscaler.on('decision', (entry) => seen.push(entry.at));
    for (let i = 0; i < 5; i++) await autoscaler.tick();
    const status = autoscaler.status();
    expect(status.decisions).toHaveLength(3);
    expect(status.decisions.map((d) => d.action)).toEqual(['hold', 'hold', 'hold']);
    expect(seen).toHaveLength(5);
    expect([status.current, status.desired, status.leader, status.actuator.kind]).toEqual([1, 1, true, 'memory']);
    const text = await registry.metrics();
    expect(text).toContain('hlscdn_autoscaler_decisions_total{action="hold"} 5');
    expect(text).toContain('hlscdn_autoscaler_utilization{metric="policy"} 0.6');
    expect(text).toContain('hlscdn_autoscaler_current_edges 1');
  });

  describe('replacing failed edges', () => {
    const grace = 10_000;

    it('replaces an edge unhealthy for longer than the grace: removed without a drain, a new one launched', async () => {
      const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, unhealthyGraceMs: grace } });
      actuator.adopt('a', 'b');
      registry.put('a', 0.5);
      registry.put('b', 0.5);
      registry.sicken('b');
      const early = await autoscaler.tick();
      expect(early.kind).toBe('decided');
      expect(autoscaler.status().failing).toEqual([{ id: 'b', since: expect.any(Number), reason: 'unhealthy: canary failed: timeout' }]);
      advance(grace - 1);
      expect((await autoscaler.tick()).kind).toBe('decided');
      advance(1);
      expect(await autoscaler.tick()).toEqual({ kind: 'replacing', remove: ['b'], add: 1 });
      await autoscaler.settled();
      expect(log).toEqual(['remove b', 'add 1']);
      expect((await actuator.list()).map((e) => e.id).sort()).toEqual(['a', 'mem-1']);
      expect(autoscaler.status().actions.map((a) => [a.kind, a.outcome, a.why?.startsWith('replacing: b failing for 10 s')])).toEqual([
        ['add', 'succeeded', true],
        ['remove', 'succeeded', true],
      ]);
      // The next tick decides, with the replacement pending (and, this policy having no stabilization, finds
      // one edge enough); the removed edge is not taken for a vanished one.
      const next = await autoscaler.tick();
      expect(next.kind === 'decided' && [next.entry.current, next.entry.pending]).toEqual([2, 1]);
      await autoscaler.settled();
      expect(log.filter((line) => line === 'remove b' || line.startsWith('add'))).toEqual(['remove b', 'add 1']);
    });

    it('does not replace an edge that recovers within the grace', async () => {
      const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, unhealthyGraceMs: grace } });
      actuator.adopt('a', 'b');
      registry.put('a', 0.5);
      registry.put('b', 0.5);
      registry.sicken('b');
      await autoscaler.tick();
      advance(grace / 2);
      registry.put('b', 0.5);
      await autoscaler.tick();
      registry.sicken('b');
      advance(grace / 2);
      expect((await autoscaler.tick()).kind).toBe('decided');
      expect(log).toEqual([]);
    });

    it('replaces an edge whose record is gone while the actuator still runs it, after the grace', async () => {
      const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, unhealthyGraceMs: grace } });
      actuator.adopt('a', 'b');
      registry.put('a', 0.5);
      registry.put('b', 0.5);
      await autoscaler.tick();
      registry.records.delete('b');
      const lost = await autoscaler.tick();
      // Not counted as booting capacity again: the policy sees one edge.
      expect(lost.kind === 'decided' && [lost.entry.current, lost.entry.pending]).toEqual([1, 0]);
      advance(grace);
      expect(await autoscaler.tick()).toEqual({ kind: 'replacing', remove: ['b'], add: 1 });
      await autoscaler.settled();
      expect(log).toEqual(['remove b', 'add 1']);
    });

    it('launches a new edge at once for one that left the actuator without being removed', async () => {
      const { autoscaler, registry, actuator, log } = setup();
      actuator.adopt('a', 'b');
      registry.put('a', 0.5);
      registry.put('b', 0.5);
      await autoscaler.tick();
      actuator.edges.delete('b');
      registry.records.delete('b');
      expect(await autoscaler.tick()).toEqual({ kind: 'replacing', remove: [], add: 1 });
      await autoscaler.settled();
      expect(log).toEqual(['add 1']);
    });

    it('replaces nothing when every edge is unhealthy at once', async () => {
      const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, minEdges: 0, unhealthyGraceMs: grace } });
      actuator.adopt('a', 'b');
      registry.put('a', 0.5);
      registry.put('b', 0.5);
      registry.sicken('a');
      registry.sicken('b');
      await autoscaler.tick();
      advance(grace);
      const result = await autoscaler.tick();
      expect(result.kind).toBe('decided');
      expect(log.filter((line) => line.startsWith('remove'))).toEqual([]);
      expect(autoscaler.status().replacementHeld).toContain('no other registered edge is healthy');
    });

    it('does not launch a second edge for a failure the policy already made up for', async () => {
      const { autoscaler, registry, actuator, advance, log } = setup({ policy: { ...policy, minEdges: 1, unhealthyGraceMs: grace } });
      actuator.adopt('a');
      registry.put('a', 0.1);
      registry.sicken('a');
      // No active edge: the policy brings the fleet back to minEdges at once.
      const first = await autoscaler.tick();
      expect(first.kind === 'decided' && first.entry.action).toBe('scale-up');
      await autoscaler.settled();
      registry.put('mem-1', 0.1);
      advance(grace);
      expect(await autoscaler.tick()).toEqual({ kind: 'replacing', remove: ['a'], add: 0 });
      await autoscaler.settled();
      expect(log).toEqual(['add 1', 'remove a']);
    });
  });

  it('keeps ticking on its own after start(), and stops on close()', async () => {
    const { autoscaler } = setup({ intervalMs: 20 });
    const decisions: string[] = [];
    autoscaler.on('decision', (entry) => decisions.push(entry.action));
    autoscaler.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await autoscaler.close();
    const count = decisions.length;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(decisions.length).toBe(count);
  });
});
