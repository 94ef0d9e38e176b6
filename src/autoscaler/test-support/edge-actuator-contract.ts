/**
 * The contract every EdgeActuator meets, as one vitest suite each actuator's
 * test runs: `describeEdgeActuatorContract('local', async () => ({ actuator, serving, ... }))`.
 * The real actuators run it with real edges, a real registry and a real origin
 * and give `serving`, so the cases also check that added edges register and
 * serve and removed ones leave; the in-memory actuator of the loop's unit tests
 * runs the same bookkeeping cases without it. The cases run in order on one
 * actuator (edges are expensive to start), so each case states what it leaves behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/process/index.js';
import { EDGE_ID_PATTERN, type EdgeRecord } from '../../edge-registry/index.js';
import type { EdgeActuator } from '../actuators/edge-actuator.js';

export interface ActuatorContractSubject {
  actuator: EdgeActuator;
  /** Where real edges show: given by actuators that start them, absent for the in-memory one. */
  serving?: ServingCheck;
  /** Stops whatever the actuator left running, then the rest of the setup. */
  cleanup(): Promise<void>;
}

export interface ServingCheck {
  /** The registry as the autoscaler sees it (an EdgeRegistryView). */
  fleet: { snapshot(): { edges: EdgeRecord[] } };
  /** A path the origin serves, e.g. '/live/seg0.ts', and its bytes. */
  segment: { path: string; bytes: Buffer };
}

export interface ActuatorContractOptions {
  /** Longest wait for an added edge to register and serve. @defaultValue 60_000 */
  joinTimeoutMs?: number;
  /** Longest wait for a removed edge to leave the registry. @defaultValue 60_000 */
  leaveTimeoutMs?: number;
}

export function describeEdgeActuatorContract(
  name: string,
  setup: () => Promise<ActuatorContractSubject>,
  options: ActuatorContractOptions = {},
): void {
  const joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
  const leaveTimeoutMs = options.leaveTimeoutMs ?? 60_000;
  describe(`EdgeActuator contract: ${name}`, () => {
    let subject: ActuatorContractSubject | undefined;
    const current = (): ActuatorContractSubject => {
      if (!subject) throw new Error('the actuator is only available inside a test');
      return subject;
    };
    const live = (id: string) =>
      current()
        .serving?.fleet.snapshot()
        .edges.find((e) => e.id === id);
    const listedIds = async () => (await current().actuator.list()).map((e) => e.id).sort();
    let first: string[] = [];

    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('starts with no edges', async () => {
      expect(await current().actuator.list()).toEqual([]);
      expect(current().actuator.state().edges).toEqual([]);
    });

    it('add(0) does nothing; a negative or fractional count is invalid input', async () => {
      const { actuator } = current();
      expect(await actuator.add(0)).toEqual([]);
      await expect(actuator.add(-1)).rejects.toMatchObject({ code: 'invalid-input' });
      await expect(actuator.add(1.5)).rejects.toMatchObject({ code: 'invalid-input' });
      expect(await actuator.list()).toEqual([]);
    });

    it('add(2) launches two edges with new registry-safe ids, which register and serve', { timeout: joinTimeoutMs * 2 }, async () => {
      const { actuator, serving } = current();
      first = await actuator.add(2);
      expect(first).toHaveLength(2);
      expect(new Set(first).size).toBe(2);
      for (const id of first) expect(id).toMatch(EDGE_ID_PATTERN);
      expect(await listedIds()).toEqual([...first].sort());
      if (!serving) return;
      const { segment } = serving;
      for (const id of first) {
        const record = await waitUntil(() => live(id), { timeoutMs: joinTimeoutMs, what: `${id} in the registry` });
        expect(record.state).toBe('active');
        const res = await fetch(`${record.url.replace(/\/$/, '')}${segment.path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-edge-id')).toBe(id);
        expect(Buffer.from(await res.arrayBuffer()).equals(segment.bytes)).toBe(true);
      }
    });

    it('add(1) gives an id that was not listed before', { timeout: joinTimeoutMs * 2 }, async () => {
      const { actuator } = current();
      const [third, ...rest] = await actuator.add(1);
      expect(rest).toEqual([]);
      expect(first).not.toContain(third);
      expect(await listedIds()).toEqual([...first, third].sort());
      if (current().serving) await waitUntil(() => live(third!), { timeoutMs: joinTimeoutMs, what: `${third} in the registry` });
    });

    it(
      'remove(id) stops that edge only: it leaves the registry and the list and stops answering',
      { timeout: leaveTimeoutMs * 2 },
      async () => {
        const { actuator, serving } = current();
        const victim = first[0]!;
        const url = live(victim)?.url.replace(/\/$/, '');
        const before = await listedIds();
        await actuator.remove(victim);
        expect(await listedIds()).toEqual(before.filter((id) => id !== victim));
        if (!serving) return;
        await waitUntil(() => !live(victim), { timeoutMs: leaveTimeoutMs, what: `${victim} to leave the registry` });
        await expect(fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
        // The others still serve.
        for (const id of before.filter((i) => i !== victim)) expect(live(id)?.state).toBe('active');
      },
    );

    it('remove() of an id it does not manage resolves and changes nothing', async () => {
      const { actuator } = current();
      const before = await listedIds();
      await actuator.remove(first[0]!);
      await actuator.remove('never-started-9');
      expect(await listedIds()).toEqual(before);
    });

    it('state() names the actuator and lists the same edges as list()', async () => {
      const { actuator } = current();
      const state = actuator.state();
      expect(typeof state.kind).toBe('string');
      expect(state.edges.map((e) => e.id).sort()).toEqual(await listedIds());
      expect(state.lastFailure).toBeUndefined();
    });

    it('close() can be called twice; afterwards add() is refused as unavailable', { timeout: leaveTimeoutMs * 2 }, async () => {
      const { actuator } = current();
      await actuator.close();
      await actuator.close();
      await expect(actuator.add(1)).rejects.toMatchObject({ code: 'unavailable' });
    });
  });
}
