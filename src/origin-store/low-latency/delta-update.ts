/**
 * Playlist Delta Updates (RFC 8216bis 6.2.5.1): the answer to `_HLS_skip=YES`
 * (or `v2`) replaces the segments further from the end of the playlist than the
 * Skip Boundary (CAN-SKIP-UNTIL) by one `#EXT-X-SKIP:SKIPPED-SEGMENTS=<n>`
 * (4.4.5.2). A line-level rewrite: header lines and everything after the last
 * skipped segment pass through byte for byte; EXT-X-VERSION is raised to what
 * EXT-X-SKIP requires (section 8). Pure.
 *
 * What a skipped stretch leaves behind, and why:
 * - EXT-X-SKIP replaces "the segment URI lines and all Media Segment Tags that
 *   are applied to those segments" (4.4.5.2); "All tags that were not skipped
 *   MUST remain" (6.2.5.1). So EXT-X-DATERANGE (a Media Metadata tag) stays,
 *   moved after EXT-X-SKIP, except under `v2` (below).
 * - EXT-X-MAP and EXT-X-KEY apply to every later segment until the next one of
 *   their kind (4.4.4.4, 4.4.4.5); the ones in force at the first kept segment
 *   are repeated after EXT-X-SKIP so the kept segments still name their init
 *   section and key, whatever the player's merge does.
 * - EXT-X-DISCONTINUITY-SEQUENCE is a header tag and keeps its value: "Replacing
 *   segments with the EXT-X-SKIP tag does not change the value of the
 *   EXT-X-DISCONTINUITY-SEQUENCE tag" (4.4.5.2); the player counts the skipped
 *   discontinuities from its previous copy. EXT-X-SKIP goes after every header
 *   tag, never before one (hls.js #7554 broke on a SKIP placed before it).
 * - Anything else in the skipped stretch (EXTINF, PROGRAM-DATE-TIME, parts,
 *   unknown and custom tags such as ad cues, comments) goes with its segment: a
 *   custom per-segment tag moved onto the first kept segment would mislead.
 */
import { readAttributeList } from './attribute-list.js';
import type { SkipDirective } from './blocking-request.js';
import { readPlaylistProgress } from './playlist-progress.js';

export interface DeltaUpdate {
  /** The playlist to send: the input unchanged when nothing could be skipped. */
  text: string;
  skippedSegments: number;
}

/** Media Segment Tags (4.4.4): the first of them after a URI line opens the next segment. */
const segmentTags = new Set([
  'EXTINF',
  'EXT-X-BYTERANGE',
  'EXT-X-DISCONTINUITY',
  'EXT-X-KEY',
  'EXT-X-MAP',
  'EXT-X-PROGRAM-DATE-TIME',
  'EXT-X-GAP',
  'EXT-X-BITRATE',
  'EXT-X-PART',
]);

/** Section 8: EXT-X-SKIP needs version 9; one that replaces EXT-X-DATERANGE tags needs 10. */
export const skipVersion = 9;
export const skipDateRangesVersion = 10;

interface Segment {
  /** Index of its first line. */
  start: number;
  /** Index of its URI line. */
  uri: number;
  durationSec: number;
}

/**
 * `_HLS_skip=v2` is honoured as v2 only when the playlist says CAN-SKIP-DATERANGES=YES
 * (a client sends it only then, 6.3.7). The origin keeps no history of the playlist, so
 * it takes a date range's position for its age (the date ranges written in the skipped
 * stretch were added when that stretch was the live edge, more than the Skip Boundary
 * ago) and sends RECENTLY-REMOVED-DATERANGES empty: packagers that remove date ranges
 * from a live playlist must not advertise CAN-SKIP-DATERANGES to this origin.
 */
export function deltaUpdate(text: string, skip: SkipDirective): DeltaUpdate {
  const unchanged: DeltaUpdate = { text, skippedSegments: 0 };
  const progress = readPlaylistProgress(text);
  // 6.2.5.1: "A Server MUST ignore the _HLS_skip directive if the Playlist does not contain the
  // CAN-SKIP-UNTIL attribute, or if it contains an EXT-X-ENDLIST tag."
  if (!progress.ok || progress.value.endList || progress.value.canSkipUntilSec === undefined) return unchanged;
  const skipDateRanges = skip === 'v2' && progress.value.canSkipDateRanges;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const { segments, headerEnd } = scanSegments(lines);
  // 6.2.5.1: skip the "Media Segments that are further from the end of the last (Parent) Media Segment in
  // the Playlist than the Skip Boundary": a segment goes only when all of it, its end included, is further.
  // The end is that of the newest complete segment (the one in progress has none yet), as the transcoder's
  // own delta playlists count it (src/transcoder/low-latency/part-packager.ts).
  const playlistEnd = segments.reduce((sum, s) => sum + s.durationSec, 0);
  let skipped = 0;
  let end = 0;
  for (const segment of segments) {
    end += segment.durationSec;
    if (playlistEnd - end <= progress.value.canSkipUntilSec) break;
    skipped += 1;
  }
  if (skipped === 0) return unchanged;

  const firstKept = segments[skipped]?.start ?? segments[skipped - 1]!.uri + 1;
  const carried = carriedLines(lines.slice(headerEnd, firstKept), skipDateRanges);
  const firstKeptHasMap = segments[skipped] !== undefined && hasTag(lines.slice(firstKept, segments[skipped]!.uri), 'EXT-X-MAP');
  const version = skipDateRanges ? skipDateRangesVersion : skipVersion;
  const header = withVersion(lines.slice(0, headerEnd), version).filter((line) => !(skipDateRanges && tagName(line) === 'EXT-X-DATERANGE'));
  const skipTag = `#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}${skipDateRanges ? ',RECENTLY-REMOVED-DATERANGES=""' : ''}`;
  const output = [
    ...header,
    skipTag,
    ...carried.dateRanges,
    ...carried.keys,
    ...(carried.map !== undefined && !firstKeptHasMap ? [carried.map] : []),
    ...lines.slice(firstKept),
  ];
  return { text: output.join(eol), skippedSegments: skipped };
}

function scanSegments(lines: string[]): { segments: Segment[]; headerEnd: number } {
  const segments: Segment[] = [];
  let headerEnd = lines.length;
  let start: number | undefined;
  let duration = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (index === 0 || line === '') return;
    const tag = tagName(line);
    const isUri = !line.startsWith('#');
    if ((isUri || (tag !== undefined && segmentTags.has(tag))) && start === undefined) {
      start = index;
      if (segments.length === 0) headerEnd = index;
    }
    if (tag === 'EXTINF') duration = Number(line.slice('#EXTINF:'.length).split(',')[0]);
    if (isUri && start !== undefined) {
      segments.push({ start, uri: index, durationSec: duration });
      start = undefined;
      duration = 0;
    }
  });
  return { segments, headerEnd };
}

/** What the skipped stretch hands on to the kept segments. */
function carriedLines(skippedLines: string[], skipDateRanges: boolean) {
  const dateRanges: string[] = [];
  // EXT-X-KEY in force, by KEYFORMAT; METHOD=NONE ends them all (4.4.4.4).
  let keys = new Map<string, string>();
  let map: string | undefined;
  for (const raw of skippedLines) {
    const line = raw.trim();
    const tag = tagName(line);
    if (tag === 'EXT-X-DATERANGE' && !skipDateRanges) dateRanges.push(line);
    if (tag === 'EXT-X-MAP') map = line;
    if (tag === 'EXT-X-KEY') {
      const attributes = readAttributeList(line.slice('#EXT-X-KEY:'.length));
      if (attributes?.get('METHOD') === 'NONE') keys = new Map([['', line]]);
      else {
        keys.delete('');
        keys.set(attributes?.get('KEYFORMAT') ?? 'identity', line);
      }
    }
  }
  return { dateRanges, keys: [...keys.values()], map };
}

function withVersion(header: string[], version: number): string[] {
  const index = header.findIndex((line) => tagName(line.trim()) === 'EXT-X-VERSION');
  if (index === -1) return [header[0]!, `#EXT-X-VERSION:${version}`, ...header.slice(1)];
  const current = Number(header[index]!.trim().slice('#EXT-X-VERSION:'.length));
  if (current >= version) return header;
  return header.map((line, i) => (i === index ? `#EXT-X-VERSION:${version}` : line));
}

function hasTag(lines: string[], tag: string): boolean {
  return lines.some((line) => tagName(line.trim()) === tag);
}

function tagName(line: string): string | undefined {
  if (!line.startsWith('#EXT')) return undefined;
  const colon = line.indexOf(':');
  return line.slice(1, colon === -1 ? undefined : colon);
}
