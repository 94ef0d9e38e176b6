import { describe, expect, it } from 'vitest';
import { parseEdgeConfigOptions, type EdgeConfigInput } from './edge-config-schema.js';

const valid: EdgeConfigInput = {
  edgeId: 'edge-1',
  listenPort: 8080,
  statusPort: 8081,
  origins: ['http://origin-a.internal:9000', 'http://10.0.0.2:9000'],
  cacheDir: '/var/cache/hlscdn/edge-1',
  prefixDir: '/var/lib/hlscdn/edge-1',
};

function fieldsOf(input: unknown): string[] {
  const result = parseEdgeConfigOptions(input);
  return result.ok ? [] : result.error.issues.map((issue) => issue.field);
}

describe('parseEdgeConfigOptions', () => {
  it('fills the documented defaults', () => {
    const result = parseEdgeConfigOptions(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      listenHost: '0.0.0.0',
      statusHost: '127.0.0.1',
      playlistTtlSeconds: 1,
      segmentTtlSeconds: 7 * 86_400,
      lockTimeoutSeconds: 10,
      workerProcesses: 1,
      signedUrls: { enabled: false },
      accessLogPath: '/var/lib/hlscdn/edge-1/access.log',
      errorLog: 'stderr',
      originTries: 2,
      cacheMaxSize: '1g',
    });
    expect(result.value.user).toBeUndefined();
    expect(result.value.cacheMinFree).toBeUndefined();
  });

  it('normalises origins and trailing slashes of directories', () => {
    const result = parseEdgeConfigOptions({
      ...valid,
      origins: ['http://Origin.internal:9000/', 'http://[::1]:9000'],
      prefixDir: '/srv/edge/',
    });
    expect(result.ok && result.value.origins).toEqual(['http://origin.internal:9000', 'http://[::1]:9000']);
    expect(result.ok && result.value.prefixDir).toBe('/srv/edge');
  });

  it('names a bad port', () => {
    expect(fieldsOf({ ...valid, listenPort: 0 })).toEqual(['listenPort']);
    expect(fieldsOf({ ...valid, statusPort: 70_000 })).toEqual(['statusPort']);
    expect(fieldsOf({ ...valid, listenPort: 80.5 })).toEqual(['listenPort']);
  });

  it('rejects a secret that would inject config', () => {
    for (const secret of ['abcdefghijklmnop; }', 'abcdefghijklmnop"x', 'abcdefghijklmnop$uri', 'abcdefghij\nklmnop']) {
      const result = parseEdgeConfigOptions({ ...valid, signedUrls: { enabled: true, secret } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.issues.map((i) => i.field)).toContain('signedUrls.secret');
    }
  });

  it('rejects the short injected secret from the brief, naming the field in the message', () => {
    const result = parseEdgeConfigOptions({ ...valid, signedUrls: { enabled: true, secret: 'abc; }' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_edge_config');
      expect(result.error.message).toContain('signedUrls.secret');
    }
  });

  it('requires a secret only when signing is enabled', () => {
    expect(fieldsOf({ ...valid, signedUrls: { enabled: true } })).toEqual(['signedUrls.secret']);
    expect(fieldsOf({ ...valid, signedUrls: { enabled: false } })).toEqual([]);
  });

  it('rejects relative and unsafe paths', () => {
    expect(fieldsOf({ ...valid, cacheDir: 'cache' })).toEqual(['cacheDir']);
    expect(fieldsOf({ ...valid, cacheDir: '/tmp/a b' })).toEqual(['cacheDir']);
    expect(fieldsOf({ ...valid, cacheDir: '/tmp/a;b' })).toEqual(['cacheDir']);
    expect(fieldsOf({ ...valid, prefixDir: '/tmp/../etc' })).toEqual(['prefixDir']);
    expect(fieldsOf({ ...valid, accessLogPath: '/tmp/{x}' })).toEqual(['accessLogPath']);
    expect(fieldsOf({ ...valid, errorLog: 'syslog:server=x' })).toEqual(['errorLog']);
  });

  it('requires at least one origin and checks each one', () => {
    expect(fieldsOf({ ...valid, origins: [] })).toEqual(['origins']);
    expect(
      fieldsOf({
        ...valid,
        origins: ['http://ok:1', 'https://tls:443', 'http://a/prefix', 'http://u:p@h', 'not a url'],
      }),
    ).toEqual(['origins[1]', 'origins[2]', 'origins[3]', 'origins[4]']);
  });

  it('keeps the status listener on loopback', () => {
    expect(fieldsOf({ ...valid, statusHost: '0.0.0.0' })).toEqual(['statusHost']);
    expect(fieldsOf({ ...valid, statusHost: '::1' })).toEqual([]);
    expect(fieldsOf({ ...valid, statusPort: 8080 })).toEqual(['statusPort']);
  });

  it('rejects sizes nginx would refuse', () => {
    expect(fieldsOf({ ...valid, keysZoneSize: '1g' })).toEqual(['keysZoneSize']);
    expect(fieldsOf({ ...valid, cacheMaxSize: '10 g' })).toEqual(['cacheMaxSize']);
    expect(fieldsOf({ ...valid, cacheMinFree: '5g' })).toEqual([]);
  });

  it('rejects unknown options and unsafe identifiers', () => {
    expect(fieldsOf({ ...valid, playlistTTL: 2 })).toEqual(['playlistTTL']);
    expect(fieldsOf({ ...valid, edgeId: 'edge"1' })).toEqual(['edgeId']);
    expect(fieldsOf({ ...valid, user: 'root;' })).toEqual(['user']);
    expect(fieldsOf({ ...valid, listenHost: '0.0.0.0;' })).toEqual(['listenHost']);
  });

  it('names every bad field at once', () => {
    const result = parseEdgeConfigOptions({
      ...valid,
      listenPort: -1,
      origins: [],
      cacheDir: 'relative/cache',
      signedUrls: { enabled: true, secret: 'abc; }' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.error.issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['listenPort', 'origins', 'cacheDir', 'signedUrls.secret']));
    for (const field of ['listenPort', 'origins', 'cacheDir', 'signedUrls.secret']) {
      expect(result.error.message).toContain(field);
    }
  });

  it('never throws on junk input', () => {
    expect(parseEdgeConfigOptions(undefined).ok).toBe(false);
    expect(parseEdgeConfigOptions('x').ok).toBe(false);
    expect(fieldsOf({})).toEqual(expect.arrayContaining(['edgeId', 'listenPort', 'origins', 'cacheDir', 'prefixDir']));
  });
});
