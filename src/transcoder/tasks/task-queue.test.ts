/** Tests of the BullMQ connection settings built from the task system's Redis options, and of Redis being away. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer } from 'node:net';
import { waitUntil } from '../../core/process/index.js';
import { silentLogger } from '../../core/logger.js';
import { taskKeys } from './task-keys.js';
import { bullConnection, TaskQueue } from './task-queue.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A port nothing listens on: bound for a moment, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('TaskQueue without Redis', () => {
  it('reports the outage through its logger, not as stack traces on stderr, and still closes', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logger = silentLogger();
    const warn = vi.spyOn(logger, 'warn');
    const queue = new TaskQueue({ redis: { url: `redis://127.0.0.1:${await closedPort()}` }, keys: taskKeys(), logger });
    try {
      await waitUntil(() => warn.mock.calls.length > 0, { timeoutMs: 5_000, what: 'the outage warning' });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![1])).toContain('cannot reach Redis');
      expect(printed).not.toHaveBeenCalled();
    } finally {
      await queue.close();
    }
  });
});

describe('bullConnection', () => {
  it('carries credentials, TLS and Sentinel settings like every other connection', () => {
    const connection = bullConnection(
      {
        url: 'rediss://redis.internal:6379',
        username: 'tasks',
        password: 'pw',
        sentinels: [{ host: 's1', port: 26379 }],
        sentinelName: 'main',
        sentinelPassword: 'spw',
      },
      'hlscdn-transcoder-queue',
    ) as Record<string, unknown>;
    expect(connection).toMatchObject({
      url: 'rediss://redis.internal:6379',
      username: 'tasks',
      password: 'pw',
      tls: {},
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'main',
      sentinelPassword: 'spw',
      enableTLSForSentinelMode: true,
      connectionName: 'hlscdn-transcoder-queue',
      enableOfflineQueue: true,
    });
  });

  it('adds nothing for a plain URL', () => {
    expect(bullConnection({ url: 'redis://127.0.0.1:6379' }, 'q')).toEqual({
      url: 'redis://127.0.0.1:6379',
      connectionName: 'q',
      enableOfflineQueue: true,
    });
  });
});
