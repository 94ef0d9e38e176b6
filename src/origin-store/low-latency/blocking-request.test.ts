import { describe, expect, it } from 'vitest';
import {
  advancePartLimit,
  blockingTimeoutMs,
  decideBlocking,
  hasDeliveryDirectives,
  isSatisfied,
  readDeliveryDirectives,
  type BlockingDecision,
} from './blocking-request.js';
import { readPlaylistProgress, type PlaylistProgress } from './playlist-progress.js';
import { livePlaylist, type LivePlaylistOptions } from './test-support/live-playlist.js';

function progressOf(options: LivePlaylistOptions = {}): PlaylistProgress {
  const result = readPlaylistProgress(livePlaylist(options));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function decide(query: string, options: LivePlaylistOptions = {}): BlockingDecision {
  return decideBlocking(progressOf(options), readDeliveryDirectives(new URLSearchParams(query)).blocking);
}

describe('readDeliveryDirectives', () => {
  it('reads _HLS_msn, _HLS_part and _HLS_skip', () => {
    expect(readDeliveryDirectives(new URLSearchParams('_HLS_msn=106&_HLS_part=3&_HLS_skip=YES'))).toEqual({
      blocking: { ok: true, value: { msn: 106, part: 3 } },
      skip: 'YES',
    });
    expect(readDeliveryDirectives(new URLSearchParams('_HLS_msn=0&_HLS_skip=v2'))).toEqual({
      blocking: { ok: true, value: { msn: 0 } },
      skip: 'v2',
    });
    expect(readDeliveryDirectives(new URLSearchParams('token=abc'))).toEqual({ blocking: { ok: true, value: undefined }, skip: undefined });
  });

  it('ignores an _HLS_skip value it does not know', () => {
    expect(readDeliveryDirectives(new URLSearchParams('_HLS_skip=yes')).skip).toBeUndefined();
  });

  it.each([
    ['_HLS_part=2', 'part-without-msn'],
    ['_HLS_msn=-1', 'invalid-directive'],
    ['_HLS_msn=1.5', 'invalid-directive'],
    ['_HLS_msn=abc', 'invalid-directive'],
    ['_HLS_msn=', 'invalid-directive'],
    ['_HLS_msn=99999999999999999999', 'invalid-directive'],
    ['_HLS_msn=5&_HLS_part=-2', 'invalid-directive'],
    ['_HLS_msn=5&_HLS_part=x', 'invalid-directive'],
    ['_HLS_msn=5&_HLS_msn=6', 'invalid-directive'],
  ])('refuses %s with %s', (query, code) => {
    const { blocking } = readDeliveryDirectives(new URLSearchParams(query));
    expect(blocking.ok).toBe(false);
    if (!blocking.ok) expect(blocking.error.code).toBe(code);
  });

  it('tells whether a query has any directive', () => {
    expect(hasDeliveryDirectives(new URLSearchParams('_HLS_skip=YES'))).toBe(true);
    expect(hasDeliveryDirectives(new URLSearchParams('hls_msn=1&token=x'))).toBe(false);
  });
});

describe('decideBlocking (RFC 8216bis 6.2.5.2)', () => {
  // Segments 100..105 complete, 106 in progress with parts 0 and 1.
  it('holds requests up to two segments past the last complete one and refuses beyond', () => {
    expect(decide('_HLS_msn=107')).toEqual({ kind: 'block', request: { msn: 107 } });
    expect(decide('_HLS_msn=108')).toMatchObject({ kind: 'reject', problem: { code: 'too-far-ahead' } });
    expect(decide('_HLS_msn=50')).toEqual({ kind: 'block', request: { msn: 50 } });
  });

  it('refuses a part beyond the Advance Part Limit (3 / PART-TARGET when under a second)', () => {
    expect(advancePartLimit(0.4)).toBe(7.5);
    expect(advancePartLimit(1.5)).toBe(3);
    // Last listed part: 106/1. 106/8 is 7 parts ahead, 106/9 is 8.
    expect(decide('_HLS_msn=106&_HLS_part=8')).toMatchObject({ kind: 'block' });
    expect(decide('_HLS_msn=106&_HLS_part=9')).toMatchObject({ kind: 'reject', problem: { code: 'too-far-ahead' } });
    // In a later segment a part is at least part + 1 ahead.
    expect(decide('_HLS_msn=107&_HLS_part=6')).toMatchObject({ kind: 'block' });
    expect(decide('_HLS_msn=107&_HLS_part=7')).toMatchObject({ kind: 'reject' });
  });

  it('refuses malformed directives and _HLS_part without _HLS_msn', () => {
    expect(decide('_HLS_part=1')).toMatchObject({ kind: 'reject', problem: { code: 'part-without-msn' } });
    expect(decide('_HLS_msn=x')).toMatchObject({ kind: 'reject', problem: { code: 'invalid-directive' } });
  });

  it('ignores every directive on a playlist without CAN-BLOCK-RELOAD=YES or with EXT-X-ENDLIST', () => {
    expect(decide('_HLS_msn=999', { serverControl: 'CAN-SKIP-UNTIL=12' })).toEqual({ kind: 'ignore' });
    expect(decide('_HLS_part=1', { serverControl: 'CAN-BLOCK-RELOAD=NO' })).toEqual({ kind: 'ignore' });
    expect(decide('_HLS_msn=999', { endList: true })).toEqual({ kind: 'ignore' });
    expect(decide('_HLS_skip=YES')).toEqual({ kind: 'ignore' });
  });
});

describe('isSatisfied', () => {
  const progress = progressOf(); // 100..105 complete (103..105 list 5 parts), 106 in progress with parts 0..1

  it('wants a complete segment for _HLS_msn alone', () => {
    expect(isSatisfied(progress, { msn: 105 })).toBe(true);
    expect(isSatisfied(progress, { msn: 106 })).toBe(false);
    expect(isSatisfied(progress, { msn: 12 })).toBe(true);
  });

  it('wants the part itself in the segment in progress', () => {
    expect(isSatisfied(progress, { msn: 106, part: 1 })).toBe(true);
    expect(isSatisfied(progress, { msn: 106, part: 2 })).toBe(false);
    expect(isSatisfied(progress, { msn: 107, part: 0 })).toBe(false);
  });

  it('reads a part past the last one of a complete segment as part 0 of the next (6.2.5.2)', () => {
    const closed = progressOf({ partsInProgress: 0 }); // 105 complete with parts 0..4, nothing of 106 yet
    expect(isSatisfied(closed, { msn: 105, part: 4 })).toBe(true);
    expect(isSatisfied(closed, { msn: 105, part: 5 })).toBe(false);
    expect(isSatisfied(closed, { msn: 105, part: 40 })).toBe(false);
    expect(isSatisfied(progress, { msn: 105, part: 5 })).toBe(true);
    expect(isSatisfied(progress, { msn: 104, part: 9 })).toBe(true);
  });

  it('counts any part of a complete segment whose parts are no longer listed as there', () => {
    expect(isSatisfied(progress, { msn: 101, part: 3 })).toBe(true);
  });

  it('times out after three target durations', () => {
    expect(blockingTimeoutMs(progress)).toBe(6_000);
  });
});
