/** The `redis` section of the configuration: how every service reaches the registry's and the task queue's Redis. */
import { z } from 'zod';
import { secretString } from '../config/secret.js';

export const redisSchema = z.object({
  /** Empty: the local stack spawns a private redis-server. */
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
    .optional(),
  username: z.string().min(1).optional(),
  password: secretString().optional(),
  /** Redis Sentinel: "host:port" entries; with sentinelName the URL's host is ignored. */
  sentinels: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).optional(),
  sentinelName: z.string().min(1).optional(),
  sentinelPassword: secretString().optional(),
  tls: z.boolean().default(false),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only')
    .default('hlscdn'),
});

export type RedisConfig = z.infer<typeof redisSchema>;
