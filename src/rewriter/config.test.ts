import { describe, expect, it } from 'vitest';
import { rewriterSchema } from './config.js';

describe('rewriterSchema', () => {
  it('fills every default from an empty section', () => {
    const config = rewriterSchema.parse({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      originUrl: 'http://127.0.0.1:8080',
      mode: 'absolute',
      balanceFactor: 1.25,
      maxSnapshotAgeMs: 10_000,
      zoneHeader: 'x-hlscdn-zone',
      cache: { masterMaxAgeSec: 5, vodMaxAgeSec: 30, maxEntries: 10_000, maxMiB: 64 },
    });
    expect(config.publicOriginUrl).toBeUndefined();
    expect(config.fallbackBaseUrl).toBeUndefined();
  });

  it('lower-cases the zone header, as Node delivers header names', () => {
    expect(rewriterSchema.parse({ zoneHeader: 'X-Viewer-Zone' }).zoneHeader).toBe('x-viewer-zone');
  });

  it('refuses an unknown mode, a balance factor under 1, a non-http origin and a header name with spaces', () => {
    for (const bad of [{ mode: 'proxy' }, { balanceFactor: 0.9 }, { originUrl: 'ftp://origin/' }, { zoneHeader: 'x zone' }]) {
      expect(rewriterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
