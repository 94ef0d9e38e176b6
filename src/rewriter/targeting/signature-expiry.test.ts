import { describe, expect, it } from 'vitest';
import { signatureExpiry } from './signature-expiry.js';

describe('signatureExpiry', () => {
  it('rounds now + ttl up to the bucket, so every viewer in a bucket shares one expiry', () => {
    const options = { ttlSec: 3_600, bucketSec: 60 };
    const first = signatureExpiry(1_700_000_000_000, options);
    expect(first % 60).toBe(0);
    expect(first).toBeGreaterThanOrEqual(1_700_000_000 + 3_600);
    expect(first - (1_700_000_000 + 3_600)).toBeLessThan(60);
    expect(signatureExpiry(1_700_000_000_000 + 10_000, options)).toBe(first);
  });

  it('always leaves at least ttlSec of validity, also on a bucket boundary and within a second', () => {
    for (const nowMs of [1_699_999_980_000, 1_699_999_980_001, 1_700_000_039_999]) {
      expect(signatureExpiry(nowMs, { ttlSec: 30, bucketSec: 60 }) * 1000 - nowMs).toBeGreaterThanOrEqual(30_000);
    }
  });

  it('clamps the bucket to the ttl', () => {
    expect(signatureExpiry(1_000_000, { ttlSec: 10, bucketSec: 600 }) % 10).toBe(0);
    expect(signatureExpiry(1_000_000, { ttlSec: 10, bucketSec: 600 })).toBe(1_010);
  });
});
