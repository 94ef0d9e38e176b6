/**
 * Parses a Range request header (RFC 9110 14.1.2) into the store's ByteRange.
 * Only single byte ranges are served; a multi-range or unparseable header is
 * ignored and the whole object is sent, which the RFC allows (14.2).
 */
import type { ByteRange } from '../object-store.js';

export function parseRangeHeader(header: string | undefined): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return { suffix: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  if (end < start) return undefined;
  return { start, end };
}
