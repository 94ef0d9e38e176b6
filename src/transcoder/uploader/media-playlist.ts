/**
 * Reads a media playlist as ffmpeg's hlsenc writes it (and as the uploader renders it)
 * into header facts and segments, so the uploader can carry a live window across
 * ffmpeg restarts. Pure, no throwing: a malformed playlist is an error value.
 * Tags that belong to a segment (RFC 8216 4.3.2) other than EXTINF, DISCONTINUITY and
 * MAP are kept as written and rendered again in their place.
 */
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';

export interface MediaSegment {
  /** Media sequence number: EXT-X-MEDIA-SEQUENCE plus the segment's position. */
  readonly msn: number;
  readonly uri: string;
  readonly durationSec: number;
  /** The EXTINF value as written (`1.000000,`), so rendering does not reformat it. */
  readonly extinf: string;
  /** An EXT-X-DISCONTINUITY tag precedes this segment. */
  readonly discontinuity: boolean;
  /** URI of the EXT-X-MAP (init segment) that applies to this segment. */
  readonly mapUri: string | undefined;
  /** Other tag lines of this segment (EXT-X-PROGRAM-DATE-TIME...), in order. */
  readonly tags: readonly string[];
}

export interface MediaPlaylist {
  readonly version: number | undefined;
  readonly targetDurationSec: number;
  readonly mediaSequence: number;
  readonly discontinuitySequence: number;
  readonly independentSegments: boolean;
  readonly playlistType: 'VOD' | 'EVENT' | undefined;
  readonly endList: boolean;
  readonly segments: readonly MediaSegment[];
}

export type MediaPlaylistErrorCode = 'not-a-playlist' | 'malformed';

const HEADER_TAGS = new Set([
  'EXT-X-VERSION',
  'EXT-X-TARGETDURATION',
  'EXT-X-MEDIA-SEQUENCE',
  'EXT-X-DISCONTINUITY-SEQUENCE',
  'EXT-X-INDEPENDENT-SEGMENTS',
  'EXT-X-PLAYLIST-TYPE',
  'EXT-X-ENDLIST',
  'EXT-X-ALLOW-CACHE',
]);

interface Pending {
  extinf: string | undefined;
  discontinuity: boolean;
  tags: string[];
}

export function parseMediaPlaylist(text: string): Result<MediaPlaylist, CodedProblem<MediaPlaylistErrorCode>> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') return fail('not-a-playlist', 'the text does not start with #EXTM3U');

  const header = {
    version: undefined as number | undefined,
    target: 0,
    sequence: 0,
    discontinuitySequence: 0,
    independent: false,
    type: undefined as MediaPlaylist['playlistType'],
    endList: false,
  };
  const raw: Omit<MediaSegment, 'msn'>[] = [];
  let mapUri: string | undefined;
  let pending: Pending = { extinf: undefined, discontinuity: false, tags: [] };

  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === '' || index === 0) continue;
    if (!line.startsWith('#')) {
      if (pending.extinf === undefined) return fail('malformed', `line ${index + 1}: URI "${line}" has no #EXTINF`);
      const duration = Number(pending.extinf.split(',')[0]);
      if (!Number.isFinite(duration) || duration < 0)
        return fail('malformed', `line ${index + 1}: bad #EXTINF duration "${pending.extinf}"`);
      raw.push({
        uri: line,
        durationSec: duration,
        extinf: pending.extinf,
        discontinuity: pending.discontinuity,
        mapUri,
        tags: pending.tags,
      });
      pending = { extinf: undefined, discontinuity: false, tags: [] };
      continue;
    }
    if (!line.startsWith('#EXT')) continue;
    const colon = line.indexOf(':');
    const name = line.slice(1, colon < 0 ? undefined : colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (HEADER_TAGS.has(name)) {
      const problem = readHeaderTag(header, name, value);
      if (problem) return fail('malformed', `line ${index + 1}: ${problem}`);
    } else if (name === 'EXTINF') {
      pending.extinf = value;
    } else if (name === 'EXT-X-DISCONTINUITY') {
      pending.discontinuity = true;
    } else if (name === 'EXT-X-MAP') {
      mapUri = /(?:^|,)URI="([^"]*)"/.exec(value)?.[1];
      if (mapUri === undefined) return fail('malformed', `line ${index + 1}: #EXT-X-MAP without URI`);
    } else {
      pending.tags.push(line);
    }
  }

  return ok({
    version: header.version,
    targetDurationSec: header.target,
    mediaSequence: header.sequence,
    discontinuitySequence: header.discontinuitySequence,
    independentSegments: header.independent,
    playlistType: header.type,
    endList: header.endList,
    segments: raw.map((segment, i) => ({ ...segment, msn: header.sequence + i })),
  });
}

function readHeaderTag(
  header: {
    version: number | undefined;
    target: number;
    sequence: number;
    discontinuitySequence: number;
    independent: boolean;
    type: MediaPlaylist['playlistType'];
    endList: boolean;
  },
  name: string,
  value: string,
): string | undefined {
  const integer = (): number | undefined => (/^\d+$/.test(value) ? Number(value) : undefined);
  switch (name) {
    case 'EXT-X-VERSION':
      header.version = integer();
      return header.version === undefined ? `bad #${name} "${value}"` : undefined;
    case 'EXT-X-TARGETDURATION': {
      const n = integer();
      if (n === undefined) return `bad #${name} "${value}"`;
      header.target = n;
      return undefined;
    }
    case 'EXT-X-MEDIA-SEQUENCE': {
      const n = integer();
      if (n === undefined) return `bad #${name} "${value}"`;
      header.sequence = n;
      return undefined;
    }
    case 'EXT-X-DISCONTINUITY-SEQUENCE': {
      const n = integer();
      if (n === undefined) return `bad #${name} "${value}"`;
      header.discontinuitySequence = n;
      return undefined;
    }
    case 'EXT-X-INDEPENDENT-SEGMENTS':
      header.independent = true;
      return undefined;
    case 'EXT-X-PLAYLIST-TYPE':
      header.type = value === 'VOD' || value === 'EVENT' ? value : undefined;
      return undefined;
    case 'EXT-X-ENDLIST':
      header.endList = true;
      return undefined;
    default:
      return undefined;
  }
}
