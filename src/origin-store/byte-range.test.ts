import { describe, expect, it } from 'vitest';

import { assertByteRange, checkByteRange, parseContentRange, planRangedBody, rangeHeaderFor, resolveByteRange } from './byte-range.js';

describe('checkByteRange', () => {
  it.each([{ start: 0 }, { start: 5, end: 5 }, { start: 0, end: 99 }, { suffix: 0 }, { suffix: 10 }])('accepts %j', (range) => {
    expect(checkByteRange(range)).toEqual({ ok: true, value: range });
  });

  it.each([{ start: -1 }, { start: 1.5 }, { start: 10, end: 9 }, { start: 0, end: Number.NaN }, { suffix: -3 }])('refuses %j', (range) => {
    expect(checkByteRange(range).ok).toBe(false);
    expect(() => assertByteRange(range)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});

describe('resolveByteRange', () => {
  it.each([
    [{ start: 0, end: 9 }, 100, { start: 0, end: 9 }],
    [{ start: 90 }, 100, { start: 90, end: 99 }],
    [{ start: 90, end: 500 }, 100, { start: 90, end: 99 }],
    [{ suffix: 10 }, 100, { start: 90, end: 99 }],
    [{ suffix: 500 }, 100, { start: 0, end: 99 }],
    [{ start: 99 }, 100, { start: 99, end: 99 }],
  ])('resolves %j of %i bytes to %j', (range, size, expected) => {
    expect(resolveByteRange(range, size)).toEqual(expected);
  });

  it.each([
    [{ start: 100 }, 100],
    [{ start: 0 }, 0],
    [{ suffix: 5 }, 0],
    [{ suffix: 0 }, 100],
  ])('finds %j of %i bytes unsatisfiable', (range, size) => {
    expect(resolveByteRange(range, size)).toBeUndefined();
  });
});

describe('Range and Content-Range', () => {
  it('writes the three Range forms and leaves a zero suffix out', () => {
    expect(rangeHeaderFor({ start: 1, end: 2 })).toBe('bytes=1-2');
    expect(rangeHeaderFor({ start: 7 })).toBe('bytes=7-');
    expect(rangeHeaderFor({ suffix: 30 })).toBe('bytes=-30');
    expect(rangeHeaderFor({ suffix: 0 })).toBeUndefined();
  });

  it('parses Content-Range and refuses other forms', () => {
    expect(parseContentRange('bytes 0-99/1234')).toEqual({ start: 0, end: 99, size: 1234 });
    expect(parseContentRange('bytes */1234')).toBeUndefined();
    expect(parseContentRange('bytes 9-3/10')).toBeUndefined();
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
  });
});

describe('planRangedBody', () => {
  it('serves an exact answer as it is', () => {
    expect(planRangedBody({ start: 10, end: 19 }, { start: 10, end: 19 }, 100)).toEqual({
      kind: 'serve',
      range: { start: 10, end: 19 },
      skip: 0,
    });
  });

  it('trims a wider answer, such as a whole object for bytes=0-0', () => {
    expect(planRangedBody({ start: 0, end: 0 }, { start: 0, end: 99 }, 100)).toEqual({
      kind: 'serve',
      range: { start: 0, end: 0 },
      skip: 0,
    });
    expect(planRangedBody({ start: 40, end: 49 }, undefined, 100)).toEqual({ kind: 'serve', range: { start: 40, end: 49 }, skip: 40 });
  });

  it('asks again with explicit offsets when other bytes came back (s3rver reads bytes=-5 as 0-5)', () => {
    expect(planRangedBody({ suffix: 5 }, { start: 0, end: 5 }, 100)).toEqual({ kind: 'refetch', range: { start: 95, end: 99 } });
  });

  it('reports an unsatisfiable range whatever came back', () => {
    expect(planRangedBody({ start: 0 }, { start: 0, end: 0 }, 0)).toEqual({ kind: 'unsatisfiable' });
    expect(planRangedBody({ suffix: 0 }, undefined, 100)).toEqual({ kind: 'unsatisfiable' });
  });
});
