/** Tests of the BullMQ connection settings built from the task system's Redis options. */
import { describe, expect, it } from 'vitest';
import { bullConnection } from './task-queue.js';

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
