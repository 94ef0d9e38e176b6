import { describe, expect, it } from 'vitest';
import type { PlaylistFacts } from '../playlist/index.js';
import {
  fetchTtlMs,
  originFreshnessMs,
  parseCacheControl,
  parseDeltaSeconds,
  playlistReuseMs,
  responseAgeSec,
  viewerCacheControl,
} from './cache-policy.js';

const policy = { masterMaxAgeSec: 5, vodMaxAgeSec: 30 };
const master: PlaylistFacts = { kind: 'master', endList: false, segmentCount: 0, totalDuration: 0 };
const live = (targetDuration?: number, extra: Partial<PlaylistFacts> = {}): PlaylistFacts => ({
  kind: 'media',
  endList: false,
  segmentCount: 3,
  totalDuration: 18,
  ...(targetDuration !== undefined && { targetDuration }),
  ...extra,
});

describe('playlistReuseMs', () => {
  it('reuses live media for half a target duration, LL-HLS for half a part target', () => {
    expect(playlistReuseMs(live(6), policy)).toBe(3_000);
    expect(playlistReuseMs(live(4, { partTargetDuration: 1 }), policy)).toBe(500);
    expect(playlistReuseMs(live(undefined), policy)).toBe(1_000);
  });

  it('uses the policy for masters and finished playlists (ENDLIST or PLAYLIST-TYPE VOD)', () => {
    expect(playlistReuseMs(master, policy)).toBe(5_000);
    expect(playlistReuseMs(live(6, { endList: true }), policy)).toBe(30_000);
    expect(playlistReuseMs(live(6, { playlistType: 'VOD' }), policy)).toBe(30_000);
  });
});

describe('origin headers', () => {
  it('parses directives case-insensitively, with quoted values', () => {
    const directives = parseCacheControl('Public, MAX-AGE="7", no-transform');
    expect([...directives]).toEqual([
      ['public', undefined],
      ['max-age', '7'],
      ['no-transform', undefined],
    ]);
  });

  it('reads delta-seconds strictly', () => {
    expect([
      parseDeltaSeconds('12'),
      parseDeltaSeconds(' 3 '),
      parseDeltaSeconds('-1'),
      parseDeltaSeconds('1.5'),
      parseDeltaSeconds(null),
    ]).toEqual([12, 3, undefined, undefined, undefined]);
  });

  it('gives the freshness left: s-maxage over max-age, minus Age; nothing when silent; 0 when a shared cache may not store', () => {
    expect(originFreshnessMs('public, max-age=10', 4)).toBe(6_000);
    expect(originFreshnessMs('max-age=10, s-maxage=2', undefined)).toBe(2_000);
    expect(originFreshnessMs('max-age=1', 5)).toBe(0);
    expect(originFreshnessMs(undefined, 3)).toBeUndefined();
    expect(originFreshnessMs('public', undefined)).toBeUndefined();
    for (const value of ['no-store', 'no-cache', 'private, max-age=60']) expect(originFreshnessMs(value, undefined)).toBe(0);
  });

  it('never reuses longer than the origin allows, nor longer than the playlist warrants', () => {
    expect(fetchTtlMs(live(6, { endList: true }), { policy, cacheControl: 'public, max-age=1', ageSec: undefined })).toBe(1_000);
    expect(fetchTtlMs(live(2), { policy, cacheControl: 'public, max-age=60', ageSec: undefined })).toBe(1_000);
    expect(fetchTtlMs(master, { policy, cacheControl: null, ageSec: undefined })).toBe(5_000);
  });
});

describe('viewerCacheControl', () => {
  const plain = { policy, fallback: false };

  it('tells viewers half a target duration for live media (at least 1 s, 1 s for LL-HLS)', () => {
    expect(viewerCacheControl(live(6), plain)).toBe('public, max-age=3');
    expect(viewerCacheControl(live(1), plain)).toBe('public, max-age=1');
    expect(viewerCacheControl(live(4, { partTargetDuration: 1 }), plain)).toBe('public, max-age=1');
  });

  it('uses the policy for VOD and masters', () => {
    expect(viewerCacheControl(live(6, { endList: true }), plain)).toBe('public, max-age=30');
    expect(viewerCacheControl(master, plain)).toBe('public, max-age=5');
  });

  it('keeps cached copies within half the signature lifetime, and short while falling back', () => {
    expect(viewerCacheControl(live(6, { endList: true }), { ...plain, signingTtlSec: 20 })).toBe('public, max-age=10');
    expect(viewerCacheControl(live(6, { endList: true }), { policy, fallback: true })).toBe('public, max-age=1');
    expect(viewerCacheControl(master, { policy: { ...policy, masterMaxAgeSec: 0 }, fallback: false })).toBe('no-cache');
  });
});

describe('responseAgeSec', () => {
  it('adds the whole seconds spent in the rewriter to the origin Age', () => {
    expect(responseAgeSec({ originAgeSec: 3, fetchedAt: 10_000, now: 12_500 })).toBe(5);
    expect(responseAgeSec({ originAgeSec: undefined, fetchedAt: 10_000, now: 11_000 })).toBe(1);
  });

  it('says nothing for a fresh copy without an upstream Age, but passes an upstream Age of 0', () => {
    expect(responseAgeSec({ originAgeSec: undefined, fetchedAt: 10_000, now: 10_900 })).toBeUndefined();
    expect(responseAgeSec({ originAgeSec: 0, fetchedAt: 10_000, now: 10_000 })).toBe(0);
  });
});
