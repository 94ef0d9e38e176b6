/** Maps the `redis` configuration section onto connection options, the same for every service. */
import type { RedisConfig } from './config.js';
import type { RedisConnectionOptions } from './redis-connection.js';

export function redisOptionsFromConfig(redis: RedisConfig & { url: string }): Omit<RedisConnectionOptions, 'name'> {
  return {
    url: redis.url,
    username: redis.username,
    password: redis.password,
    tls: redis.tls,
    ...(redis.sentinels && {
      sentinels: redis.sentinels.map((entry) => {
        const [host = '', port = '26379'] = entry.split(':');
        return { host, port: Number(port) };
      }),
      sentinelName: redis.sentinelName,
      sentinelPassword: redis.sentinelPassword,
    }),
  };
}
