/**
 * Unit tests of the attribute-list scanner: quoted commas, offsets, tolerated noise, errors.
 */

import { describe, expect, it } from 'vitest';
import { hasAttribute, scanAttributes, type AttributeSpan } from './attributes.js';

function values(text: string, from = 0): [string, string, boolean][] {
  const result = scanAttributes(text, { from });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.map((span: AttributeSpan) => [span.name, text.slice(span.valueStart, span.valueEnd), span.quoted]);
}

describe('scanAttributes', () => {
  it('keeps commas inside quoted strings (RFC 8216 4.2)', () => {
    expect(values('BANDWIDTH=1280000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720')).toEqual([
      ['BANDWIDTH', '1280000', false],
      ['CODECS', 'avc1.64001f,mp4a.40.2', true],
      ['RESOLUTION', '1280x720', false],
    ]);
  });

  it('reports offsets that point into the scanned text', () => {
    const line = '#EXT-X-MAP:URI="init.mp4",BYTERANGE="720@0"';
    const result = scanAttributes(line, { from: 11 });
    expect(result.ok && result.value[0]).toEqual({ name: 'URI', valueStart: 16, valueEnd: 24, quoted: true });
    expect(line.slice(16, 24)).toBe('init.mp4');
  });

  it('keeps "=" and spaces inside quoted values', () => {
    expect(values('URI="a.ts?x=1&y=2",NAME="Hello, World = yes"')).toEqual([
      ['URI', 'a.ts?x=1&y=2', true],
      ['NAME', 'Hello, World = yes', true],
    ]);
  });

  it('tolerates spaces after commas, a trailing comma and an empty list', () => {
    expect(values('A=1, B="x" ,C=2,')).toEqual([
      ['A', '1', false],
      ['B', 'x', true],
      ['C', '2', false],
    ]);
    expect(values('')).toEqual([]);
  });

  it('accepts an empty quoted value', () => {
    expect(values('URI=""')).toEqual([['URI', '', true]]);
  });

  it('returns malformed errors with the line for broken lists', () => {
    for (const broken of ['URI="never closed', 'NOEQUALS,A=1', '=1', 'URI="a"junk,B=1']) {
      const result = scanAttributes(broken, { line: 7 });
      expect(result.ok, broken).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('malformed');
        expect(result.error.line).toBe(7);
      }
    }
  });
});

describe('hasAttribute', () => {
  it('matches names exactly', () => {
    const result = scanAttributes('PATHWAY-IDX="a",BANDWIDTH=1');
    expect(result.ok && hasAttribute(result.value, 'PATHWAY-ID')).toBe(false);
    expect(result.ok && hasAttribute(result.value, 'BANDWIDTH')).toBe(true);
  });
});
