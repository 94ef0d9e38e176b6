/** Tests of the RFC 8216 6.2.2 grace period and the deletion schedule. */
import { describe, it, expect } from 'vitest';
import { ExpirySchedule, gracePeriodMs } from './expiry-schedule.js';
import { initStoreName, joinKey, segmentNumber } from './store-names.js';

describe('gracePeriodMs', () => {
  it('is the segment duration plus the playlist duration', () => {
    expect(gracePeriodMs(2, 30)).toBe(32_000);
    expect(gracePeriodMs(0.84, 4.0001)).toBe(4841);
  });
});

describe('ExpirySchedule', () => {
  it('hands out keys once they are due, earliest first, and only once', () => {
    const schedule = new ExpirySchedule();
    schedule.add('b', 2_000);
    schedule.add('a', 1_000);
    schedule.add('c', 5_000);
    expect(schedule.takeDue(999)).toEqual([]);
    expect(schedule.takeDue(2_000)).toEqual(['a', 'b']);
    expect(schedule.takeDue(2_000)).toEqual([]);
    expect([schedule.size, schedule.has('c')]).toEqual([1, true]);
  });

  it('keeps the later time for a key scheduled twice', () => {
    const schedule = new ExpirySchedule();
    schedule.add('a', 3_000);
    schedule.add('a', 1_000);
    expect(schedule.takeDue(2_000)).toEqual([]);
    expect(schedule.takeDue(3_000)).toEqual(['a']);
  });
});

describe('store names', () => {
  it('reads segment numbers from file names only', () => {
    expect([
      segmentNumber('seg_00042.ts'),
      segmentNumber('seg_123456.m4s'),
      segmentNumber('seg_00042.ts.tmp'),
      segmentNumber('init_a.mp4'),
    ]).toEqual([42, 123456, undefined, undefined]);
  });

  it('gives restarted runs their own init segment name', () => {
    expect([initStoreName('init_720p.mp4', 0), initStoreName('init_720p.mp4', 57)]).toEqual(['init_720p.mp4', 'init_720p_s57.mp4']);
  });

  it('joins keys with single slashes', () => {
    expect(joinKey('/live/abc/', '720p', 'seg.ts')).toBe('live/abc/720p/seg.ts');
    expect(joinKey('', '720p', 'index.m3u8')).toBe('720p/index.m3u8');
  });
});
