/**
 * The autoscaling loop. Every interval, while this instance holds the lease:
 * read the registry snapshot and the actuator's list, build the policy's rows
 * (fleet-loads.ts), call the pure `decide`, and carry the decision out:
 * scale up -> `actuator.add(n)`; scale down -> choose the edges (choose-removals.ts),
 * drain each through the registry, then `actuator.remove(id)` (drain-and-remove.ts).
 *
 * Before deciding, failed edges are replaced (plan-replacements.ts): an edge of
 * the actuator unhealthy or without a record for longer than the policy's
 * `unhealthyGraceMs` is removed without a drain and a new one launched in its
 * place; an edge that left the actuator's list unasked gets a new one at once.
 * Such a tick decides nothing: the next free tick decides with the replacement
 * pending.
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
import { planReplacements, type FailingEdge, type ReplacementPlan } from './plan-replacements.js';
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
  /** Owned edges seen registered (fleet-loads.ts), so a vanished record means a lost edge, not a booting one. */
  private registered = new Set<string>();
  /** Failing edges and since when (plan-replacements.ts). */
  private failingSince = new Map<string, number>();
  /** The actuator's ids at the last leader tick, less those removed by this loop since. */
  private previouslyOwned = new Set<string>();
  /** When the policy launched each edge (not replacements): a launch after a failure stands in for it. */
  private readonly launchedAt = new Map<string, number>();
  private lastReplacement: Pick<ReplacementPlan, 'waiting' | 'held'> | undefined;
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
      ...(this.lastReplacement?.waiting.length && { failing: this.lastReplacement.waiting.map((e) => ({ ...e })) }),
      ...(this.lastReplacement?.held && { replacementHeld: this.lastReplacement.held }),
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
      this.previouslyOwned.clear();
      this.failingSince.clear();
      return this.skip('follower');
    }
    if (this.inFlight) return this.skip('busy', this.inFlight.description);
    const snapshot = fleet.snapshot();
    if (!snapshot.connected) {
      // A failure must be seen continuously to count: the grace starts over once the registry is back.
      this.failingSince.clear();
      return this.skip('registry-unavailable', 'the registry view is not connected: not acting on an old snapshot');
    }
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
      registered: this.registered,
      now,
      bootTimeoutMs: this.options.bootTimeoutMs ?? 600_000,
      assumedCapacity: this.options.assumedCapacity ?? EDGE_DEFAULT_CAPACITY,
    });
    this.pendingSince = loads.pendingSince;
    this.registered = loads.registered;
    this.lastFleet = loads;
    const replacing = this.replaceFailed(loads, snapshot.edges, owned, now);
    if (replacing) return replacing;
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

  /** Plans the replacement of failed edges and starts it; undefined when there is none to make. */
  private replaceFailed(
    loads: FleetLoads,
    records: readonly EdgeRecord[],
    owned: readonly ActuatorEdge[],
    now: number,
  ): TickResult | undefined {
    const { policy } = this.options;
    const counted = loads.loads.filter((l) => l.state === 'active').length;
    for (const id of this.launchedAt.keys()) if (!owned.some((e) => e.id === id)) this.launchedAt.delete(id);
    const plan = planReplacements({
      records,
      owned,
      lost: loads.lost,
      previouslyOwned: this.previouslyOwned,
      removing: this.removing,
      failingSince: this.failingSince,
      launchedAt: this.launchedAt,
      now,
      graceMs: policy.unhealthyGraceMs,
      room: Math.max(0, policy.maxEdges - counted),
    });
    for (const edge of plan.waiting) {
      if (!this.failingSince.has(edge.id)) {
        this.logger.warn({ id: edge.id, reason: edge.reason, graceMs: policy.unhealthyGraceMs }, 'edge failing: replaced if it lasts');
      }
    }
    if (plan.held && plan.held !== this.lastReplacement?.held) {
      this.logger.warn({ failing: plan.waiting.map((e) => e.id) }, plan.held);
    }
    this.failingSince = plan.failingSince;
    this.previouslyOwned = new Set(owned.map((e) => e.id));
    this.lastReplacement = { waiting: plan.waiting, ...(plan.held && { held: plan.held }) };
    if (plan.vanished.length > 0) {
      this.logger.warn({ ids: plan.vanished, add: plan.add }, 'edges left the actuator without being removed: replacing them');
    }
    if (plan.remove.length === 0 && plan.add === 0) return undefined;
    const ids = plan.remove.map((e) => e.id);
    const why = [
      ...plan.remove.map((e) => `${e.id} failing for ${Math.round((now - e.since) / 1000)} s (${e.reason})`),
      ...plan.vanished.map((id) => `${id} gone`),
    ].join('; ');
    this.logger.warn({ remove: ids, add: plan.add }, `replacing failed edges: ${why}`);
    for (const id of ids) this.removing.add(id);
    const description = `replace ${[...ids, ...plan.vanished].join(', ')}: remove ${ids.length}, add ${plan.add}`;
    this.begin(description, async () => {
      // Side by side: the new edge starts while the failed one is stopped (which can take the actuator's stop timeout).
      const results = await Promise.allSettled([
        ...plan.remove.map((edge) => this.removeFailed(edge, why)),
        ...(plan.add > 0 ? [this.add(plan.add, { why: `replacing: ${why}` })] : []),
      ]);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    });
    return { kind: 'replacing', remove: ids, add: plan.add };
  }

  /** Removes a failed edge through the actuator, without a drain: it serves nobody. */
  private async removeFailed(edge: FailingEdge, why: string): Promise<void> {
    const startedAt = this.now();
    try {
      await this.options.actuator.remove(edge.id);
      this.logger.info({ id: edge.id }, 'failed edge removed');
      this.recordAction({ kind: 'remove', ids: [edge.id], outcome: 'succeeded', startedAt, why: `replacing: ${why}` });
    } catch (error) {
      this.recordAction({
        kind: 'remove',
        ids: [edge.id],
        outcome: 'failed',
        startedAt,
        error: errorMessage(error),
        why: `replacing: ${why}`,
      });
      throw error;
    } finally {
      this.removing.delete(edge.id);
      this.previouslyOwned.delete(edge.id);
      this.failingSince.delete(edge.id);
      this.pendingSince.delete(edge.id);
    }
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
      this.begin(`add ${count}`, () => this.add(count, { scaling: true }));
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

  /** Launches edges; `scaling` (a policy decision) marks them as stand-ins for failures that began before. */
  private async add(count: number, options: { scaling?: boolean; why?: string } = {}): Promise<void> {
    const startedAt = this.now();
    const why = options.why === undefined ? {} : { why: options.why };
    const launched = (ids: readonly string[]) => {
      for (const id of ids) {
        this.pendingSince.set(id, this.now());
        if (options.scaling) this.launchedAt.set(id, startedAt);
      }
    };
    try {
      const ids = await this.options.actuator.add(count);
      launched(ids);
      this.logger.info({ ids }, `added ${ids.length} edge(s)`);
      this.recordAction({ kind: 'add', ids, outcome: 'succeeded', startedAt, ...why });
    } catch (error) {
      const started = (error as { details?: { started?: unknown } }).details?.started;
      const ids = Array.isArray(started) ? started.map(String) : [];
      launched(ids);
      this.recordAction({ kind: 'add', ids, outcome: 'failed', startedAt, error: errorMessage(error), ...why });
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
      // Gone by the loop's own hand: not a vanished edge to replace.
      this.previouslyOwned.delete(id);
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
