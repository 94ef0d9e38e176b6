/**
 * The write side of the edge registry: an edge's agent registers and
 * heartbeats its record, deregisters on shutdown; the autoscaler asks edges to
 * drain. Each operation is one atomic step (MULTI, or a documented Lua script),
 * so a reader never sees a record without its index entry or half an update.
 */
import type { Redis } from 'ioredis';
import { HlscdnError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { describeTarget, redisErrorCode, toRedisError, waitForReady, closeRedis } from '../core/redis/index.js';
import { checkSize, edgeIdSchema, MAX_RECORD_BYTES, validateEdgeRecord, type EdgeRecord } from './edge-record.js';
import { DEFAULT_KEY_PREFIX, registryKeys, type RegistryKeys } from './keys.js';
import { openRegistryConnection, type RegistryRedisOptions } from './registry-connection.js';
import { encodeRegistryEvent } from './registry-events.js';
import { probeVerdictSchema, type ProbeVerdict } from './probe-verdict.js';
import { REQUEST_DRAIN_SCRIPT } from './registry-scripts.js';

export interface EdgeRegistryWriterOptions {
  /** Where the registry lives. `name` @defaultValue 'hlscdn-registry-writer' */
  redis: RegistryRedisOptions;
  /** @defaultValue 'hlscdn' (the `redis.keyPrefix` setting) */
  keyPrefix?: string;
  /**
   * Lifetime of a record without a new heartbeat: an edge that stops heartbeating
   * is gone from every view after this long. Heartbeat at least twice per ttl.
   * @defaultValue 3_000
   */
  ttlMs?: number;
  /**
   * How long a call waits for a lost connection to come back before failing
   * 'unavailable'. Keep it under the heartbeat interval so calls do not pile up.
   * @defaultValue 1_000
   */
  readyTimeoutMs?: number;
  /** Clock for the `at` of leave and drain events. @defaultValue Date.now */
  now?: () => number;
  logger?: Logger;
}

export interface HeartbeatResult {
  /** The autoscaler asked this edge to drain: stop taking new viewers, then deregister. */
  drainRequested: boolean;
}

export class EdgeRegistryWriter {
  private readonly redis: Redis;
  private readonly keys: RegistryKeys;
  private readonly ttlMs: number;
  private readonly readyTimeoutMs: number;
  private readonly now: () => number;
  private lastConnectionError: unknown;
  private closing: Promise<void> | undefined;

  constructor(options: EdgeRegistryWriterOptions) {
    this.keys = registryKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.ttlMs = options.ttlMs ?? 3_000;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 100)
      throw new HlscdnError('invalid-config', `ttlMs must be an integer >= 100, got ${this.ttlMs}`);
    this.readyTimeoutMs = options.readyTimeoutMs ?? 1_000;
    this.now = options.now ?? Date.now;
    const logger = options.logger ?? silentLogger();
    this.redis = openRegistryConnection(options.redis, options.redis.name ?? 'hlscdn-registry-writer', logger);
    // Remembered so a call made while reconnecting can say why (a refused password) rather than only "not connected".
    this.redis.on('error', (error: unknown) => (this.lastConnectionError = error));
    this.redis.on('ready', () => (this.lastConnectionError = undefined));
  }

  /** First record of an edge: written like a heartbeat, announced as a join. */
  register(record: EdgeRecord): Promise<HeartbeatResult> {
    return this.write('join', record);
  }

  /**
   * Refreshes the record and its ttl, in one MULTI: SET PX, ZADD to the index,
   * SISMEMBER of the drain set (the answer), PUBLISH. After a Redis restart the
   * first heartbeat that gets through registers the edge again.
   */
  heartbeat(record: EdgeRecord): Promise<HeartbeatResult> {
    return this.write('heartbeat', record);
  }

  /** Removes the edge at once (record, index entry, drain mark) and announces it. */
  async deregister(id: string): Promise<{ removed: boolean }> {
    const what = `deregister of edge ${describeId(id)}`;
    this.checkId(id, what);
    const event = encodeRegistryEvent({ v: 1, type: 'leave', id, at: this.now() });
    const replies = await this.exec(what, (multi) =>
      multi.del(this.keys.record(id)).zrem(this.keys.index, id).srem(this.keys.draining, id).publish(this.keys.events, event),
    );
    return { removed: replies[0] === 1 };
  }

  /**
   * Asks a live edge to drain: its next heartbeat answers `drainRequested` and
   * views show it 'draining'. An id without a live record is 'not-found'
   * (checked atomically with the write, see REQUEST_DRAIN_SCRIPT).
   */
  async requestDrain(id: string): Promise<{ alreadyRequested: boolean }> {
    const what = `drain request for edge ${describeId(id)}`;
    this.checkId(id, what);
    await this.ready(what);
    const event = encodeRegistryEvent({ v: 1, type: 'drain', id, at: this.now() });
    let reply: unknown;
    try {
      reply = await this.redis.eval(REQUEST_DRAIN_SCRIPT, 2, this.keys.record(id), this.keys.draining, id, this.keys.events, event);
    } catch (error) {
      throw toRedisError(error, { what, target: describeTarget(this.redis) });
    }
    if (reply === -1)
      throw new HlscdnError('not-found', `cannot drain edge ${describeId(id)}: it is not registered (no live record)`, { details: { id } });
    return { alreadyRequested: reply === 0 };
  }

  /**
   * Stores the prober's verdicts (one hash field each) and announces them, in
   * one MULTI; `forget` removes the verdicts of edges that left. Events carry at
   * most 64 verdicts each, so a large fleet's refresh is several messages.
   */
  async publishProbeVerdicts(verdicts: readonly ProbeVerdict[], forget: readonly string[] = []): Promise<void> {
    const what = 'probe verdicts';
    for (const verdict of verdicts) {
      const valid = probeVerdictSchema.safeParse(verdict);
      if (!valid.success)
        throw new HlscdnError('invalid-input', `${what} refused, nothing written: ${valid.error.issues[0]?.message ?? 'invalid'}`);
    }
    for (const id of forget) this.checkId(id, what);
    if (verdicts.length === 0 && forget.length === 0) return;
    await this.exec(what, (multi) => {
      if (verdicts.length > 0) multi.hset(this.keys.probes, Object.fromEntries(verdicts.map((v) => [v.id, JSON.stringify(v)])));
      if (forget.length > 0) multi.hdel(this.keys.probes, ...forget);
      for (let i = 0; i < verdicts.length; i += 64) {
        multi.publish(this.keys.events, encodeRegistryEvent({ v: 1, type: 'probe', verdicts: verdicts.slice(i, i + 64) }));
      }
      return multi;
    });
  }

  /** Closes the connection; records stay until they expire (call deregister first to leave at once). Idempotent. */
  close(): Promise<void> {
    this.closing ??= closeRedis(this.redis);
    return this.closing;
  }

  private async write(type: 'join' | 'heartbeat', input: EdgeRecord): Promise<HeartbeatResult> {
    const what = `${type === 'join' ? 'register' : 'heartbeat'} of edge ${describeId((input as { id?: unknown } | null)?.id)}`;
    const valid = validateEdgeRecord(input);
    if (!valid.ok) throw new HlscdnError('invalid-input', `${what} refused, nothing written: ${valid.error.message}`);
    const record = valid.value;
    const json = JSON.stringify(record);
    const tooLarge = checkSize(json, MAX_RECORD_BYTES);
    if (tooLarge) throw new HlscdnError('invalid-input', `${what} refused, nothing written: ${tooLarge.message}`);
    const event = encodeRegistryEvent({ v: 1, type, record });
    const replies = await this.exec(what, (multi) =>
      multi
        .set(this.keys.record(record.id), json, 'PX', this.ttlMs)
        .zadd(this.keys.index, record.heartbeatAt, record.id)
        .sismember(this.keys.draining, record.id)
        .publish(this.keys.events, event),
    );
    return { drainRequested: replies[2] === 1 };
  }

  /** Runs one MULTI/EXEC and returns its replies; any failed command fails the call. */
  private async exec(what: string, build: (multi: ReturnType<Redis['multi']>) => ReturnType<Redis['multi']>): Promise<unknown[]> {
    await this.ready(what);
    const target = describeTarget(this.redis);
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await build(this.redis.multi()).exec();
    } catch (error) {
      throw toRedisError(error, { what, target });
    }
    if (!replies) throw new HlscdnError('internal', `${what}: the transaction was discarded at Redis ${target}`);
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw toRedisError(failed[0], { what, target });
    return replies.map(([, value]) => value);
  }

  private async ready(what: string): Promise<void> {
    if (this.closing) throw new HlscdnError('unavailable', `${what}: the registry writer is closed`);
    if (this.redis.status === 'ready') return;
    try {
      await waitForReady(this.redis, { timeoutMs: this.readyTimeoutMs, what });
    } catch (error) {
      const known = this.lastConnectionError;
      if (known !== undefined && redisErrorCode(known) === 'unauthorized')
        throw toRedisError(known, { what, target: describeTarget(this.redis) });
      throw error;
    }
  }

  private checkId(id: string, what: string): void {
    if (!edgeIdSchema.safeParse(id).success)
      throw new HlscdnError('invalid-input', `${what} refused: the id must match [a-z0-9][a-z0-9._-]{0,62}`);
  }
}

/** A possibly invalid id, quoted and cut, for messages: never trust its type, length or characters. */
function describeId(id: unknown): string {
  return typeof id === 'string' ? JSON.stringify(id.slice(0, 64)) : '(no id)';
}
