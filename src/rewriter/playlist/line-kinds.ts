/**
 * Splits playlist text into lines that remember their own terminator, and tells
 * tags, comments, blank lines and URI lines apart (RFC 8216 section 4.1).
 * Output is rebuilt as `body + eol` per line, so CRLF and LF may mix freely and a
 * missing final newline stays missing.
 */

export type LineEnding = '' | '\n' | '\r\n' | '\r';

export interface PlaylistLine {
  /** The line without its terminator. */
  body: string;
  /** The terminator exactly as written; `''` only on a last line without one. */
  eol: LineEnding;
  /** 1-based line number. */
  number: number;
}

export type LineKind =
  | { kind: 'blank' }
  | { kind: 'comment' }
  /** `valueStart` is the offset in the body just past the first `:`; absent when the tag has no value. */
  | { kind: 'tag'; name: string; valueStart?: number }
  /** `start`/`end` delimit the URI in the body, without surrounding white space. */
  | { kind: 'uri'; start: number; end: number };

/**
 * Splits on LF; a CR right before the LF belongs to the terminator. A lone CR at
 * the very end of the text is kept as that line's terminator so it never leaks
 * into a URI. Text after the last LF is a line only when it is not empty.
 */
export function splitLines(text: string): PlaylistLine[] {
  const lines: PlaylistLine[] = [];
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const end = lf === -1 ? text.length : lf;
    const hasCr = end > start && text.charCodeAt(end - 1) === 13;
    const bodyEnd = hasCr ? end - 1 : end;
    let eol: LineEnding;
    if (lf === -1) eol = hasCr ? '\r' : '';
    else eol = hasCr ? '\r\n' : '\n';
    lines.push({ body: text.slice(start, bodyEnd), eol, number: lines.length + 1 });
    start = lf === -1 ? text.length : lf + 1;
  }
  return lines;
}

/**
 * Counts lines the way {@link splitLines} does, stopping early once past `max`
 * so an oversized input costs no more than the scan up to the limit.
 */
export function countLinesUpTo(text: string, max: number): number {
  let count = 0;
  let start = 0;
  while (start < text.length && count <= max) {
    const lf = text.indexOf('\n', start);
    count += 1;
    start = lf === -1 ? text.length : lf + 1;
  }
  return count;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Classifies one line body. RFC 8216 allows no white space around elements, but
 * packagers do emit stray spaces and tabs: they are tolerated and kept in place.
 */
export function classifyLine(body: string): LineKind {
  let start = 0;
  let end = body.length;
  while (start < end && isSpace(body.charCodeAt(start))) start += 1;
  while (end > start && isSpace(body.charCodeAt(end - 1))) end -= 1;
  if (start === end) return { kind: 'blank' };
  if (body.charCodeAt(start) !== 35 /* # */) return { kind: 'uri', start, end };
  if (!body.startsWith('#EXT', start)) return { kind: 'comment' };
  const colon = body.indexOf(':', start);
  if (colon === -1) return { kind: 'tag', name: body.slice(start + 1, end) };
  return { kind: 'tag', name: body.slice(start + 1, colon), valueStart: colon + 1 };
}
