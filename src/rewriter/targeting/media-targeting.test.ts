import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { appendSignature } from '../../edge/index.js';
import { EdgePlacements } from './edge-placements.js';
import { fleetState } from './fleet.js';
import type { MediaObject } from './media-target.js';
import { MediaTargeting, type MediaTargetingConfig } from './media-targeting.js';
import { signatureExpiry } from './signature-expiry.js';

const records = [edgeRecord('edge-a', { url: 'http://127.0.0.1:8101' }), edgeRecord('edge-b', { url: 'http://127.0.0.1:8102' })];
const fleet = fleetState({ edges: records, ageMs: 0, connected: true }, { maxSnapshotAgeMs: 10_000 });
const config: MediaTargetingConfig = {
  balanceFactor: 1.25,
  quietEdgeRequestsPerSec: 20,
  originUrl: 'http://origin.internal:8080',
  publicOriginUrl: 'https://origin.example.com',
  fallbackBaseUrl: undefined,
  signatureBucketSec: 60,
};
const object: MediaObject = { rewriterPath: '/live/seg1.ts', originPath: '/live/seg1.ts', search: '' };
const stale = { usable: false, reason: 'registry-stale' } as const;

describe('MediaTargeting', () => {
  it('falls back to the backup base, else the public origin, else the origin', () => {
    const fallbackOf = (overrides: Partial<MediaTargetingConfig>) =>
      new MediaTargeting({ config: { ...config, ...overrides }, signing: undefined }).targeterFor({
        fleet: stale,
        zone: undefined,
        expiresAt: undefined,
      })(object).url;
    expect(fallbackOf({ fallbackBaseUrl: 'https://backup.example.net' })).toBe('https://backup.example.net/live/seg1.ts');
    expect(fallbackOf({})).toBe('https://origin.example.com/live/seg1.ts');
    expect(fallbackOf({ publicOriginUrl: undefined })).toBe('http://origin.internal:8080/live/seg1.ts');
  });

  it('signs only with a secret, with the bucketed expiry it hands out', () => {
    expect(new MediaTargeting({ config, signing: { ttlSec: 600 } }).signatureExpiresAt(1_000_000)).toBeUndefined();
    const signing = { secret: 's3cret', ttlSec: 600 };
    const targeting = new MediaTargeting({ config, signing });
    const expiresAt = targeting.signatureExpiresAt(1_000_000);
    expect(expiresAt).toBe(signatureExpiry(1_000_000, { ttlSec: 600, bucketSec: 60 }));
    const target = targeting.targeterFor({ fleet: stale, zone: undefined, expiresAt })(object);
    expect(target.url).toBe(
      appendSignature(new URL('https://origin.example.com/live/seg1.ts'), { expiresAt: expiresAt!, secret: 's3cret' }).href,
    );
    expect(targeting.targeterFor({ fleet: stale, zone: undefined, expiresAt: undefined })(object).url).toBe(
      'https://origin.example.com/live/seg1.ts',
    );
  });

  it('shares one placement memory between all its targeters', () => {
    const placements = new EdgePlacements();
    const targeting = new MediaTargeting({ config, signing: undefined, placements });
    const first = targeting.targeterFor({ fleet, zone: undefined, expiresAt: undefined })(object);
    expect(placements.size).toBe(1);
    const again = targeting.targeterFor({ fleet, zone: undefined, expiresAt: undefined })(object);
    expect(again).toEqual(first);
  });

  it('pins to a steering pathway edge', () => {
    const targeting = new MediaTargeting({ config, signing: undefined });
    for (const edgeId of ['edge-a', 'edge-b']) {
      expect(targeting.targeterFor({ fleet, zone: undefined, pinnedEdgeId: edgeId, expiresAt: undefined })(object)).toMatchObject({
        edgeId,
      });
    }
  });
});
