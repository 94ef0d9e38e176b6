/**
 * A leader lease in Redis, so that several instances of a service can run and
 * only one acts (the autoscaler, the edge prober).
 * Acquire is `SET <key> <holder> NX PX ttl`; the leader renews every
 * third of the ttl with a compare-and-extend script and releases with a
 * compare-and-delete on close. A leader that dies stops renewing: its key expires
 * and a follower, which retries every renew interval, takes over within about
 * ttl + renewIntervalMs. A graceful close hands over within one renew interval.
 *
 * Safety does not rely on Redis telling the old leader it lost: `isLeader` is
 * checked against the local monotonic clock. The lease counts from the moment the
 * SET or renew was *sent* (Redis starts its ttl later than that), minus a 10%
 * margin for clocks running at slightly different rates, so the old leader stops
 * acting before Redis can let anyone else in.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { errorMessage, HlscdnError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { createRedisConnection, describeTarget, type RedisConnectionOptions } from './redis-connection.js';
import { toRedisError } from './redis-errors.js';
import { closeRedis, waitForReady } from './wait-for-ready.js';
import { RELEASE_LEASE_SCRIPT, RENEW_LEASE_SCRIPT } from './lease-scripts.js';

/** Connection settings of the lease; `name` @defaultValue 'hlscdn-lease' */
export type LeaseRedisOptions = Omit<RedisConnectionOptions, 'name' | 'lazyConnect' | 'logger'> & { name?: string };

export interface LeaderLeaseOptions {
  redis: LeaseRedisOptions;
  /** The lease's key, built by its owner's key module (e.g. `<p>:autoscaler:leader`). */
  key: string;
  /** @defaultValue 10_000 */
  ttlMs?: number;
  /** How often the leader renews and followers try to acquire. @defaultValue ttlMs / 3 */
  renewIntervalMs?: number;
  /** Who this instance is, as stored in the key and shown in /status. @defaultValue `<hostname>:<pid>:<random>` */
  holderId?: string;
  /** start() fails if Redis cannot be reached within this. @defaultValue 5_000 */
  startTimeoutMs?: number;
  /** Monotonic clock, ms. @defaultValue performance.now */
  clock?: () => number;
  logger?: Logger;
}

export type LeaseRole = 'leader' | 'follower';

/** Why an instance is (or became) a follower. */
export type FollowerReason = 'held-by-another' | 'lost' | 'expired' | 'unavailable' | 'closed';

export interface LeaderLeaseEvents {
  leader: [info: { holderId: string }];
  follower: [info: { holderId: string; leader: string | undefined; reason: FollowerReason }];
}

/** Fraction of the ttl the leader gives up locally, for clock rate differences between hosts. */
const CLOCK_MARGIN = 0.1;

export class LeaderLease extends EventEmitter<LeaderLeaseEvents> {
  readonly holderId: string;
  readonly ttlMs: number;
  readonly renewIntervalMs: number;
  private readonly redis: Redis;
  private readonly key: string;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly startTimeoutMs: number;
  private currentRole: LeaseRole | undefined;
  private validUntil = 0;
  private leaderSeen: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failing = false;
  private started: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: LeaderLeaseOptions) {
    super();
    this.ttlMs = options.ttlMs ?? 10_000;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 100)
      throw new HlscdnError('invalid-config', `lease ttlMs must be an integer >= 100, got ${this.ttlMs}`);
    this.renewIntervalMs = options.renewIntervalMs ?? Math.floor(this.ttlMs / 3);
    if (this.renewIntervalMs <= 0 || this.renewIntervalMs >= this.ttlMs * (1 - CLOCK_MARGIN)) {
      throw new HlscdnError(
        'invalid-config',
        `lease renewIntervalMs must be > 0 and well under the ttl (${this.ttlMs} ms), got ${this.renewIntervalMs}`,
      );
    }
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.key = options.key;
    this.clock = options.clock ?? (() => performance.now());
    this.startTimeoutMs = options.startTimeoutMs ?? 5_000;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'leader-lease', holder: this.holderId });
    this.redis = createRedisConnection({
      ...options.redis,
      name: options.redis.name ?? 'hlscdn-lease',
      lazyConnect: true,
      logger: this.logger,
    });
  }

  /** True while this instance holds a lease that is still valid on the local clock. */
  get isLeader(): boolean {
    return this.currentRole === 'leader' && this.clock() < this.validUntil;
  }

  /** 'leader', 'follower', or undefined before the first attempt. */
  get role(): LeaseRole | undefined {
    return this.isLeader ? 'leader' : this.currentRole === undefined ? undefined : 'follower';
  }

  /** The leader's holder id as last seen (this instance's own when leading). */
  get leader(): string | undefined {
    return this.isLeader ? this.holderId : this.leaderSeen;
  }

  /** Connects, makes the first attempt (so `role` is known when this resolves), then keeps trying/renewing. Rejects if Redis is unreachable. */
  start(): Promise<void> {
    this.started ??= this.open();
    return this.started;
  }

  /** Stops renewing and releases the lease if held, so a follower takes over at its next attempt. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async open(): Promise<void> {
    try {
      await waitForReady(this.redis, { timeoutMs: this.startTimeoutMs, what: 'leader lease start' });
    } catch (error) {
      await closeRedis(this.redis);
      throw error;
    }
    await this.attempt();
    this.schedule();
  }

  private schedule(): void {
    if (this.closing) return;
    this.timer = setTimeout(() => {
      void this.attempt().finally(() => this.schedule());
    }, this.renewIntervalMs);
  }

  /** One acquire-or-renew; concurrent calls share the one in flight. */
  private attempt(): Promise<void> {
    this.inFlight ??= this.doAttempt().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async doAttempt(): Promise<void> {
    if (this.closing) return;
    if (this.currentRole === 'leader' && this.clock() >= this.validUntil) this.becomeFollower('expired', undefined);
    const sentAt = this.clock();
    try {
      if (this.currentRole === 'leader') {
        if ((await this.renew()) === 1) return this.extend(sentAt);
        return this.becomeFollower('lost', await this.readLeader());
      }
      const acquired = await this.redis.set(this.key, this.holderId, 'PX', this.ttlMs, 'NX');
      // Not free, but maybe still ours (a renewal failed in a blip and the local lease ran out first).
      if (acquired === 'OK' || (await this.renew()) === 1) {
        this.extend(sentAt);
        return this.becomeLeader();
      }
      this.becomeFollower('held-by-another', await this.readLeader());
      this.recovered();
    } catch (error) {
      const failure = toRedisError(error, { what: 'leader lease', target: describeTarget(this.redis) });
      if (!this.failing)
        this.logger.warn({ error: failure.message, code: failure.code }, 'leader lease: Redis unreachable, retrying every renew interval');
      this.failing = true;
      // A leader keeps its role while the lease it already has is valid; it steps down when that runs out.
      if (this.currentRole !== 'leader') this.becomeFollower('unavailable', this.leaderSeen);
      else if (this.clock() >= this.validUntil) this.becomeFollower('expired', undefined);
    }
  }

  private async renew(): Promise<number> {
    return Number(await this.redis.eval(RENEW_LEASE_SCRIPT, 1, this.key, this.holderId, String(this.ttlMs)));
  }

  private async readLeader(): Promise<string | undefined> {
    return (await this.redis.get(this.key)) ?? undefined;
  }

  private extend(sentAt: number): void {
    this.validUntil = sentAt + this.ttlMs * (1 - CLOCK_MARGIN);
    this.recovered();
  }

  private recovered(): void {
    if (this.failing) this.logger.info('leader lease: Redis reachable again');
    this.failing = false;
  }

  private becomeLeader(): void {
    this.leaderSeen = this.holderId;
    if (this.currentRole === 'leader') return;
    this.currentRole = 'leader';
    this.logger.info({ ttlMs: this.ttlMs }, 'became the leader');
    this.deliver(() => this.emit('leader', { holderId: this.holderId }));
  }

  private becomeFollower(reason: FollowerReason, leader: string | undefined): void {
    this.leaderSeen = leader;
    if (this.currentRole === 'follower') return;
    const wasLeader = this.currentRole === 'leader';
    this.currentRole = 'follower';
    this.validUntil = 0;
    if (wasLeader) this.logger.warn({ reason, leader }, 'no longer the leader');
    else this.logger.info({ reason, leader }, 'following');
    this.deliver(() => this.emit('follower', { holderId: this.holderId, leader, reason }));
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.inFlight;
    if (this.currentRole === 'leader') {
      try {
        await this.redis.eval(RELEASE_LEASE_SCRIPT, 1, this.key, this.holderId);
        this.logger.info('released the leader lease');
      } catch (error) {
        // It will expire by itself within the ttl.
        this.logger.warn({ error: errorMessage(error) }, 'could not release the leader lease; it expires within its ttl');
      }
    }
    if (this.currentRole !== undefined) this.becomeFollower('closed', undefined);
    await closeRedis(this.redis);
  }

  /** A listener that throws must not break the lease. */
  private deliver(emit: () => unknown): void {
    try {
      emit();
    } catch (error) {
      this.logger.error({ error: errorMessage(error) }, 'leader lease listener threw');
    }
  }
}
