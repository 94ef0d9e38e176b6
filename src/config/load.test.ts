import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHlscdnError } from '../core/errors.js';
import { listConfigLeaves } from '../core/config/index.js';
import { loadConfig, redactConfig } from './load.js';
import { configSchema } from './schema.js';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isHlscdnError(error, 'invalid-config')) return error.message;
    throw error;
  }
  throw new Error('expected an invalid-config error');
}

describe('loadConfig', () => {
  it('gives loopback-only defaults with no input', () => {
    const config = loadConfig({ env: {} });
    expect(config.origin).toEqual({
      host: '127.0.0.1',
      port: 8080,
      corsOrigin: '*',
      lowLatency: { pollIntervalMs: 50, maxWaiters: 10_000 },
    });
    expect(config.store.url).toBe('file:./data/store');
    expect(config.store.s3.checksum).toBe('WHEN_SUPPORTED');
    expect(config.api.token).toBeUndefined();
  });

  it('reads environment variables named after the schema paths, converting numbers and booleans', () => {
    const config = loadConfig({
      env: {
        HLSCDN_ORIGIN_PORT: '9000',
        HLSCDN_STORE_S3_FORCE_PATH_STYLE: 'true',
        HLSCDN_STORE_URL: 's3://b/p',
        REDIS_URL: 'redis://127.0.0.1:6380',
      },
    });
    expect(config.origin.port).toBe(9000);
    expect(config.store.s3.forcePathStyle).toBe(true);
    expect(config.store.url).toBe('s3://b/p');
    expect(config.redis.url).toBe('redis://127.0.0.1:6380');
  });

  it('layers defaults < file < env < overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hlscdn-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ origin: { port: 7000, host: '0.0.0.0' }, log: { level: 'debug' } }));
    const config = loadConfig({ env: { HLSCDN_CONFIG: file, HLSCDN_ORIGIN_PORT: '7001' }, overrides: { log: { level: 'warn' } } });
    expect(config.origin).toMatchObject({ port: 7001, host: '0.0.0.0' });
    expect(config.log.level).toBe('warn');
  });

  it('splits comma-separated lists', () => {
    const config = loadConfig({ env: { HLSCDN_EDGE_ORIGINS: 'http://127.0.0.1:8080, http://127.0.0.1:8082' } });
    expect(config.edge.origins).toEqual(['http://127.0.0.1:8080', 'http://127.0.0.1:8082']);
  });

  it('reads secrets from <VAR>_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hlscdn-config-'));
    writeFileSync(join(dir, 'token'), 's3cret-token\n');
    const config = loadConfig({ env: { HLSCDN_API_TOKEN_FILE: join(dir, 'token') } });
    expect(config.api.token).toBe('s3cret-token');
  });

  it('refuses invalid input with one message naming every bad field and its variable', () => {
    const message = configError(() =>
      loadConfig({
        env: { HLSCDN_ORIGIN_PORT: 'eighty', HLSCDN_STORE_S3_FORCE_PATH_STYLE: 'maybe', HLSCDN_LOG_LEVEL: 'loud', REDIS_URL: 'http://x' },
      }),
    );
    expect(message).toContain('origin.port (HLSCDN_ORIGIN_PORT)');
    expect(message).toContain('store.s3.forcePathStyle (HLSCDN_STORE_S3_FORCE_PATH_STYLE)');
    expect(message).toContain('log.level (HLSCDN_LOG_LEVEL)');
    expect(message).toContain('redis.url (HLSCDN_REDIS_URL): expected a redis:// or rediss:// URL');
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(4);
  });

  it('reports an unreadable config file and an unreadable secret file', () => {
    const message = configError(() =>
      loadConfig({ env: { HLSCDN_CONFIG: '/nonexistent/c.json', HLSCDN_API_TOKEN_FILE: '/nonexistent/t' } }),
    );
    expect(message).toContain('config file /nonexistent/c.json');
    expect(message).toContain('api.token (HLSCDN_API_TOKEN_FILE)');
  });
});

describe('redactConfig', () => {
  it('hides secret fields and passwords inside URLs, keeps the rest', () => {
    const config = loadConfig({
      env: {
        HLSCDN_API_TOKEN: 'T0KEN-X',
        HLSCDN_STORE_S3_SECRET_ACCESS_KEY: 'SK-X',
        HLSCDN_REDIS_URL: 'redis://u:PW-X@127.0.0.1:6379/0',
        HLSCDN_REDIS_PASSWORD: 'PW2-X',
      },
    });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of ['T0KEN-X', 'SK-X', 'PW-X', 'PW2-X']) expect(text).not.toContain(secret);
    expect(text).toContain('redis://u:%5Bredacted%5D@127.0.0.1:6379/0');
    expect(text).toContain('"port":8080');
  });

  it('knows which leaves are secret from the schema', () => {
    const secrets = listConfigLeaves(configSchema)
      .filter((l) => l.secret)
      .map((l) => l.env);
    expect(secrets.sort()).toEqual([
      'HLSCDN_ACCESS_PREVIOUS_SECRETS',
      'HLSCDN_ACCESS_SECRET',
      'HLSCDN_API_TOKEN',
      'HLSCDN_REDIS_PASSWORD',
      'HLSCDN_REDIS_SENTINEL_PASSWORD',
      'HLSCDN_SIGNING_SECRET',
      'HLSCDN_STORE_S3_SECRET_ACCESS_KEY',
      'HLSCDN_STORE_S3_SESSION_TOKEN',
      'HLSCDN_TRANSCODER_HOOKS_SRS_STREAM_KEYS',
    ]);
  });
});
