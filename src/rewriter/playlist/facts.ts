/**
 * Reads the facts the service needs for caching and headers (target duration,
 * media sequence, ENDLIST, LL-HLS server control, last media sequence number)
 * with one scan over the lines. m3u8-parser could do it, but a scan shares the
 * engine's line splitting and limits and is faster for a hot path.
 */

import { scanAttributes, type AttributeSpan } from './attributes.js';
import { playlistError, type PlaylistError, type Result } from './errors.js';
import { classifyLine } from './line-kinds.js';
import { readPlaylist } from './read-playlist.js';
import type { PlaylistKind, PlaylistLimits } from './rewrite-types.js';

export interface ServerControl {
  canBlockReload: boolean;
  canSkipUntil?: number;
  partHoldBack?: number;
  holdBack?: number;
}

export interface PlaylistFacts {
  kind: PlaylistKind;
  targetDuration?: number;
  /** EXT-X-MEDIA-SEQUENCE as written; absent when the tag is (the first segment is then number 0, RFC 8216 4.3.3.2). */
  mediaSequence?: number;
  endList: boolean;
  playlistType?: 'VOD' | 'EVENT';
  /** Segments listed in the text; segments skipped by a delta update (EXT-X-SKIP) are not counted. */
  segmentCount: number;
  /** Sum of the EXTINF durations of the listed segments, rounded to the microsecond. */
  totalDuration: number;
  partTargetDuration?: number;
  serverControl?: ServerControl;
  /** Media sequence number of the last full segment, counting skipped segments (rfc8216bis 4.4.5.2). */
  lastMsn?: number;
}

export interface ReadPlaylistFactsOptions {
  limits?: PlaylistLimits;
}

type Fail = { ok: false; error: PlaylistError };

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

function malformed(message: string, line: number): Fail {
  return { ok: false, error: playlistError('malformed', message, line) };
}

function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/** Mutable accumulator of one scan. */
interface FactsScan {
  facts: PlaylistFacts;
  pendingDuration: number | undefined;
  skippedSegments: number;
}

interface TagInput {
  name: string;
  value: string;
  line: number;
}

function numberTag(tag: TagInput): Result<number, PlaylistError> {
  const value = parseDecimal(tag.value);
  if (value === undefined) return malformed(`#${tag.name} value "${tag.value}" is not a number`, tag.line);
  return { ok: true, value };
}

function attributes(tag: TagInput): Result<Map<string, string>, PlaylistError> {
  const scanned = scanAttributes(tag.value, { line: tag.line });
  if (!scanned.ok) return scanned;
  return {
    ok: true,
    value: new Map(scanned.value.map((span: AttributeSpan) => [span.name, tag.value.slice(span.valueStart, span.valueEnd)])),
  };
}

function numberAttribute(map: Map<string, string>, name: string, tag: TagInput): Result<number | undefined, PlaylistError> {
  const text = map.get(name);
  if (text === undefined) return { ok: true, value: undefined };
  const value = parseDecimal(text);
  if (value === undefined) return malformed(`#${tag.name} ${name}="${text}" is not a number`, tag.line);
  return { ok: true, value };
}

function readServerControl(tag: TagInput): Result<ServerControl, PlaylistError> {
  const map = attributes(tag);
  if (!map.ok) return map;
  const control: ServerControl = { canBlockReload: map.value.get('CAN-BLOCK-RELOAD') === 'YES' };
  const fields = [
    ['CAN-SKIP-UNTIL', 'canSkipUntil'],
    ['PART-HOLD-BACK', 'partHoldBack'],
    ['HOLD-BACK', 'holdBack'],
  ] as const;
  for (const [attribute, field] of fields) {
    const value = numberAttribute(map.value, attribute, tag);
    if (!value.ok) return value;
    if (value.value !== undefined) control[field] = value.value;
  }
  return { ok: true, value: control };
}

function readAttributeNumber(tag: TagInput, name: string): Result<number | undefined, PlaylistError> {
  const map = attributes(tag);
  if (!map.ok) return map;
  return numberAttribute(map.value, name, tag);
}

/** Applies one tag to the scan; returns an error value for a malformed tag it needs. */
function applyTag(scan: FactsScan, tag: TagInput): Fail | undefined {
  const { facts } = scan;
  switch (tag.name) {
    case 'EXT-X-TARGETDURATION':
    case 'EXT-X-MEDIA-SEQUENCE': {
      const value = numberTag(tag);
      if (!value.ok) return value;
      if (tag.name === 'EXT-X-TARGETDURATION') facts.targetDuration = value.value;
      else facts.mediaSequence = value.value;
      return undefined;
    }
    case 'EXT-X-ENDLIST':
      facts.endList = true;
      return undefined;
    case 'EXT-X-PLAYLIST-TYPE': {
      const type = tag.value.trim();
      if (type !== 'VOD' && type !== 'EVENT') return malformed(`#EXT-X-PLAYLIST-TYPE "${type}" is neither VOD nor EVENT`, tag.line);
      facts.playlistType = type;
      return undefined;
    }
    case 'EXTINF': {
      // RFC 8216 4.3.2.1: #EXTINF:<duration>,[<title>]
      const comma = tag.value.indexOf(',');
      const duration = parseDecimal(comma === -1 ? tag.value : tag.value.slice(0, comma));
      if (duration === undefined) return malformed(`#EXTINF duration in "${tag.value}" is not a number`, tag.line);
      scan.pendingDuration = duration;
      return undefined;
    }
    case 'EXT-X-PART-INF': {
      const value = readAttributeNumber(tag, 'PART-TARGET');
      if (!value.ok) return value;
      if (value.value !== undefined) facts.partTargetDuration = value.value;
      return undefined;
    }
    case 'EXT-X-SKIP': {
      const value = readAttributeNumber(tag, 'SKIPPED-SEGMENTS');
      if (!value.ok) return value;
      scan.skippedSegments += value.value ?? 0;
      return undefined;
    }
    case 'EXT-X-SERVER-CONTROL': {
      const control = readServerControl(tag);
      if (!control.ok) return control;
      facts.serverControl = control.value;
      return undefined;
    }
    default:
      return undefined;
  }
}

export function readPlaylistFacts(text: string, options: ReadPlaylistFactsOptions = {}): Result<PlaylistFacts, PlaylistError> {
  const read = readPlaylist(text, options.limits);
  if (!read.ok) return read;
  const { kind, lines } = read.value;
  const scan: FactsScan = {
    facts: { kind, endList: false, segmentCount: 0, totalDuration: 0 },
    pendingDuration: undefined,
    skippedSegments: 0,
  };
  let totalDuration = 0;
  for (const line of lines) {
    const lineKind = classifyLine(line.body);
    if (lineKind.kind === 'tag') {
      const value = lineKind.valueStart === undefined ? '' : line.body.slice(lineKind.valueStart);
      const failed = applyTag(scan, { name: lineKind.name, value, line: line.number });
      if (failed !== undefined) return failed;
    } else if (lineKind.kind === 'uri' && kind === 'media') {
      scan.facts.segmentCount += 1;
      totalDuration += scan.pendingDuration ?? 0;
      scan.pendingDuration = undefined;
    }
  }
  const { facts } = scan;
  facts.totalDuration = Math.round(totalDuration * 1e6) / 1e6;
  const listed = facts.segmentCount + scan.skippedSegments;
  if (kind === 'media' && listed > 0) facts.lastMsn = (facts.mediaSequence ?? 0) + listed - 1;
  return { ok: true, value: facts };
}
