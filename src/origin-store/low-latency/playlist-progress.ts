/**
 * What a live media playlist says about how far it has got, for an origin that
 * answers LL-HLS Delivery Directives (RFC 8216bis 6.2.5): which services the
 * playlist advertises (EXT-X-SERVER-CONTROL, 4.4.3.8), its target durations, the
 * Media Sequence Number of its last complete segment, how many Partial Segments
 * (EXT-X-PART, 4.4.4.9) each segment lists, the segment in progress and the
 * preload hints (4.4.5.3). Pure: text in, facts or a problem out, never a throw.
 */
import { fail, ok, type CodedProblem, type Result } from '../../core/result.js';
import { readAttributeList } from './attribute-list.js';

export interface SegmentProgress {
  /** Media Sequence Number. */
  msn: number;
  /** EXT-X-PART tags listed for it; 0 once the packager dropped them (RFC 8216bis 6.2.2) or for a stream without parts. */
  parts: number;
  /** False for the segment in progress: parts listed after the last URI line, no EXTINF yet. */
  complete: boolean;
  /** EXTINF of a complete segment; the sum of the listed part durations of the one in progress. */
  durationSec: number;
}

export interface PreloadHint {
  /** `PART` or `MAP` (other values are kept: clients ignore them, 6.3.8). */
  type: string;
  /** As written: relative to the playlist's URI or absolute. */
  uri: string;
}

export interface PlaylistProgress {
  /** EXT-X-VERSION, when present. */
  version: number | undefined;
  targetDurationSec: number;
  /** EXT-X-PART-INF PART-TARGET. */
  partTargetSec: number | undefined;
  /** CAN-BLOCK-RELOAD=YES: the playlist offers Blocking Playlist Reload (6.2.5.2). */
  canBlockReload: boolean;
  /** CAN-SKIP-UNTIL, the Skip Boundary: the playlist offers Playlist Delta Updates (6.2.5.1). */
  canSkipUntilSec: number | undefined;
  /** CAN-SKIP-DATERANGES=YES: delta updates may also skip EXT-X-DATERANGE tags (`_HLS_skip=v2`). */
  canSkipDateRanges: boolean;
  /** EXT-X-MEDIA-SEQUENCE; 0 when absent (4.4.3.2). */
  mediaSequence: number;
  endList: boolean;
  /** Every listed segment in order; the last one is the segment in progress when its `complete` is false. */
  segments: SegmentProgress[];
  /** MSN of the last complete segment; `mediaSequence - 1` while none is complete. */
  lastCompleteMsn: number;
  /** The segment whose parts are listed after the last URI line. */
  inProgress: { msn: number; parts: number } | undefined;
  preloadHints: PreloadHint[];
}

export type PlaylistProgressProblem = CodedProblem<'not-a-playlist' | 'multivariant' | 'malformed'>;

const multivariantTags = new Set([
  'EXT-X-STREAM-INF',
  'EXT-X-I-FRAME-STREAM-INF',
  'EXT-X-MEDIA',
  'EXT-X-SESSION-DATA',
  'EXT-X-SESSION-KEY',
]);

export function readPlaylistProgress(text: string): Result<PlaylistProgress, PlaylistProgressProblem> {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') return fail('not-a-playlist', 'the first line is not #EXTM3U');
  const progress: PlaylistProgress = {
    version: undefined,
    targetDurationSec: Number.NaN,
    partTargetSec: undefined,
    canBlockReload: false,
    canSkipUntilSec: undefined,
    canSkipDateRanges: false,
    mediaSequence: 0,
    endList: false,
    segments: [],
    lastCompleteMsn: -1,
    inProgress: undefined,
    preloadHints: [],
  };
  let extinf: number | undefined;
  let parts = 0;
  let partsDuration = 0;
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    const where = `line ${index + 1}`;
    if (line === '') continue;
    if (!line.startsWith('#')) {
      if (extinf === undefined) return fail('malformed', `${where}: a URI line without EXTINF`);
      progress.segments.push({ msn: 0, parts, complete: true, durationSec: extinf });
      extinf = undefined;
      parts = 0;
      partsDuration = 0;
      continue;
    }
    if (!line.startsWith('#EXT')) continue;
    const colon = line.indexOf(':');
    const tag = line.slice(1, colon === -1 ? undefined : colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);
    if (multivariantTags.has(tag)) return fail('multivariant', `${where}: ${tag} belongs to a multivariant playlist`);
    switch (tag) {
      case 'EXT-X-VERSION':
        progress.version = decimalInteger(value);
        if (progress.version === undefined) return fail('malformed', `${where}: EXT-X-VERSION is not a decimal integer`);
        break;
      case 'EXT-X-TARGETDURATION': {
        const target = decimalInteger(value);
        if (target === undefined) return fail('malformed', `${where}: EXT-X-TARGETDURATION is not a decimal integer`);
        progress.targetDurationSec = target;
        break;
      }
      case 'EXT-X-MEDIA-SEQUENCE': {
        const sequence = decimalInteger(value);
        if (sequence === undefined) return fail('malformed', `${where}: EXT-X-MEDIA-SEQUENCE is not a decimal integer`);
        progress.mediaSequence = sequence;
        break;
      }
      case 'EXT-X-ENDLIST':
        progress.endList = true;
        break;
      case 'EXT-X-PART-INF': {
        const partTarget = seconds(readAttributeList(value)?.get('PART-TARGET'));
        if (partTarget === undefined) return fail('malformed', `${where}: EXT-X-PART-INF without a valid PART-TARGET`);
        progress.partTargetSec = partTarget;
        break;
      }
      case 'EXT-X-SERVER-CONTROL': {
        const attributes = readAttributeList(value);
        if (attributes === undefined) return fail('malformed', `${where}: unreadable EXT-X-SERVER-CONTROL attributes`);
        progress.canBlockReload = attributes.get('CAN-BLOCK-RELOAD') === 'YES';
        progress.canSkipDateRanges = attributes.get('CAN-SKIP-DATERANGES') === 'YES';
        const skipUntil = attributes.get('CAN-SKIP-UNTIL');
        progress.canSkipUntilSec = seconds(skipUntil);
        if (skipUntil !== undefined && progress.canSkipUntilSec === undefined)
          return fail('malformed', `${where}: CAN-SKIP-UNTIL is not a number of seconds`);
        break;
      }
      case 'EXTINF':
        extinf = seconds(value.slice(0, value.includes(',') ? value.indexOf(',') : undefined));
        if (extinf === undefined) return fail('malformed', `${where}: EXTINF without a valid duration`);
        break;
      case 'EXT-X-PART': {
        const duration = seconds(readAttributeList(value)?.get('DURATION'));
        if (duration === undefined) return fail('malformed', `${where}: EXT-X-PART without a valid DURATION`);
        parts += 1;
        partsDuration += duration;
        break;
      }
      case 'EXT-X-PRELOAD-HINT': {
        const attributes = readAttributeList(value);
        const type = attributes?.get('TYPE');
        const uri = attributes?.get('URI');
        if (type === undefined || uri === undefined || uri === '')
          return fail('malformed', `${where}: EXT-X-PRELOAD-HINT needs TYPE and URI`);
        progress.preloadHints.push({ type, uri });
        break;
      }
    }
  }
  if (Number.isNaN(progress.targetDurationSec)) return fail('malformed', 'no EXT-X-TARGETDURATION (required in a media playlist)');
  // An EXTINF with no URI line after it: a truncated upload or a broken packager.
  if (extinf !== undefined) return fail('malformed', 'the last EXTINF has no URI line');
  progress.segments.forEach((segment, i) => (segment.msn = progress.mediaSequence + i));
  progress.lastCompleteMsn = progress.mediaSequence + progress.segments.length - 1;
  if (parts > 0) {
    const msn = progress.lastCompleteMsn + 1;
    progress.segments.push({ msn, parts, complete: false, durationSec: partsDuration });
    progress.inProgress = { msn, parts };
  }
  return ok(progress);
}

/** Where the playlist has got in parts: the MSN and Part Index of its last listed EXT-X-PART, if any. */
export function lastListedPart(progress: PlaylistProgress): { msn: number; part: number } | undefined {
  for (let i = progress.segments.length - 1; i >= 0; i -= 1) {
    const segment = progress.segments[i]!;
    if (segment.parts > 0) return { msn: segment.msn, part: segment.parts - 1 };
  }
  return undefined;
}

/** RFC 8216bis 4.2 decimal-integer, within the safe integer range. */
export function decimalInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,16}$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A non-negative decimal-floating-point (or integer) number of seconds. */
function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d*)?$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
