/**
 * The agent beside each nginx edge: every heartbeat it reads what nginx did
 * (access log: bytes, cache status, upstream errors; stub_status: connections),
 * and writes the edge's record into the registry, where the rewriter and the
 * autoscaler read it. A failing registry is logged and retried on the next beat;
 * it never stops the edge.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../../core/logger.js';
import { errorMessage } from '../../core/errors.js';
import { plainGet } from '../../core/http/plain-get.js';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { AccessLogTailer } from './access-log-tailer.js';
import { directoryBytes } from './cache-usage.js';
import { isUpstreamError, LoadWindow } from './load-window.js';
import { judgeSelfCheck, type CanaryOutcome, type SelfCheckVerdict } from './self-check.js';
import { parseStubStatus, type StubStatus } from './stub-status.js';

/** What the agent needs of the registry (EdgeRegistryWriter implements it). */
export interface EdgeRecordSink {
  heartbeat(record: EdgeRecord): Promise<{ drainRequested: boolean }>;
  deregister(id: string): Promise<unknown>;
}

export interface EdgeAgentOptions {
  id: string;
  /** Base URL viewers use, e.g. http://127.0.0.1:8081 */
  publicUrl: string;
  zone?: string;
  capacity: EdgeRecord['capacity'];
  /** nginx stub_status URL on the loopback status port. */
  stubStatusUrl: string;
  /** The canary on nginx's viewer-facing port (`/.hlscdn/canary`): fetched every beat through the cache path. */
  canaryUrl: string;
  /** Deadline of the canary and of the stub_status read. @defaultValue heartbeatMs / 2, within 200-1000 */
  selfCheckTimeoutMs?: number;
  accessLogPath: string;
  cacheDir: string;
  sink: EdgeRecordSink;
  logger: Logger;
  /** @defaultValue 1000 */
  heartbeatMs?: number;
  /** Window of the rates and hit ratio. @defaultValue 10_000 */
  windowMs?: number;
  now?: () => number;
}

export interface EdgeAgentEvents {
  /** The registry says an operator or the autoscaler asked this edge to drain. */
  'drain-requested': [];
  heartbeat: [EdgeRecord];
}

export class EdgeAgent extends EventEmitter<EdgeAgentEvents> {
  private readonly options: EdgeAgentOptions;
  private readonly tailer: AccessLogTailer;
  private readonly window: LoadWindow;
  private readonly now: () => number;
  private readonly startedAt: number;
  private draining = false;
  private health: SelfCheckVerdict = { healthy: true };
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private lastStub: StubStatus | undefined;
  private cacheBytes = 0;
  private beats = 0;
  private registryFailing = false;
  private closed = false;

  private readonly checkTimeoutMs: number;

  constructor(options: EdgeAgentOptions) {
    super();
    this.options = options;
    this.checkTimeoutMs = options.selfCheckTimeoutMs ?? Math.min(1_000, Math.max(200, (options.heartbeatMs ?? 1_000) / 2));
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.tailer = new AccessLogTailer({ path: options.accessLogPath });
    this.window = new LoadWindow(options.windowMs ?? 10_000);
  }

  /** First heartbeat now (so the edge is registered when this resolves), then every heartbeatMs. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs ?? 1_000);
  }

  get activeConnections(): number {
    return this.lastStub?.active ?? 0;
  }

  /** Switches to draining and tells the registry at once. */
  async drain(): Promise<void> {
    this.draining = true;
    await this.beat();
  }

  /** The self-check's last verdict. */
  get healthy(): boolean {
    return this.health.healthy;
  }

  /** Reads fresh stub_status figures (for drain waits). */
  async refreshConnections(): Promise<number> {
    await this.readStubStatus();
    return this.activeConnections;
  }

  async close(options: { deregister: boolean } = { deregister: true }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.beating;
    if (options.deregister)
      await this.options.sink
        .deregister(this.options.id)
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not deregister'));
  }

  /** One heartbeat; overlapping calls share the one in flight. */
  beat(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.beating ??= this.doBeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async doBeat(): Promise<void> {
    // stub_status first and the canary after it: a canary connection open during the read would count as a
    // viewer, and a draining edge would never look idle.
    await Promise.all([this.readAccessLog(), this.readStubStatus()]);
    this.judgeHealth(await this.fetchCanary());
    // The cache walk is the heaviest read: every tenth beat is often enough.
    if (this.beats++ % 10 === 0) this.cacheBytes = await directoryBytes(this.options.cacheDir);
    const record = this.record();
    try {
      const { drainRequested } = await this.options.sink.heartbeat(record);
      if (this.registryFailing) this.options.logger.info('registry reachable again: heartbeats resumed');
      this.registryFailing = false;
      this.emit('heartbeat', record);
      if (drainRequested && !this.draining) {
        this.options.logger.info('drain requested through the registry');
        this.emit('drain-requested');
      }
    } catch (error) {
      // Logged once per outage, not once per second.
      if (!this.registryFailing)
        this.options.logger.warn({ err: errorMessage(error) }, 'heartbeat failed: the edge keeps serving and retries every beat');
      this.registryFailing = true;
    }
  }

  record(): EdgeRecord {
    const figures = this.window.figures(this.now());
    return {
      version: 1,
      id: this.options.id,
      url: this.options.publicUrl,
      ...(this.options.zone && { zone: this.options.zone }),
      capacity: this.options.capacity,
      state: this.draining ? 'draining' : this.health.healthy ? 'active' : 'unhealthy',
      ...(!this.health.healthy && { problem: this.health.reason }),
      load: {
        // The agent's own stub_status request is one of nginx's active connections.
        activeConnections: Math.max(0, (this.lastStub?.active ?? 1) - 1),
        requestsPerSec: figures.requestsPerSec,
        egressBytesPerSec: figures.egressBytesPerSec,
        cacheHitRatio: figures.cacheHitRatio,
        upstreamErrors: figures.upstreamErrors,
        cacheBytes: this.cacheBytes,
      },
      startedAt: this.startedAt,
      heartbeatAt: this.now(),
    };
  }

  private async readAccessLog(): Promise<void> {
    let lines: string[];
    try {
      lines = await this.tailer.poll();
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error) }, 'cannot read the access log');
      return;
    }
    for (const line of lines) {
      let entry: { time?: unknown; bytesSent?: unknown; cacheStatus?: unknown; status?: unknown; upstreamStatus?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      const status = Number(entry.status);
      const cacheStatus = typeof entry.cacheStatus === 'string' ? entry.cacheStatus : '';
      const upstreamStatus = typeof entry.upstreamStatus === 'string' ? entry.upstreamStatus : '';
      this.window.add({
        atMs: Number(entry.time) * 1000 || this.now(),
        bytesSent: Number(entry.bytesSent) || 0,
        cacheStatus,
        upstreamError: isUpstreamError({ status, upstreamStatus, cacheStatus }),
        serverError: status >= 500,
      });
    }
  }

  private async readStubStatus(): Promise<void> {
    try {
      const parsed = parseStubStatus((await plainGet(this.options.stubStatusUrl, this.checkTimeoutMs)).body);
      if (parsed.ok) this.lastStub = parsed.value;
    } catch {
      // Keep the last connection figures: whether nginx serves is the canary's to say, not this read's.
    }
  }

  private async fetchCanary(): Promise<CanaryOutcome> {
    try {
      const { status, ttfbMs } = await plainGet(this.options.canaryUrl, this.checkTimeoutMs);
      return { ok: true, status, ttfbMs };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  }

  private judgeHealth(canary: CanaryOutcome): void {
    const figures = this.window.figures(this.now());
    const verdict = judgeSelfCheck(
      { canary, requests: figures.requests, serverErrors: figures.serverErrors },
      { timeoutMs: this.checkTimeoutMs },
    );
    if (verdict.healthy !== this.health.healthy) {
      if (verdict.healthy) this.options.logger.info('self-check passes again: the edge takes new work');
      else this.options.logger.warn({ reason: verdict.reason }, 'self-check failed: the edge reports itself unhealthy');
    }
    this.health = verdict;
  }
}
