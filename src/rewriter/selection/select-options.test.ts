import { describe, expect, it } from 'vitest';
import { resolveSelectOptions } from './select-options.js';

describe('resolveSelectOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveSelectOptions()).toEqual({ balanceFactor: 1.25, cost: 1, minCapacity: 1, zone: undefined });
  });

  it('keeps valid values, including an unbounded factor and a zero cost', () => {
    expect(resolveSelectOptions({ balanceFactor: Infinity, cost: 0, minCapacity: 0, zone: 'eu-west' })).toEqual({
      balanceFactor: Infinity,
      cost: 0,
      minCapacity: 0,
      zone: 'eu-west',
    });
    expect(resolveSelectOptions({ balanceFactor: 2 }).balanceFactor).toBe(2);
  });

  it('raises a factor below 1 to 1, since no fleet can keep every edge under its average', () => {
    expect(resolveSelectOptions({ balanceFactor: 0.5 }).balanceFactor).toBe(1);
    expect(resolveSelectOptions({ balanceFactor: -3 }).balanceFactor).toBe(1);
  });

  it('falls back to defaults for values that cannot be loads', () => {
    const resolved = resolveSelectOptions({ balanceFactor: Number.NaN, cost: -1, minCapacity: Infinity });
    expect(resolved).toMatchObject({ balanceFactor: 1.25, cost: 1, minCapacity: 1 });
    expect(resolveSelectOptions({ cost: Number.NaN, minCapacity: -2 })).toMatchObject({ cost: 1, minCapacity: 1 });
  });
});
