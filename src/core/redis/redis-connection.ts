/**
 * The one way hlscdn services open a Redis connection: ioredis with defaults for
 * long-running services (reconnect forever with capped, jittered backoff; fail
 * commands fast while Redis is away instead of queueing them), a client name
 * that shows in CLIENT LIST, and connection errors logged instead of thrown.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { retryDelayMs, type RetryPolicy } from '../retry.js';
import { silentLogger, type Logger } from '../logger.js';

export interface RedisConnectionOptions {
  /**
   * `redis://[user:password@]host:port[/db]` or `rediss://...` (TLS). With
   * `sentinels` the host and port are ignored; credentials and db still apply
   * to the master.
   */
  url: string;
  /** ACL user; overrides the URL's. */
  username?: string;
  /** Overrides the URL's. Never logged. */
  password?: string;
  /** Client name, shown by CLIENT LIST and in logs, e.g. "hlscdn-edge-agent:edge-1". */
  name: string;
  /** Sentinel addresses: when given, the master is found through them (and again after a failover). */
  sentinels?: Array<{ host: string; port: number }>;
  /** Master group name the sentinels monitor. @defaultValue 'mymaster' */
  sentinelName?: string;
  /** Credentials of the sentinels themselves, when they require AUTH (Redis 6+ sentinel ACLs). */
  sentinelUsername?: string;
  sentinelPassword?: string;
  /** TLS to Redis (and to the sentinels). @defaultValue true for rediss:// URLs, else false */
  tls?: boolean;
  /**
   * Do not connect until `connect()` (or `waitForReady`) is called.
   * @defaultValue false
   */
  lazyConnect?: boolean;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /**
   * Reconnect backoff: exponential from `baseDelayMs`, capped at `maxDelayMs`, with
   * half jitter so a fleet of agents does not reconnect in lockstep after an outage.
   * @defaultValue `{ baseDelayMs: 100, maxDelayMs: 2_000 }`
   */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
  /** A command without a reply after this long fails (a half-open TCP link never closes by itself). @defaultValue 5_000 */
  commandTimeoutMs?: number;
  /** @defaultValue 5_000 */
  connectTimeoutMs?: number;
  /**
   * Queue commands issued while disconnected and send them on reconnect. Off by
   * default: a service's periodic work (a heartbeat, a resync) must fail at once
   * and be redone fresh on the next tick, not pile up stale copies that all
   * arrive after the outage.
   * @defaultValue false
   */
  offlineQueue?: boolean;
  /**
   * How many reconnections a command already sent may wait through before it is
   * rejected. 1 rides out a single blip (a Sentinel failover closes the link
   * once) without leaving callers hanging through a long outage.
   * @defaultValue 1
   */
  maxRetriesPerRequest?: number;
}

const DEFAULT_RECONNECT = { baseDelayMs: 100, maxDelayMs: 2_000 };

/** The ioredis options behind `createRedisConnection` (exported so tests can check the defaults). */
export function redisOptionsFor(options: RedisConnectionOptions): RedisOptions {
  const tls = options.tls ?? options.url.startsWith('rediss://');
  const policy: RetryPolicy = {
    maxAttempts: Number.POSITIVE_INFINITY,
    baseDelayMs: options.reconnect?.baseDelayMs ?? DEFAULT_RECONNECT.baseDelayMs,
    maxDelayMs: options.reconnect?.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
    jitter: 0.5,
  };
  const redisOptions: RedisOptions = {
    connectionName: options.name,
    lazyConnect: options.lazyConnect ?? false,
    // A service never gives up on Redis: it keeps serving what it has and reconnects.
    retryStrategy: (attempt) => retryDelayMs(policy, attempt),
    enableOfflineQueue: options.offlineQueue ?? false,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    keepAlive: 10_000,
    // After a failover the old master answers writes with READONLY while the
    // connection stays open; reconnecting (through the sentinels) reaches the new
    // master. The failed command is not resent: callers redo periodic work anyway.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  if (options.username !== undefined) redisOptions.username = options.username;
  if (options.password !== undefined) redisOptions.password = options.password;
  if (tls) redisOptions.tls = {};
  if (options.sentinels && options.sentinels.length > 0) {
    redisOptions.sentinels = options.sentinels.map(({ host, port }) => ({ host, port }));
    redisOptions.name = options.sentinelName ?? 'mymaster';
    if (options.sentinelUsername !== undefined) redisOptions.sentinelUsername = options.sentinelUsername;
    if (options.sentinelPassword !== undefined) redisOptions.sentinelPassword = options.sentinelPassword;
    if (tls) {
      redisOptions.enableTLSForSentinelMode = true;
      redisOptions.sentinelTLS = {};
    }
  }
  return redisOptions;
}

/**
 * Opens a connection. Connection failures never surface as an unhandled
 * 'error' event: they are logged (once per distinct message until the link is
 * ready again, so an outage is not a log line per retry) and the client keeps
 * reconnecting. With the offline queue off, await `waitForReady()` before the
 * first command.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const logger = (options.logger ?? silentLogger()).child({ redis: options.name });
  const redis = new Redis(options.url, redisOptionsFor(options));
  const seen = new Set<string>();
  redis.on('error', (error: Error) => {
    // Only the message and code: ioredis errors carry the failed command's
    // arguments, which for AUTH include the password.
    const fields = { error: error.message, code: (error as { code?: unknown }).code };
    if (seen.has(error.message)) {
      logger.debug(fields, 'redis connection error (repeated)');
      return;
    }
    seen.add(error.message);
    logger.warn(fields, 'redis connection error');
  });
  redis.on('ready', () => {
    if (seen.size > 0) logger.info('redis connection ready again');
    seen.clear();
  });
  redis.on('reconnecting', (delayMs: number) => logger.debug({ delayMs }, 'redis reconnecting'));
  return redis;
}

/** "host:port" (or the sentinel group) of a connection, for messages; never the URL, which may hold a password. */
export function describeTarget(redis: Redis): string {
  const { sentinels, name, host, port } = redis.options;
  if (sentinels && sentinels.length > 0) return `sentinel group "${name ?? 'mymaster'}"`;
  return `${host ?? 'localhost'}:${port ?? 6379}`;
}
