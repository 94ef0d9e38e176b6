import { describe, expect, it } from 'vitest';
import { partRequestKey } from './part-key.js';

describe('partRequestKey', () => {
  it('keys a part by its path, whatever the query', () => {
    expect(partRequestKey('/live/360p/part7.m4s')).toBe('/live/360p/part7.m4s');
    expect(partRequestKey('/live/360p/part7.m4s?md5=abc&expires=1')).toBe('/live/360p/part7.m4s');
    expect(partRequestKey('/live/360p/part7.m4s?md5=xyz')).toBe(partRequestKey('/live/360p/part7.m4s'));
  });

  it('refuses targets that are not origin-form', () => {
    expect(partRequestKey('http://origin/live/part1.m4s')).toBeUndefined();
    expect(partRequestKey('*')).toBeUndefined();
    expect(partRequestKey('')).toBeUndefined();
  });
});
