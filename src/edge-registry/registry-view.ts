/**
 * The read side of the edge registry, for the rewriter and the autoscaler: a
 * local snapshot of live edges kept current by the events channel (its own
 * subscriber connection), corrected by a periodic full read (a missed message,
 * an expiry that publishes nothing), and expired by the local clock between
 * reads so a dead edge leaves within the ttl. While Redis is unreachable it
 * serves the last snapshot as is; `ageMs` tells callers how old it is.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { errorMessage, type HlscdnError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { closeRedis, describeTarget, toRedisError, waitForReady } from '../core/redis/index.js';
import type { EdgeRecord } from './edge-record.js';
import { FleetSnapshot, type FleetChange } from './fleet-snapshot.js';
import { DEFAULT_KEY_PREFIX, registryKeys, type RegistryKeys } from './keys.js';
import { openRegistryConnection, type RegistryRedisOptions } from './registry-connection.js';
import { withProbeVerdict, type ProbeVerdict } from './probe-verdict.js';
import { parseRegistryEvent } from './registry-events.js';
import { pruneRegistry, readRegistry, type RegistryRead } from './registry-read.js';

export interface EdgeRegistryViewOptions {
  /** Where the registry lives. `name` @defaultValue 'hlscdn-registry-view' (the subscriber adds ':events') */
  redis: RegistryRedisOptions;
  /** @defaultValue 'hlscdn' */
  keyPrefix?: string;
  /** Same value as the writers': a heartbeat this old is dead. @defaultValue 3_000 */
  ttlMs?: number;
  /** Period of the full read (ZRANGE + MGET + SMEMBERS) that corrects missed events. @defaultValue 2_000 */
  resyncIntervalMs?: number;
  /**
   * After a reconnection, edges the first reads do not find are kept this long,
   * so agents have time to re-register after a Redis restart lost every key.
   * Must cover the agents' reconnect backoff plus a heartbeat interval.
   * @defaultValue 2 x ttlMs
   */
  reconnectGraceMs?: number;
  /** start() fails if Redis cannot be reached within this. @defaultValue 5_000 */
  startTimeoutMs?: number;
  /**
   * A probe verdict older than this is ignored: the prober stopped (or lost its
   * lease without a successor yet), and an old 'down' must not keep a recovered
   * edge out. @defaultValue 3_000
   */
  probeStaleMs?: number;
  /** Local clock, ms since the epoch (compared with the writers' heartbeatAt). @defaultValue Date.now */
  now?: () => number;
  logger?: Logger;
}

export interface EdgeRegistryViewEvents {
  join: [edge: EdgeRecord];
  update: [edge: EdgeRecord, previous: EdgeRecord];
  drain: [edge: EdgeRecord];
  leave: [edge: EdgeRecord];
  /** Gone without a leave: heartbeat too old on the local clock ('expired') or no valid record found ('missing'). */
  stale: [edge: EdgeRecord, reason: 'expired' | 'missing'];
  /** A resync failed while connected. Emitted only when someone listens; always logged. */
  error: [error: HlscdnError];
}

export interface FleetSnapshotView {
  /** Live edges sorted by id; state 'draining' when asked to drain. */
  edges: EdgeRecord[];
  /** When the view last heard from Redis (a full read or an event), on its clock; 0 if never. */
  updatedAt: number;
  /** now - updatedAt; Infinity before the first read. */
  ageMs: number;
  /** Both connections up and the last read succeeded. */
  connected: boolean;
}

export class EdgeRegistryView extends EventEmitter<EdgeRegistryViewEvents> {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly keys: RegistryKeys;
  private readonly fleet: FleetSnapshot;
  /** The prober's latest verdict per edge, from resyncs and probe events. */
  private probes = new Map<string, ProbeVerdict>();
  private readonly probeStaleMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly resyncIntervalMs: number;
  /** How far local expiry may run past the last news from Redis (expiryNow). */
  private readonly silenceMs: number;
  private readonly graceMs: number;
  private readonly startTimeoutMs: number;
  private updatedAt = 0;
  /** The last full read since the last (re)connection succeeded. */
  private synced = false;
  private graceUntil = 0;
  private started: Promise<void> | undefined;
  private running = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private resyncInFlight: Promise<void> | undefined;
  private nextResync: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Malformed keys already warned about, with a fingerprint of the bad value, so a bad key is one warning, not one per resync. */
  private readonly warned = new Map<string, string>();

  constructor(options: EdgeRegistryViewOptions) {
    super();
    this.keys = registryKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    const ttlMs = options.ttlMs ?? 3_000;
    this.fleet = new FleetSnapshot({ ttlMs });
    this.resyncIntervalMs = options.resyncIntervalMs ?? 2_000;
    // Writers heartbeat a third of the ttl apart by default: with any edge alive, news comes well within half a
    // ttl. Slower heartbeats only delay the expiry of a dead edge until the next news, they never hasten one.
    this.silenceMs = ttlMs / 2;
    this.probeStaleMs = options.probeStaleMs ?? 3_000;
    this.graceMs = options.reconnectGraceMs ?? 2 * ttlMs;
    this.startTimeoutMs = options.startTimeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'edge-registry-view' });
    const name = options.redis.name ?? 'hlscdn-registry-view';
    this.commands = openRegistryConnection(options.redis, name, this.logger);
    this.subscriber = openRegistryConnection(options.redis, `${name}:events`, this.logger);
    for (const connection of [this.commands, this.subscriber]) {
      connection.on('close', () => this.onLinkDown());
      connection.on('ready', () => this.onLinkUp());
    }
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** Connects, subscribes, then reads the whole registry; rejects ('unavailable', 'unauthorized') and closes if that fails. */
  start(): Promise<void> {
    this.started ??= this.open();
    return this.started;
  }

  snapshot(): FleetSnapshotView {
    const now = this.now();
    const connected = this.isConnected();
    return {
      edges: this.fleet
        .edges({ now: this.expiryNow(now), clock: this.clockApplies(now) })
        .map((edge) => withProbeVerdict(edge, this.probes.get(edge.id), now, this.probeStaleMs)),
      updatedAt: this.updatedAt,
      ageMs: this.updatedAt === 0 ? Number.POSITIVE_INFINITY : now - this.updatedAt,
      connected,
    };
  }

  /**
   * A full read now (the periodic one runs by itself). A call during a read
   * waits for it and then one more, so it sees Redis as of its call.
   * Rejects with an 'unavailable' or 'unauthorized' HlscdnError.
   */
  async resync(): Promise<void> {
    try {
      if (this.resyncInFlight) {
        // The running read may predate this call: wait for it, then read again (one read shared by every waiting caller).
        this.nextResync ??= this.resyncInFlight
          .catch(() => undefined)
          .then(() => {
            this.nextResync = undefined;
            return this.startRead();
          });
        return await this.nextResync;
      }
      await this.startRead();
    } catch (error) {
      throw toRedisError(error, { what: 'registry resync', target: describeTarget(this.commands) });
    }
  }

  private startRead(): Promise<void> {
    this.resyncInFlight = this.readAll().finally(() => (this.resyncInFlight = undefined));
    return this.resyncInFlight;
  }

  /** Stops timers and closes both connections; the last snapshot stays readable. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async open(): Promise<void> {
    const target = describeTarget(this.commands);
    try {
      await Promise.all([
        waitForReady(this.commands, { timeoutMs: this.startTimeoutMs, what: 'registry view start' }),
        waitForReady(this.subscriber, { timeoutMs: this.startTimeoutMs, what: 'registry view start (subscriber)' }),
      ]);
      // Subscribe before the first read: an event published during the read is then applied, not lost.
      await this.subscriber.subscribe(this.keys.events);
      await this.readAll();
    } catch (error) {
      await this.close();
      throw toRedisError(error, { what: 'registry view start', target });
    }
    this.running = true;
    this.resyncTimer = setInterval(() => this.periodicResync(), this.resyncIntervalMs);
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.resyncTimer);
    clearTimeout(this.expiryTimer);
    await Promise.all([closeRedis(this.commands), closeRedis(this.subscriber)]);
    await this.resyncInFlight?.catch(() => undefined);
  }

  private linkUp(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  private isConnected(): boolean {
    return this.closing === undefined && this.synced && this.linkUp();
  }

  /** Local expiry runs only while connected and past the reconnect grace: see FleetSnapshot's ApplyOptions. */
  private clockApplies(now: number): boolean {
    return this.isConnected() && now >= this.graceUntil;
  }

  private onLinkDown(): void {
    if (this.closing || !this.synced) return;
    this.synced = false;
    clearTimeout(this.expiryTimer);
    this.logger.warn({ edges: this.fleet.size }, 'registry view lost Redis: serving the last snapshot until it is back');
  }

  private onLinkUp(): void {
    if (!this.running || this.closing || !this.linkUp()) return;
    this.graceUntil = this.now() + this.graceMs;
    this.logger.info({ graceMs: this.graceMs }, 'registry view reconnected: resyncing');
    this.periodicResync();
  }

  private periodicResync(): void {
    // While disconnected there is nothing to read; the 'ready' handler resyncs on return.
    if (this.closing || !this.linkUp()) return;
    this.resync().catch((error: unknown) => {
      const failure = error as HlscdnError;
      this.synced = false;
      this.logger.warn({ error: failure.message, code: failure.code }, 'registry resync failed');
      if (this.listenerCount('error') > 0) this.deliver(() => this.emit('error', failure));
    });
  }

  private async readAll(): Promise<void> {
    const token = this.fleet.beginResync();
    const read = await readRegistry(this.commands, this.keys);
    this.reportMalformed(read.malformed);
    const now = this.now();
    this.synced = this.linkUp();
    this.updatedAt = now;
    this.mergeProbes(read.probes);
    const changes = this.fleet.applyResync(token, read, { now, clock: this.clockApplies(now), keepMissing: now < this.graceUntil });
    this.apply(changes);
    if (this.clockApplies(now)) this.apply(this.fleet.expire(this.expiryNow(now)));
    this.scheduleExpiry();
    if (read.prunable.length === 0) return;
    try {
      const removed = await pruneRegistry(this.commands, this.keys, read.prunable);
      if (removed > 0) this.logger.debug({ removed }, 'pruned expired edges from the registry index');
    } catch (error) {
      // Pruning is housekeeping: a reader without the permission still reads correctly.
      this.logger.debug({ error: errorMessage(error) }, 'could not prune the registry index');
    }
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.keys.events || this.closing) return;
    const parsed = parseRegistryEvent(message);
    if (!parsed.ok) {
      this.logger.warn(
        { channel, reason: parsed.error.code, detail: parsed.error.message, bytes: message.length },
        'ignoring malformed registry event',
      );
      return;
    }
    const now = this.now();
    this.updatedAt = now;
    const event = parsed.value;
    if (event.type === 'probe') {
      for (const verdict of event.verdicts) this.keepNewer(verdict);
      return;
    }
    this.apply(this.fleet.applyEvent(event, { now, clock: this.clockApplies(now) }));
    this.scheduleExpiry();
  }

  /** A resync's verdicts replace the map, except where an event already brought a newer one. */
  private mergeProbes(read: ReadonlyMap<string, ProbeVerdict>): void {
    const merged = new Map(read);
    for (const [id, mine] of this.probes) {
      const theirs = merged.get(id);
      if (theirs && mine.checkedAt > theirs.checkedAt) merged.set(id, mine);
    }
    this.probes = merged;
  }

  private keepNewer(verdict: ProbeVerdict): void {
    const known = this.probes.get(verdict.id);
    if (!known || verdict.checkedAt >= known.checkedAt) this.probes.set(verdict.id, verdict);
  }

  /** Warns once per malformed key and value (not once per resync); forgets keys that were fixed or removed. */
  private reportMalformed(malformed: RegistryRead['malformed']): void {
    const current = new Set<string>();
    for (const { key, value, error } of malformed) {
      current.add(key);
      const fingerprint = `${value.length}:${value.slice(0, 64)}`;
      if (this.warned.get(key) === fingerprint) continue;
      this.warned.set(key, fingerprint);
      this.logger.warn({ key, reason: error.code, detail: error.message, bytes: value.length }, 'ignoring malformed edge record');
    }
    for (const key of this.warned.keys()) if (!current.has(key)) this.warned.delete(key);
  }

  /** One timer at the next local expiry (not a polling sweep), so "gone within the ttl" holds to the millisecond. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const next = this.fleet.nextExpiryAt();
    if (this.closing || next === undefined || !this.isConnected()) return;
    const at = Math.max(next, this.graceUntil);
    // Past what the clock may reach without news from Redis: the next event or full read schedules again.
    if (at > this.updatedAt + this.silenceMs) return;
    this.expiryTimer = setTimeout(
      () => {
        const now = this.now();
        if (this.clockApplies(now)) this.apply(this.fleet.expire(this.expiryNow(now)));
        this.scheduleExpiry();
      },
      Math.max(0, at - this.now()),
    );
  }

  /**
   * The time local expiry judges heartbeats at: now, but no later than shortly after the last news from
   * Redis (an event, and every heartbeat publishes one, or a full read). A Redis that hangs (stopped,
   * overloaded) keeps its connections open and sends nothing; judged by the clock alone, every edge would
   * look dead one ttl later, though only the registry is, and the edges serve on. An edge that really
   * stopped still leaves on time while any other edge heartbeats, or at the next full read when it was
   * the only one.
   */
  private expiryNow(now: number): number {
    return Math.min(now, this.updatedAt + this.silenceMs);
  }

  private apply(changes: FleetChange[]): void {
    for (const change of changes) {
      this.deliver(() => {
        switch (change.type) {
          case 'join':
            return this.emit('join', change.edge);
          case 'update':
            return this.emit('update', change.edge, change.previous);
          case 'drain':
            return this.emit('drain', change.edge);
          case 'leave':
            return this.emit('leave', change.edge);
          case 'stale':
            return this.emit('stale', change.edge, change.reason);
        }
      });
    }
  }

  /** A listener that throws must not break the view or skip other changes. */
  private deliver(emit: () => unknown): void {
    try {
      emit();
    } catch (error) {
      this.logger.error({ error: errorMessage(error) }, 'registry view listener threw');
    }
  }
}
