import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHlscdnError } from '../errors.js';
import { createLogger } from '../logger.js';
import { findFreePort, startRedisServer, waitUntil, type RunningRedisServer } from '../process/index.js';
import { createRedisConnection, redisOptionsFor } from './redis-connection.js';
import { redisErrorCode, toRedisError } from './redis-errors.js';
import { closeRedis, waitForReady } from './wait-for-ready.js';

function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe('redisOptionsFor', () => {
  it('fails fast while disconnected and reconnects forever with capped backoff', () => {
    const options = redisOptionsFor({ url: 'redis://127.0.0.1:6379', name: 'svc', reconnect: { baseDelayMs: 100, maxDelayMs: 2_000 } });
    expect(options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'svc', commandTimeout: 5_000 });
    const delays = Array.from({ length: 60 }, (_, i) => options.retryStrategy!(i + 1));
    for (const delay of delays) {
      expect(typeof delay).toBe('number');
      expect(delay as number).toBeGreaterThanOrEqual(50);
      expect(delay as number).toBeLessThanOrEqual(2_000);
    }
    // Late attempts sit near the cap (half jitter): no tight reconnect loop during a long outage.
    expect(Math.min(...(delays.slice(10) as number[]))).toBeGreaterThanOrEqual(1_000);
  });

  it('turns on TLS for rediss:// and maps sentinel settings', () => {
    expect(redisOptionsFor({ url: 'rediss://cache.example.net:6380', name: 'svc' }).tls).toEqual({});
    expect(redisOptionsFor({ url: 'redis://cache.example.net:6380', name: 'svc' }).tls).toBeUndefined();
    const sentinel = redisOptionsFor({
      url: 'redis://:pw@ignored:1',
      name: 'svc',
      sentinels: [{ host: 's1', port: 26379 }],
      sentinelName: 'registry',
      sentinelPassword: 'spw',
      tls: true,
    });
    expect(sentinel).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'registry',
      sentinelPassword: 'spw',
      enableTLSForSentinelMode: true,
    });
  });

  it('reconnects on READONLY (a demoted master after failover) and not on other replies', () => {
    const reconnectOnError = redisOptionsFor({ url: 'redis://h:1', name: 'svc' }).reconnectOnError!;
    expect(reconnectOnError(new Error("READONLY You can't write against a read only replica."))).toBeTruthy();
    expect(reconnectOnError(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBeFalsy();
  });
});

describe('redisErrorCode', () => {
  it.each([
    ['WRONGPASS invalid username-password pair or user is disabled.', 'unauthorized'],
    ['NOAUTH Authentication required.', 'unauthorized'],
    ['NOPERM this user has no permissions to access one of the keys used as arguments', 'unauthorized'],
    ["Stream isn't writeable and enableOfflineQueue options is false", 'unavailable'],
    ['connect ECONNREFUSED 127.0.0.1:1', 'unavailable'],
    ['Command timed out', 'unavailable'],
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'internal'],
  ])('maps "%s" to %s', (message, code) => {
    expect(redisErrorCode(new Error(message))).toBe(code);
  });

  it('finds an ACL refusal inside an aborted transaction, and keeps the password out of the cause', () => {
    const aborted = Object.assign(new Error('EXECABORT Transaction discarded because of previous errors.'), {
      previousErrors: [new Error('NOPERM this user has no permissions to access one of the keys')],
      command: { name: 'auth', args: ['user', 'secret-pw'] },
    });
    const error = toRedisError(aborted, { what: 'heartbeat of edge-1', target: '127.0.0.1:6379' });
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('NOPERM');
    expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause as object))).not.toContain('secret-pw');
  });
});

describe('createRedisConnection against a real redis-server', () => {
  let dir: string;
  let open: RunningRedisServer;
  let locked: RunningRedisServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hlscdn-redis-conn-'));
    [open, locked] = await Promise.all([
      startRedisServer({ dir: join(dir, 'open') }),
      startRedisServer({ dir: join(dir, 'locked'), password: 'right-password' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the client in CLIENT LIST', async () => {
    const redis = createRedisConnection({ url: open.url, name: 'hlscdn-test-named', lazyConnect: true });
    await waitForReady(redis);
    expect(await redis.client('LIST')).toContain('name=hlscdn-test-named');
    await closeRedis(redis);
    await closeRedis(redis);
    expect(redis.status).toBe('end');
  });

  it('fails a command at once while Redis is unreachable, logs the error once, and never throws it', async () => {
    const { logger, lines } = captureLogs();
    const port = await findFreePort();
    const redis = createRedisConnection({
      url: `redis://127.0.0.1:${port}`,
      name: 'hlscdn-test-down',
      logger,
      reconnect: { baseDelayMs: 20, maxDelayMs: 40 },
    });
    await waitUntil(() => lines.filter((l) => l.msg === 'redis connection error (repeated)').length >= 2, {
      what: 'several failed reconnects',
    });
    const started = Date.now();
    const error = await redis.get('anything').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(200);
    expect(redisErrorCode(error)).toBe('unavailable');
    const warnings = lines.filter((l) => l.msg === 'redis connection error');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, redis: 'hlscdn-test-down' });
    expect(String(warnings[0]?.error)).toContain('ECONNREFUSED');
    await closeRedis(redis);
  });

  it('reports refused credentials as unauthorized without waiting for the timeout', async () => {
    const url = `redis://127.0.0.1:${locked.port}`;
    const redis = createRedisConnection({ url, password: 'wrong-password', name: 'hlscdn-test-wrong', lazyConnect: true });
    const started = Date.now();
    const error = await waitForReady(redis, { timeoutMs: 5_000, what: 'test connect' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isHlscdnError(error, 'unauthorized')).toBe(true);
    expect((error as Error).message).toMatch(/test connect failed at Redis 127\.0\.0\.1:\d+: Redis refused the credentials/);
    expect((error as Error).message).not.toContain('wrong-password');
    await closeRedis(redis);

    const good = createRedisConnection({ url, password: 'right-password', name: 'hlscdn-test-right', lazyConnect: true });
    await waitForReady(good);
    expect(await good.ping()).toBe('PONG');
    await closeRedis(good);
  });

  it('says "unavailable" when no connection comes within the timeout', async () => {
    const port = await findFreePort();
    const redis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    const error = await waitForReady(redis, { timeoutMs: 300, what: 'test connect' }).catch((e: unknown) => e);
    expect(isHlscdnError(error, 'unavailable')).toBe(true);
    redis.disconnect();
  });
});
