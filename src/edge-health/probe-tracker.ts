/**
 * The outside-in prober's judgement, as pure logic: probe outcomes go in with
 * the time, verdicts come out. Like HAProxy's `check fall/rise`, an edge is down
 * after `fall` failed probes in a row and up again after `rise` good ones, so
 * one lost probe does not flap it. Like Envoy's outlier detection, "slow" is
 * judged against the rest of the fleet: an edge whose smoothed round trip is
 * well behind the median of the others is slow, whatever the absolute figure,
 * because what matters to a viewer is that a better edge exists. No timers, no
 * sockets: edge-prober.ts does the probing.
 */
import type { ProbeVerdict, ProbeVerdictKind } from '../edge-registry/index.js';

export type ProbeOutcome = { ok: true; rttMs: number } | { ok: false; error: string };

export interface ProbePolicy {
  /** Failed probes in a row that make an edge down. @defaultValue 2 */
  fall: number;
  /** Good probes in a row that bring a down edge back. @defaultValue 2 */
  rise: number;
  /** An edge is slow when its round trip exceeds this many times the others' median... @defaultValue 4 */
  slowFactor: number;
  /** ...and this many ms, so microsecond differences on a quiet fleet are not "slow". @defaultValue 50 */
  slowFloorMs: number;
  /** Weight of the newest round trip in the smoothed one (EWMA). @defaultValue 0.3 */
  rttSmoothing: number;
}

export const DEFAULT_PROBE_POLICY: ProbePolicy = { fall: 2, rise: 2, slowFactor: 4, slowFloorMs: 50, rttSmoothing: 0.3 };

interface EdgeProbeState {
  down: boolean;
  failures: number;
  successes: number;
  rttMs: number | null;
  lastError?: string;
  verdict: ProbeVerdictKind;
  since: number;
  detail?: string;
}

export interface Evaluation {
  verdicts: ProbeVerdict[];
  /** The verdicts whose kind changed in this evaluation. */
  changed: ProbeVerdict[];
}

export class ProbeTracker {
  private readonly edges = new Map<string, EdgeProbeState>();

  constructor(private readonly policy: ProbePolicy = DEFAULT_PROBE_POLICY) {}

  /** Starts tracking an edge as up: its agent's heartbeat already vouches for it. */
  track(id: string, now: number): void {
    if (!this.edges.has(id)) this.edges.set(id, { down: false, failures: 0, successes: 0, rttMs: null, verdict: 'up', since: now });
  }

  /** Stops tracking edges that left the fleet; returns their ids. */
  forgetAllBut(ids: ReadonlySet<string>): string[] {
    const gone = [...this.edges.keys()].filter((id) => !ids.has(id));
    for (const id of gone) this.edges.delete(id);
    return gone;
  }

  clear(): void {
    this.edges.clear();
  }

  record(id: string, outcome: ProbeOutcome, now: number): void {
    this.track(id, now);
    const state = this.edges.get(id)!;
    if (outcome.ok) {
      state.failures = 0;
      state.successes++;
      state.rttMs = state.rttMs === null ? outcome.rttMs : state.rttMs + this.policy.rttSmoothing * (outcome.rttMs - state.rttMs);
      if (state.down && state.successes >= this.policy.rise) state.down = false;
    } else {
      state.successes = 0;
      state.failures++;
      state.lastError = outcome.error;
      if (state.failures >= this.policy.fall) state.down = true;
    }
  }

  /** Every tracked edge's verdict now, and which ones changed since the last evaluation. */
  evaluate(now: number): Evaluation {
    const verdicts: ProbeVerdict[] = [];
    const changed: ProbeVerdict[] = [];
    const rtts = [...this.edges.values()].filter((s) => !s.down && s.rttMs !== null).map((s) => s.rttMs as number);
    for (const [id, state] of [...this.edges].sort(([a], [b]) => a.localeCompare(b))) {
      const { kind, detail } = this.judge(state, rtts);
      if (kind !== state.verdict) {
        state.verdict = kind;
        state.since = now;
      }
      state.detail = detail;
      const verdict: ProbeVerdict = {
        id,
        verdict: kind,
        rttMs: state.rttMs === null ? null : Math.round(state.rttMs * 10) / 10,
        since: state.since,
        checkedAt: now,
        ...(detail && { detail }),
      };
      verdicts.push(verdict);
      if (state.since === now) changed.push(verdict);
    }
    return { verdicts, changed };
  }

  private judge(state: EdgeProbeState, fleetRtts: readonly number[]): { kind: ProbeVerdictKind; detail?: string } {
    if (state.down) return { kind: 'down', detail: (state.lastError ?? 'probe failed').slice(0, 200) };
    if (state.rttMs === null) return { kind: 'up' };
    const others = [...fleetRtts];
    others.splice(others.indexOf(state.rttMs), 1);
    if (others.length === 0) return { kind: 'up' };
    const median = medianOf(others);
    const limit = Math.max(this.policy.slowFloorMs, this.policy.slowFactor * median);
    if (state.rttMs > limit)
      return { kind: 'slow', detail: `round trip ${Math.round(state.rttMs)} ms, fleet median ${Math.round(median)} ms` };
    return { kind: 'up' };
  }
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
