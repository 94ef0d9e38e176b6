/** Tests of the two-level filtergraph escaping. */
import { describe, it, expect } from 'vitest';
import { escapeFilterGraph, escapeFilterOption, filterValue } from './filter-escape.js';

describe('filtergraph escaping', () => {
  it('escapes option separators and quotes at the first level', () => {
    expect(escapeFilterOption("C:\\fonts\\a'b.ttf")).toBe("C\\:\\\\fonts\\\\a\\'b.ttf");
  });

  it('escapes graph separators at the second level', () => {
    expect(escapeFilterGraph('a,b;c[d]e')).toBe('a\\,b\\;c\\[d\\]e');
  });

  it('applies both levels in order (ffmpeg-filters "Notes on filtergraph escaping")', () => {
    // The manual's example, one level deeper: ' becomes \' then \\\'; : becomes \: then \\:.
    expect(filterValue("a 'string': one, two")).toBe("a \\\\\\'string\\\\\\'\\\\: one\\, two");
  });

  it('leaves ordinary paths alone', () => {
    expect(filterValue('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf')).toBe('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf');
  });
});
