import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('returns a value until its expiry, and still lets peek see it after', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 4 });
    cache.set('a', 1, 1_000);
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.peek('a')).toBe(1);
  });

  it('evicts the oldest inserted entry beyond the entry bound; a re-set key counts as new', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1, Infinity);
    cache.set('b', 2, Infinity);
    cache.set('a', 3, Infinity);
    cache.set('c', 4, Infinity);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([3, undefined, 4]);
  });

  it('evicts by total weight, keeps the newest entry even when it alone is over, and tracks the weight', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 100, maxWeight: 10, weigh: (text) => text.length });
    cache.set('a', 'xxxx', Infinity);
    cache.set('b', 'yyyy', Infinity);
    expect(cache.weight).toBe(8);
    cache.set('c', 'zzzz', Infinity);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([undefined, 'yyyy', 'zzzz']);
    cache.set('d', 'w'.repeat(50), Infinity);
    expect([cache.size, cache.weight, cache.peek('d')?.length]).toEqual([1, 50, 50]);
    cache.delete('d');
    expect(cache.weight).toBe(0);
  });

  it('refuses an entry bound below one', () => {
    expect(() => new BoundedCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
