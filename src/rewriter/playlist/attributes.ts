/**
 * Scans an attribute list (RFC 8216 section 4.2) and reports where each value sits,
 * so the rewriter can replace one value and leave every other byte alone.
 * Quoted strings may hold commas (CODECS="avc1.64001f,mp4a.40.2"), so a plain
 * split on ',' is wrong.
 */

import { playlistError, type PlaylistError, type Result } from './errors.js';

export interface AttributeSpan {
  name: string;
  /** Offset of the first character of the value; for a quoted value, just inside the opening quote. */
  valueStart: number;
  /** Offset just past the value; for a quoted value, the position of the closing quote. */
  valueEnd: number;
  quoted: boolean;
}

export interface ScanAttributesOptions {
  /** Line number to put into errors. */
  line?: number;
  /**
   * Where the attribute list starts in `text`.
   * @defaultValue 0
   */
  from?: number;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/**
 * Scans `text` from `options.from` to its end. White space around names and after
 * commas, and a trailing comma, are tolerated because packagers emit them; an
 * unterminated quote, a missing `=`, or text after a closing quote are errors.
 */
export function scanAttributes(text: string, options: ScanAttributesOptions = {}): Result<AttributeSpan[], PlaylistError> {
  const spans: AttributeSpan[] = [];
  const fail = (message: string): Result<AttributeSpan[], PlaylistError> => ({
    ok: false,
    error: playlistError('malformed', message, options.line),
  });
  let i = skipSpaces(text, options.from ?? 0);
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const comma = text.indexOf(',', i);
    if (eq === -1 || (comma !== -1 && comma < eq)) {
      return fail(`attribute without "=" at column ${i + 1}`);
    }
    const name = text.slice(i, eq).trim();
    if (name === '') return fail(`attribute without a name at column ${i + 1}`);
    let next: number;
    if (text.charCodeAt(eq + 1) === 34 /* " */) {
      const close = text.indexOf('"', eq + 2);
      if (close === -1) return fail(`unterminated quoted string in attribute ${name}`);
      spans.push({ name, valueStart: eq + 2, valueEnd: close, quoted: true });
      next = skipSpaces(text, close + 1);
      if (next < text.length && text.charCodeAt(next) !== 44 /* , */) {
        return fail(`unexpected text after the quoted value of attribute ${name}`);
      }
    } else {
      const valueEnd = comma === -1 ? text.length : comma;
      let trimmedEnd = valueEnd;
      while (trimmedEnd > eq + 1 && isSpace(text.charCodeAt(trimmedEnd - 1))) trimmedEnd -= 1;
      spans.push({ name, valueStart: eq + 1, valueEnd: trimmedEnd, quoted: false });
      next = valueEnd;
    }
    i = next < text.length ? skipSpaces(text, next + 1) : next;
  }
  return { ok: true, value: spans };
}

/** True when a scanned list has an attribute of that name. */
export function hasAttribute(spans: readonly AttributeSpan[], name: string): boolean {
  return spans.some((span) => span.name === name);
}
