/**
 * Unit tests of line splitting and classification: terminators are kept per line.
 */

import { describe, expect, it } from 'vitest';
import { classifyLine, countLinesUpTo, splitLines } from './line-kinds.js';

describe('splitLines', () => {
  it('keeps each line terminator as written, CRLF and LF mixed', () => {
    expect(splitLines('#EXTM3U\r\na.ts\nb.ts\r\n')).toEqual([
      { body: '#EXTM3U', eol: '\r\n', number: 1 },
      { body: 'a.ts', eol: '\n', number: 2 },
      { body: 'b.ts', eol: '\r\n', number: 3 },
    ]);
  });

  it('gives a last line without terminator an empty eol', () => {
    expect(splitLines('#EXTM3U\nseg.ts')).toEqual([
      { body: '#EXTM3U', eol: '\n', number: 1 },
      { body: 'seg.ts', eol: '', number: 2 },
    ]);
  });

  it('keeps a lone CR at the end out of the body', () => {
    expect(splitLines('#EXTM3U\nseg.ts\r')[1]).toEqual({ body: 'seg.ts', eol: '\r', number: 2 });
  });

  it('keeps blank lines, including CRLF-only ones', () => {
    expect(splitLines('a\n\n\r\nb').map((line) => [line.body, line.eol])).toEqual([
      ['a', '\n'],
      ['', '\n'],
      ['', '\r\n'],
      ['b', ''],
    ]);
  });

  it('returns no lines for empty text and round-trips any text', () => {
    expect(splitLines('')).toEqual([]);
    const text = 'x\r\n\ny\r\nz\r';
    expect(
      splitLines(text)
        .map((line) => line.body + line.eol)
        .join(''),
    ).toBe(text);
  });
});

describe('countLinesUpTo', () => {
  it('counts like splitLines and does not count an empty tail after the last LF', () => {
    expect(countLinesUpTo('a\nb\n', 10)).toBe(2);
    expect(countLinesUpTo('a\nb', 10)).toBe(2);
    expect(countLinesUpTo('', 10)).toBe(0);
  });

  it('stops once past the maximum', () => {
    expect(countLinesUpTo('a\n'.repeat(1000), 5)).toBe(6);
  });
});

describe('classifyLine', () => {
  it('tells tags, comments, blank lines and URI lines apart (RFC 8216 4.1)', () => {
    expect(classifyLine('#EXTINF:4.0,')).toEqual({ kind: 'tag', name: 'EXTINF', valueStart: 8 });
    expect(classifyLine('#EXT-X-ENDLIST')).toEqual({ kind: 'tag', name: 'EXT-X-ENDLIST' });
    expect(classifyLine('# EXT-X-KEY is not a tag here')).toEqual({ kind: 'comment' });
    expect(classifyLine('#ext-x-lower')).toEqual({ kind: 'comment' });
    expect(classifyLine('')).toEqual({ kind: 'blank' });
    expect(classifyLine(' \t ')).toEqual({ kind: 'blank' });
    expect(classifyLine('seg.ts')).toEqual({ kind: 'uri', start: 0, end: 6 });
  });

  it('locates a URI inside stray white space', () => {
    expect(classifyLine('  seg.ts\t')).toEqual({ kind: 'uri', start: 2, end: 8 });
  });

  it('splits the tag name at the first colon only', () => {
    expect(classifyLine('#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z')).toEqual({
      kind: 'tag',
      name: 'EXT-X-PROGRAM-DATE-TIME',
      valueStart: 25,
    });
  });
});
