import { describe, expect, it } from 'vitest';

import { etagsMatchWeakly, isNotModified } from './get-conditions.js';

const meta = { etag: '"abc"', lastModified: new Date('2025-03-01T10:00:00.750Z') };

describe('isNotModified', () => {
  it('matches If-None-Match by weak comparison, any tag of the list, or *', () => {
    expect(isNotModified(meta, { ifNoneMatch: ['"abc"'] })).toBe(true);
    expect(isNotModified(meta, { ifNoneMatch: ['W/"abc"'] })).toBe(true);
    expect(isNotModified(meta, { ifNoneMatch: ['"x"', ' "abc" '] })).toBe(true);
    expect(isNotModified(meta, { ifNoneMatch: ['*'] })).toBe(true);
    expect(isNotModified(meta, { ifNoneMatch: ['"abcd"', 'abc'] })).toBe(false);
  });

  it('compares If-Modified-Since in whole seconds', () => {
    expect(isNotModified(meta, { ifModifiedSince: new Date('2025-03-01T10:00:00.000Z') })).toBe(true);
    expect(isNotModified(meta, { ifModifiedSince: new Date('2025-03-01T10:00:01Z') })).toBe(true);
    expect(isNotModified(meta, { ifModifiedSince: new Date('2025-03-01T09:59:59Z') })).toBe(false);
    expect(isNotModified(meta, { ifModifiedSince: new Date(Number.NaN) })).toBe(false);
  });

  it('ignores If-Modified-Since when If-None-Match is present, and an empty tag list', () => {
    const future = new Date('2030-01-01T00:00:00Z');
    expect(isNotModified(meta, { ifNoneMatch: ['"x"'], ifModifiedSince: future })).toBe(false);
    expect(isNotModified(meta, { ifNoneMatch: [], ifModifiedSince: future })).toBe(true);
    expect(isNotModified(meta, {})).toBe(false);
  });

  it('compares opaque tags, not their weakness', () => {
    expect(etagsMatchWeakly('W/"1"', '"1"')).toBe(true);
    expect(etagsMatchWeakly('"1"', '"2"')).toBe(false);
  });
});
