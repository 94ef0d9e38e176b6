/**
 * Fills in and sanitises {@link SelectOptions}: selection runs on every playlist
 * request, so a bad knob degrades to the documented default instead of throwing.
 */
import type { SelectOptions } from './types.js';

export const DEFAULT_BALANCE_FACTOR = 1.25;
export const DEFAULT_COST = 1;
export const DEFAULT_MIN_CAPACITY = 1;

export interface ResolvedSelectOptions {
  balanceFactor: number;
  cost: number;
  minCapacity: number;
  zone: string | undefined;
}

const isNonNegativeFinite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value >= 0;

export function resolveSelectOptions(options: SelectOptions = {}): ResolvedSelectOptions {
  const factor = options.balanceFactor;
  // Infinity is meaningful (no bound); NaN is not, and anything under 1 is unreachable.
  const balanceFactor = factor === undefined || Number.isNaN(factor) ? DEFAULT_BALANCE_FACTOR : Math.max(1, factor);
  return {
    balanceFactor,
    cost: isNonNegativeFinite(options.cost) ? options.cost : DEFAULT_COST,
    minCapacity: isNonNegativeFinite(options.minCapacity) ? options.minCapacity : DEFAULT_MIN_CAPACITY,
    zone: options.zone,
  };
}
