import { describe, expect, it } from 'vitest';
import { OriginPool } from './origin-pool.js';

describe('OriginPool', () => {
  it('tries the primary first, then the backups, up to tries', () => {
    const pool = new OriginPool({ origins: ['http://a', 'http://b', 'http://c'] });
    expect(pool.plan()).toEqual(['http://a', 'http://b', 'http://c']);
    expect(new OriginPool({ origins: ['http://a', 'http://b', 'http://c'], tries: 2 }).plan()).toEqual(['http://a', 'http://b']);
  });

  it('puts an origin that failed last until its fail timeout ends, as nginx max_fails=1 does', () => {
    let now = 0;
    const pool = new OriginPool({ origins: ['http://a', 'http://b'], failTimeoutMs: 10_000, now: () => now });
    pool.markFailed('http://a');
    expect(pool.plan()).toEqual(['http://b', 'http://a']);
    now = 10_000;
    expect(pool.plan()).toEqual(['http://a', 'http://b']);
    pool.markFailed('http://a');
    pool.markHealthy('http://a');
    expect(pool.plan()).toEqual(['http://a', 'http://b']);
  });

  it('still tries failed origins when every origin failed', () => {
    const pool = new OriginPool({ origins: ['http://a'], now: () => 0 });
    pool.markFailed('http://a');
    expect(pool.plan()).toEqual(['http://a']);
    expect(() => new OriginPool({ origins: [] })).toThrow();
  });
});
