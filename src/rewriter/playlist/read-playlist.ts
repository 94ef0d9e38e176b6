/**
 * Shared front door of the engine: enforces the size limits, checks the #EXTM3U
 * header, splits lines and decides master vs media from the content.
 */

import { playlistError, type PlaylistError, type Result } from './errors.js';
import { classifyLine, countLinesUpTo, splitLines, type PlaylistLine } from './line-kinds.js';
import type { PlaylistKind, PlaylistLimits } from './rewrite-types.js';

export const DEFAULT_MAX_BYTES = 1_048_576;
export const DEFAULT_MAX_LINES = 100_000;

const BOM = '\uFEFF';

export interface ReadPlaylist {
  /** `'\uFEFF'` when the text starts with a byte order mark, else `''`. */
  bom: string;
  lines: PlaylistLine[];
  kind: PlaylistKind;
}

/** UTF-8 length of a JS string without allocating an encoded copy. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Tags whose presence makes a playlist a master (multivariant) playlist (RFC 8216 4.3.4). */
const MASTER_TAGS: ReadonlySet<string> = new Set(['EXT-X-STREAM-INF', 'EXT-X-I-FRAME-STREAM-INF', 'EXT-X-MEDIA']);

/** Decided from the content, never from the file name; names compare exactly (EXT-X-MEDIA-SEQUENCE is not EXT-X-MEDIA). */
export function detectKind(lines: readonly PlaylistLine[]): PlaylistKind {
  for (const line of lines) {
    const kind = classifyLine(line.body);
    if (kind.kind === 'tag' && MASTER_TAGS.has(kind.name)) return 'master';
  }
  return 'media';
}

function startsWithHeader(body: string): boolean {
  if (!body.startsWith('#EXTM3U')) return false;
  // Legacy IPTV lists put attributes after a space (`#EXTM3U x-tvg-url=".."`); `#EXTM3UX` is no header.
  const next = body.charAt('#EXTM3U'.length);
  return next === '' || next === ' ' || next === '\t';
}

export function readPlaylist(text: string, limits: PlaylistLimits = {}): Result<ReadPlaylist, PlaylistError> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxLines = limits.maxLines ?? DEFAULT_MAX_LINES;
  // A JS string never has more UTF-16 units than UTF-8 bytes, so the cheap length
  // test rejects most oversized inputs before the exact count.
  if (text.length > maxBytes || utf8ByteLength(text) > maxBytes) {
    return { ok: false, error: playlistError('oversized', `playlist is larger than ${maxBytes} bytes`) };
  }
  if (countLinesUpTo(text, maxLines) > maxLines) {
    return { ok: false, error: playlistError('oversized', `playlist has more than ${maxLines} lines`) };
  }
  const bom = text.startsWith(BOM) ? BOM : '';
  const lines = splitLines(bom === '' ? text : text.slice(BOM.length));
  const first = lines[0];
  // RFC 8216 4.3.1.1: EXTM3U MUST be the first line.
  if (first === undefined || !startsWithHeader(first.body)) {
    return { ok: false, error: playlistError('malformed', 'playlist does not start with #EXTM3U', 1) };
  }
  return { ok: true, value: { bom, lines, kind: detectKind(lines) } };
}
