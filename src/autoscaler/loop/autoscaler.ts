/**
 * The autoscaling loop. Every interval, while this instance holds the lease:
 * read the registry snapshot and the actuator's list, build the policy's rows
 * (fleet-loads.ts), call the pure `decide`, and carry the decision out:
 * scale up -> `actuator.add(n)`; scale down -> choose the edges (choose-removals.ts),
 * drain each through the registry, then `actuator.remove(id)` (drain-and-remove.ts).
 *
 * One action at a time: while one runs (a drain can take a minute, an apply
 * longer) ticks are skipped, not queued, and the next decision sees the fleet as
 * the action left it. Ticks never overlap. Each decision is logged with its reason
 * and numbers, kept in a bounded history for /status and counted in the metrics.
 */
import { EventEmitter } from 'node:events';
import { errorMessage } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { EdgeRecord } from '../../edge-registry/index.js';
import type { ActuatorEdge, EdgeActuator } from '../actuators/edge-actuator.js';
import { decide, type PolicyConfig, type PolicyState } from '../policy/index.js';
import type { AutoscalerMetrics } from '../status/autoscaler-metrics.js';
import type {
  ActionEntry,
  AutoscalerStatus,
  DecisionEntry,
  DrainRequester,
  FleetSource,
  LeadershipSource,
  TickResult,
  TickSkip,
} from './autoscaler-types.js';
import { BoundedList } from './bounded-list.js';
import { chooseRemovals } from './choose-removals.js';
import { drainAndRemove } from './drain-and-remove.js';
import { buildFleetLoads, type EdgeCapacity, type FleetLoads } from './fleet-loads.js';

export interface AutoscalerOptions {
  policy: PolicyConfig;
  fleet: FleetSource;
  drains: DrainRequester;
  actuator: EdgeActuator;
  lease: LeadershipSource;
  /** @defaultValue 5_000 */
  intervalMs?: number;
  /** Longest wait for a draining edge's connections to end before it is removed. @defaultValue 60_000 */
  drainTimeoutMs?: number;
  /** @defaultValue 250 */
  drainPollMs?: number;
  /** A launched edge not registered after this long stops counting as capacity. @defaultValue 600_000 */
  bootTimeoutMs?: number;
  /** Decisions and actions kept for /status. @defaultValue 50 */
  historySize?: number;
  /** Capacity assumed for a booting edge while no registered edge gives a figure. @defaultValue the edge defaults: 1000 Mb/s, 10 000 connections */
  assumedCapacity?: EdgeCapacity;
  metrics?: AutoscalerMetrics;
  /** Wall clock, ms (the policy's `now`). @defaultValue Date.now */
  now?: () => number;
  logger?: Logger;
}

export interface AutoscalerEvents {
  decision: [entry: DecisionEntry];
  action: [entry: ActionEntry];
}

const EDGE_DEFAULT_CAPACITY: EdgeCapacity = { egressBytesPerSec: 125_000_000, connections: 10_000 };

export class Autoscaler extends EventEmitter<AutoscalerEvents> {
  private readonly options: AutoscalerOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly decisions: BoundedList<DecisionEntry>;
  private readonly actions: BoundedList<ActionEntry>;
  private readonly abort = new AbortController();
  private policyState: PolicyState | undefined;
  private pendingSince = new Map<string, number>();
  private lastFleet: FleetLoads | undefined;
  private lastSkip: AutoscalerStatus['lastSkip'];
  private readonly removing = new Set<string>();
  private inFlight: { description: string; startedAt: number; done: Promise<void> } | undefined;
  private ticking: Promise<TickResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private warnedSkip: TickSkip | undefined;
  private lastHoldReason: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: AutoscalerOptions) {
    super();
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'autoscaler' });
    this.now = options.now ?? Date.now;
    this.decisions = new BoundedList(options.historySize ?? 50);
    this.actions = new BoundedList(options.historySize ?? 50);
  }

  /** Runs a first tick now, then one every intervalMs after the previous one ends. */
  start(): void {
    if (this.timer || this.closing) return;
    const loop = () => {
      void this.tick().finally(() => {
        if (!this.closing) this.timer = setTimeout(loop, this.options.intervalMs ?? 5_000);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  /** One decision (exported for tests and for `start`); concurrent calls share the tick in flight. */
  tick(): Promise<TickResult> {
    this.ticking ??= this.doTick()
      .catch((error: unknown): TickResult => {
        this.logger.error({ error: errorMessage(error) }, 'autoscaler tick failed');
        return this.skip('error', errorMessage(error));
      })
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Resolves when the action in flight (if any) has finished. */
  async settled(): Promise<void> {
    await this.inFlight?.done;
  }

  status(): AutoscalerStatus {
    const { policy, lease, fleet, actuator } = this.options;
    const last = this.decisions.newestFirst()[0];
    const snapshot = fleet.snapshot();
    return {
      leader: lease.isLeader,
      ...(lease.holderId !== undefined && { holderId: lease.holderId }),
      ...(lease.leader !== undefined && { leaderId: lease.leader }),
      policy: {
        metric: policy.metric,
        target: policy.target,
        tolerance: policy.tolerance,
        minEdges: policy.minEdges,
        maxEdges: policy.maxEdges,
      },
      ...(last && {
        current: last.current,
        desired: last.desired,
        utilization: last.utilization,
        metrics: last.metrics,
        lastDecisionAt: last.at,
      }),
      ...(this.lastSkip && { lastSkip: this.lastSkip }),
      pending: this.lastFleet?.pending ?? [],
      stuck: this.lastFleet?.stuck ?? [],
      removing: [...this.removing].sort(),
      ...(this.inFlight && { inFlight: { description: this.inFlight.description, startedAt: this.inFlight.startedAt } }),
      registry: {
        connected: snapshot.connected,
        ageMs: Number.isFinite(snapshot.ageMs) ? snapshot.ageMs : null,
        edges: snapshot.edges.length,
      },
      actuator: actuator.state(),
      decisions: this.decisions.newestFirst(),
      actions: this.actions.newestFirst(),
    };
  }

  /** Stops ticking, cuts a drain wait short, and waits for the action in flight. Closes nothing it was given. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      this.abort.abort();
      await this.ticking;
      await this.inFlight?.done;
    })();
    return this.closing;
  }

  private async doTick(): Promise<TickResult> {
    if (this.closing) return this.skip('closed');
    const { lease, fleet, actuator } = this.options;
    this.options.metrics?.setLeader(lease.isLeader);
    if (!lease.isLeader) {
      // A later leadership starts from a clean memory (see seedState).
      this.policyState = undefined;
      return this.skip('follower');
    }
    if (this.inFlight) return this.skip('busy', this.inFlight.description);
    const snapshot = fleet.snapshot();
    if (!snapshot.connected) return this.skip('registry-unavailable', 'the registry view is not connected: not acting on an old snapshot');
    let owned;
    try {
      owned = await actuator.list();
    } catch (error) {
      return this.skip('actuator-unavailable', errorMessage(error));
    }
    // The awaits above may have outlived the lease or the loop.
    if (this.closing) return this.skip('closed');
    if (!lease.isLeader) return this.skip('follower');
    const now = this.now();
    const loads = buildFleetLoads({
      records: snapshot.edges,
      owned,
      removing: this.removing,
      pendingSince: this.pendingSince,
      now,
      bootTimeoutMs: this.options.bootTimeoutMs ?? 600_000,
      assumedCapacity: this.options.assumedCapacity ?? EDGE_DEFAULT_CAPACITY,
    });
    this.pendingSince = loads.pendingSince;
    this.lastFleet = loads;
    const { state, decision } = decide({
      state: this.policyState ?? this.seedState(loads, now),
      edges: loads.loads,
      config: this.options.policy,
      now,
    });
    this.policyState = state;
    this.warnedSkip = undefined;
    const entry: DecisionEntry = { ...decision, pending: loads.pending.length, outcome: 'none' };
    entry.outcome = this.act(entry, loads, snapshot.edges, owned);
    this.decisions.push(entry);
    this.options.metrics?.observeDecision(entry);
    const fields = {
      action: entry.action,
      current: entry.current,
      desired: entry.desired,
      utilization: round(entry.utilization),
      egress: round(entry.metrics.egress),
      connections: round(entry.metrics.connections),
      pending: entry.pending,
      outcome: entry.outcome,
    };
    // Every decision is logged; a hold that repeats the previous reason word for word goes to debug, or a quiet fleet logs a line per interval.
    if (entry.action !== 'hold') this.logger.info(fields, entry.reason);
    else if (entry.reason !== this.lastHoldReason) this.logger.info(fields, entry.reason);
    else this.logger.debug(fields, entry.reason);
    this.lastHoldReason = entry.action === 'hold' ? entry.reason : undefined;
    this.deliver(() => this.emit('decision', entry));
    return { kind: 'decided', entry };
  }

  /**
   * A new leader has no recommendation history, and an empty stabilization window
   * would let it scale down at its first tick. It starts as if the fleet's present
   * size had just been recommended: the first scale-down waits a full window.
   */
  private seedState(loads: FleetLoads, now: number): PolicyState {
    const active = loads.loads.filter((l) => l.state === 'active').length;
    return { recommendations: [{ at: now, desired: active }], scaleEvents: [] };
  }

  /** Starts the decided action in the background; returns what it did, for the log and history. */
  private act(entry: DecisionEntry, loads: FleetLoads, records: readonly EdgeRecord[], owned: readonly ActuatorEdge[]): string {
    if (entry.action === 'scale-up') {
      const count = entry.desired - entry.current;
      this.begin(`add ${count}`, () => this.add(count));
      return `adding ${count}`;
    }
    if (entry.action === 'hold') return 'none';
    const removal = chooseRemovals({
      count: entry.current - entry.desired,
      current: entry.current,
      minEdges: this.options.policy.minEdges,
      records,
      owned,
      pending: loads.pending,
      removing: this.removing,
    });
    const note = removal.shortfall ? ` (${removal.shortfall})` : '';
    if (removal.ids.length === 0) return `none${note}`;
    for (const id of removal.ids) this.removing.add(id);
    const drain = new Set(removal.drain);
    this.begin(`remove ${removal.ids.join(', ')}`, async () => {
      for (const id of removal.ids) await this.remove(id, drain.has(id));
    });
    return `removing ${removal.ids.join(', ')}${note}`;
  }

  private begin(description: string, run: () => Promise<void>): void {
    const startedAt = this.now();
    const done = run()
      .catch((error: unknown) => this.logger.error({ error: errorMessage(error), action: description }, 'autoscaler action failed'))
      .finally(() => (this.inFlight = undefined));
    this.inFlight = { description, startedAt, done };
  }

  private async add(count: number): Promise<void> {
    const startedAt = this.now();
    try {
      const ids = await this.options.actuator.add(count);
      for (const id of ids) this.pendingSince.set(id, this.now());
      this.logger.info({ ids }, `added ${ids.length} edge(s)`);
      this.recordAction({ kind: 'add', ids, outcome: 'succeeded', startedAt });
    } catch (error) {
      const started = (error as { details?: { started?: unknown } }).details?.started;
      const ids = Array.isArray(started) ? started.map(String) : [];
      this.recordAction({ kind: 'add', ids, outcome: 'failed', startedAt, error: errorMessage(error) });
      throw error;
    }
  }

  private async remove(id: string, registered: boolean): Promise<void> {
    const startedAt = this.now();
    const { fleet, drains, actuator } = this.options;
    try {
      await drainAndRemove({
        id,
        registered,
        fleet,
        drains,
        actuator,
        drainTimeoutMs: this.options.drainTimeoutMs ?? 60_000,
        pollMs: this.options.drainPollMs,
        signal: this.abort.signal,
        logger: this.logger,
      });
      this.pendingSince.delete(id);
      this.recordAction({ kind: 'remove', ids: [id], outcome: 'succeeded', startedAt });
    } catch (error) {
      this.recordAction({ kind: 'remove', ids: [id], outcome: 'failed', startedAt, error: errorMessage(error) });
      throw error;
    } finally {
      this.removing.delete(id);
    }
  }

  private recordAction(input: Omit<ActionEntry, 'at' | 'durationMs'> & { startedAt: number }): void {
    const { startedAt, ...rest } = input;
    const entry: ActionEntry = { at: startedAt, ...rest, durationMs: this.now() - startedAt };
    this.actions.push(entry);
    this.options.metrics?.observeAction(entry);
    this.deliver(() => this.emit('action', entry));
  }

  private skip(reason: TickSkip, detail?: string): TickResult {
    this.lastSkip = { at: this.now(), reason, ...(detail !== undefined && { detail }) };
    // Unavailability is worth one warning per episode; a follower or a busy tick is routine.
    if (reason !== 'follower' && reason !== 'busy' && reason !== 'closed' && this.warnedSkip !== reason) {
      this.logger.warn({ reason, detail }, 'autoscaler not deciding');
      this.warnedSkip = reason;
    } else {
      this.logger.debug({ reason, detail }, 'autoscaler tick skipped');
    }
    return { kind: 'skipped', reason, ...(detail !== undefined && { detail }) };
  }

  /** A listener that throws must not break the loop. */
  private deliver(emit: () => unknown): void {
    try {
      emit();
    } catch (error) {
      this.logger.error({ error: errorMessage(error) }, 'autoscaler listener threw');
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
