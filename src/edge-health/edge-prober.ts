/**
 * The outside-in prober: from where viewers come from (beside the rewriter),
 * it asks every edge's health path at the edge's public URL, every
 * `intervalMs`, under a deadline, and publishes the verdicts (probe-tracker.ts)
 * into the registry, where every rewriter's view reads them. Only the holder of
 * the prober lease probes, so the probe load on an edge is 1000 / intervalMs
 * requests a second however many rewriters run (docs/edge.md gives the bound).
 *
 * A hung edge accepts the connection and never answers; a probe waits for it at
 * most `timeoutMs`, and probes are launched on the interval whether or not the
 * previous one came back, so `fall` failures arrive within about
 * timeoutMs + (fall - 1) x intervalMs. A changed verdict is published the moment
 * it changes; all of them are republished every `refreshMs` so readers can tell
 * a live prober from a dead one.
 */
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import { errorMessage } from '../core/errors.js';
import { plainGet } from '../core/http/plain-get.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { EdgeRecord, ProbeVerdict } from '../edge-registry/index.js';
import { DEFAULT_PROBE_POLICY, ProbeTracker, type ProbeOutcome, type ProbePolicy } from './probe-tracker.js';

/** The path every edge answers on its viewer-facing port without logging it (nginx/edge.conf.template). */
export const EDGE_HEALTH_PATH = '/.hlscdn/health';

export interface EdgeProberOptions {
  fleet: { snapshot(): { edges: EdgeRecord[] } };
  sink: { publishProbeVerdicts(verdicts: readonly ProbeVerdict[], forget?: readonly string[]): Promise<void> };
  /** Whether this instance probes (a LeaderLease); followers stay idle. */
  leadership: { readonly isLeader: boolean };
  /** @defaultValue 250 */
  intervalMs?: number;
  /** Deadline of one probe. @defaultValue 400 */
  timeoutMs?: number;
  /** @defaultValue 1_000 */
  refreshMs?: number;
  policy?: Partial<ProbePolicy>;
  logger?: Logger;
  /** Where the probe metrics go (hlscdn_edge_probe_*). */
  metrics?: Registry;
  now?: () => number;
  /** One probe; replaceable in unit tests. @defaultValue a GET of `<edge url>/.hlscdn/health` on a fresh connection */
  probe?: (edge: EdgeRecord, timeoutMs: number) => Promise<ProbeOutcome>;
}

export class EdgeProber {
  private readonly tracker: ProbeTracker;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly refreshMs: number;
  private readonly maxInFlight: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly probe: (edge: EdgeRecord, timeoutMs: number) => Promise<ProbeOutcome>;
  private readonly inFlight = new Map<string, number>();
  private readonly metrics: ProberMetrics | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private wasLeader = false;
  private publishing: Promise<void> | undefined;
  private pending: { verdicts: Map<string, ProbeVerdict>; forget: Set<string> } = { verdicts: new Map(), forget: new Set() };
  private publishFailing = false;
  private closed = false;

  constructor(private readonly options: EdgeProberOptions) {
    this.tracker = new ProbeTracker({ ...DEFAULT_PROBE_POLICY, ...options.policy });
    this.intervalMs = options.intervalMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 400;
    this.refreshMs = options.refreshMs ?? 1_000;
    // Enough probes in the air that a hung edge's stuck ones never delay the next.
    this.maxInFlight = Math.ceil(this.timeoutMs / this.intervalMs) + 1;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'edge-prober' });
    this.now = options.now ?? Date.now;
    this.probe = options.probe ?? probeHealthPath;
    this.metrics = options.metrics && createProberMetrics(options.metrics);
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.tick();
  }

  /** Stops probing; probes in flight finish on their own deadline. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.publishing;
  }

  /** One round: launch a probe for every edge that has room for one. */
  tick(): void {
    if (this.closed) return;
    const leader = this.options.leadership.isLeader;
    this.metrics?.leader.set(leader ? 1 : 0);
    if (!leader) {
      // A follower keeps nothing: when it leads, it starts from what the edges say now.
      if (this.wasLeader) this.logger.info('no longer the prober leader: probing stops here');
      this.wasLeader = false;
      this.tracker.clear();
      return;
    }
    if (!this.wasLeader) this.logger.info({ intervalMs: this.intervalMs, timeoutMs: this.timeoutMs }, 'prober leader: probing every edge');
    this.wasLeader = true;
    const now = this.now();
    const edges = this.options.fleet.snapshot().edges;
    for (const id of this.tracker.forgetAllBut(new Set(edges.map((e) => e.id)))) this.pending.forget.add(id);
    for (const edge of edges) {
      this.tracker.track(edge.id, now);
      if ((this.inFlight.get(edge.id) ?? 0) < this.maxInFlight) void this.probeOne(edge);
    }
    const refresh = now - this.lastRefresh >= this.refreshMs;
    this.publish(refresh);
  }

  private async probeOne(edge: EdgeRecord): Promise<void> {
    this.inFlight.set(edge.id, (this.inFlight.get(edge.id) ?? 0) + 1);
    let outcome: ProbeOutcome;
    try {
      outcome = await this.probe(edge, this.timeoutMs);
    } catch (error) {
      outcome = { ok: false, error: errorMessage(error) };
    } finally {
      this.inFlight.set(edge.id, (this.inFlight.get(edge.id) ?? 1) - 1);
    }
    if (this.closed || !this.options.leadership.isLeader) return;
    this.metrics?.results.inc({ edge: edge.id, result: outcome.ok ? 'ok' : 'fail' });
    if (outcome.ok) this.metrics?.rtt.set({ edge: edge.id }, outcome.rttMs / 1000);
    this.tracker.record(edge.id, outcome, this.now());
    // Publish at once when the verdict changed: that is the moment viewers must stop being sent there.
    this.publish(false);
  }

  /** Evaluates and queues what changed (everything on a refresh); one write in flight at a time. */
  private publish(refresh: boolean): void {
    const now = this.now();
    const { verdicts, changed } = this.tracker.evaluate(now);
    for (const v of verdicts) this.metrics?.verdict.set({ edge: v.id }, v.verdict === 'up' ? 1 : v.verdict === 'slow' ? 0.5 : 0);
    for (const v of changed)
      this.logger.info({ edge: v.id, verdict: v.verdict, rttMs: v.rttMs, detail: v.detail }, `edge ${v.id} is ${v.verdict}`);
    for (const v of refresh ? verdicts : changed) this.pending.verdicts.set(v.id, v);
    if (refresh) this.lastRefresh = now;
    this.flush();
  }

  private flush(): void {
    if (this.publishing || (this.pending.verdicts.size === 0 && this.pending.forget.size === 0)) return;
    const batch = this.pending;
    this.pending = { verdicts: new Map(), forget: new Set() };
    this.publishing = this.options.sink
      .publishProbeVerdicts([...batch.verdicts.values()], [...batch.forget])
      .then(() => {
        if (this.publishFailing) this.logger.info('probe verdicts reach the registry again');
        this.publishFailing = false;
      })
      .catch((error: unknown) => {
        // Redis away: the verdicts go stale in the views, which then fall back to the agents' word. Retried on the next change or refresh.
        if (!this.publishFailing) this.logger.warn({ error: errorMessage(error) }, 'cannot publish probe verdicts');
        this.publishFailing = true;
      })
      .finally(() => {
        this.publishing = undefined;
        if (!this.closed) this.flush();
      });
  }
}

/** GET `<edge>/.hlscdn/health` on a fresh connection; any answer but 5xx within the deadline is a good probe. */
export async function probeHealthPath(edge: EdgeRecord, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const { status, ttfbMs } = await plainGet(`${edge.url.replace(/\/$/, '')}${EDGE_HEALTH_PATH}`, timeoutMs);
    return status < 500 ? { ok: true, rttMs: ttfbMs } : { ok: false, error: `answered ${status}` };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

interface ProberMetrics {
  leader: Gauge;
  results: Counter<'edge' | 'result'>;
  rtt: Gauge<'edge'>;
  verdict: Gauge<'edge'>;
}

function createProberMetrics(registry: Registry): ProberMetrics {
  return {
    leader: new Gauge({
      name: 'hlscdn_edge_prober_leader',
      help: '1 while this process holds the prober lease and probes the edges',
      registers: [registry],
    }),
    results: new Counter({
      name: 'hlscdn_edge_probes_total',
      help: 'Outside-in probes of edges, by result',
      labelNames: ['edge', 'result'],
      registers: [registry],
    }),
    rtt: new Gauge({
      name: 'hlscdn_edge_probe_rtt_seconds',
      help: 'Time to first byte of the last good probe of each edge',
      labelNames: ['edge'],
      registers: [registry],
    }),
    verdict: new Gauge({
      name: 'hlscdn_edge_probe_verdict',
      help: 'Probe verdict of each edge: 1 up, 0.5 slow, 0 down',
      labelNames: ['edge'],
      registers: [registry],
    }),
  };
}
