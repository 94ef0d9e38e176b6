/** The prober's loop with a scripted probe, fleet and sink: what it publishes and when; no sockets. */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../core/process/index.js';
import type { EdgeRecord, ProbeVerdict } from '../edge-registry/index.js';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { EdgeProber } from './edge-prober.js';
import type { ProbeOutcome } from './probe-tracker.js';

function setup(outcomes: Record<string, () => ProbeOutcome | Promise<ProbeOutcome>>) {
  const edges: EdgeRecord[] = Object.keys(outcomes).map((id) => edgeRecord(id));
  const published: Array<{ verdicts: ProbeVerdict[]; forget: string[] }> = [];
  const probes: string[] = [];
  const leadership = { isLeader: true };
  let clock = 1_000;
  const prober = new EdgeProber({
    fleet: { snapshot: () => ({ edges }) },
    sink: { publishProbeVerdicts: async (verdicts, forget = []) => void published.push({ verdicts: [...verdicts], forget: [...forget] }) },
    leadership,
    intervalMs: 100,
    timeoutMs: 200,
    refreshMs: 10_000,
    now: () => clock,
    probe: async (edge) => {
      probes.push(edge.id);
      return outcomes[edge.id]!();
    },
  });
  return { prober, edges, published, probes, leadership, advance: (ms: number) => (clock += ms) };
}

const latest = (published: Array<{ verdicts: ProbeVerdict[] }>, id: string) =>
  published
    .flatMap((p) => p.verdicts)
    .filter((v) => v.id === id)
    .at(-1)?.verdict;

describe('EdgeProber', () => {
  it('publishes every verdict on its first round, then a changed verdict as soon as the failing probe lands', async () => {
    let bFails = false;
    const { prober, published, advance } = setup({
      a: () => ({ ok: true, rttMs: 2 }),
      b: () => (bFails ? { ok: false, error: 'refused' } : { ok: true, rttMs: 2 }),
    });
    prober.tick();
    await waitUntil(() => published.length > 0, { what: 'the first publish' });
    expect(published[0]!.verdicts.map((v) => `${v.id}:${v.verdict}`)).toEqual(['a:up', 'b:up']);
    bFails = true;
    advance(100);
    prober.tick();
    advance(100);
    prober.tick();
    await waitUntil(() => latest(published, 'b') === 'down', { what: 'b down' });
    expect(latest(published, 'a')).toBe('up');
    await prober.close();
  });

  it('keeps probing a hung edge while earlier probes are stuck, up to its in-flight bound', async () => {
    const stuck: Array<(o: ProbeOutcome) => void> = [];
    const { prober, probes } = setup({ hung: () => new Promise<ProbeOutcome>((resolve) => stuck.push(resolve)) });
    for (let i = 0; i < 6; i++) prober.tick();
    // ceil(200 / 100) + 1 = 3 probes in the air, not 6, and not 1.
    expect(probes).toEqual(['hung', 'hung', 'hung']);
    for (const resolve of stuck) resolve({ ok: false, error: 'timed out' });
    await prober.close();
  });

  it('probes nothing and forgets everything while it does not hold the lease', async () => {
    const { prober, probes, published, leadership } = setup({ a: () => ({ ok: true, rttMs: 1 }) });
    leadership.isLeader = false;
    prober.tick();
    prober.tick();
    expect(probes).toEqual([]);
    expect(published).toEqual([]);
    await prober.close();
  });

  it('forgets the verdict of an edge that left the fleet', async () => {
    const { prober, published, edges, advance } = setup({ a: () => ({ ok: true, rttMs: 1 }), b: () => ({ ok: true, rttMs: 1 }) });
    prober.tick();
    await waitUntil(() => published.length > 0, { what: 'the first publish' });
    edges.splice(1, 1);
    advance(100);
    prober.tick();
    await waitUntil(() => published.some((p) => p.forget.includes('b')), { what: 'b forgotten' });
    await prober.close();
  });
});
