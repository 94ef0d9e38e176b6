import { describe, expect, it } from 'vitest';
import { followingNumbers, hintedKeys, playlistKeyBeside } from './preload-hint.js';

describe('hintedKeys (RFC 8216bis 6.2.6)', () => {
  it('resolves a relative part hint against the playlist and adds the next two part numbers', () => {
    expect([...hintedKeys('live/ev/360p/index.m3u8', [{ type: 'PART', uri: 'part512.m4s' }])]).toEqual([
      'live/ev/360p/part512.m4s',
      'live/ev/360p/part513.m4s',
      'live/ev/360p/part514.m4s',
    ]);
  });

  it('resolves ../ and root-relative hints, keeps a MAP hint alone, and ignores other hosts', () => {
    const keys = hintedKeys('live/ev/360p/index.m3u8', [
      { type: 'MAP', uri: '../init_360p.mp4' },
      { type: 'PART', uri: '/other/p7.m4s?x=1' },
      { type: 'PART', uri: 'https://cdn.example/live/ev/360p/part9.m4s' },
    ]);
    expect([...keys]).toEqual(['live/ev/init_360p.mp4', 'other/p7.m4s', 'other/p8.m4s', 'other/p9.m4s']);
  });

  it('decodes percent-encoded hints into keys', () => {
    expect(hintedKeys('a b/index.m3u8', [{ type: 'MAP', uri: 'init%20x.mp4' }])).toEqual(new Set(['a b/init x.mp4']));
  });
});

describe('followingNumbers', () => {
  it('counts up the last number of the file name, keeping its width', () => {
    expect(followingNumbers('d/seg_00099.m4s', 2)).toEqual(['d/seg_00100.m4s', 'd/seg_00101.m4s']);
    expect(followingNumbers('d/part9', 1)).toEqual(['d/part10']);
    expect(followingNumbers('v2/a1b2.m4s', 1)).toEqual(['v2/a1b3.m4s']);
  });

  it('has nothing to count in a name without a number', () => {
    expect(followingNumbers('d/init.mp4', 2)).toEqual([]);
    expect(followingNumbers('d7/init.mp4', 2)).toEqual([]);
  });
});

describe('playlistKeyBeside', () => {
  it('names index.m3u8 in the same directory', () => {
    expect(playlistKeyBeside('live/ev/360p/part9.m4s')).toBe('live/ev/360p/index.m3u8');
    expect(playlistKeyBeside('part9.m4s')).toBe('index.m3u8');
  });
});
