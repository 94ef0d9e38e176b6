/**
 * Hand-written LL-HLS media playlists for the low-latency tests, shaped like
 * the transcoder's (global part numbers `part<N>.m4s`, segments
 * `seg_<5-digit msn>.m4s`, five 0.4 s parts per 2 s segment).
 */

export interface LivePlaylistOptions {
  /** @defaultValue 100 */
  mediaSequence?: number;
  /** Complete segments. @defaultValue 6 */
  segments?: number;
  /** Parts of the segment in progress (0: none, the hint names part 0 of the next segment). @defaultValue 2 */
  partsInProgress?: number;
  /** Complete segments at the end that still list their parts. @defaultValue 3 */
  segmentsWithParts?: number;
  /** @defaultValue 2 */
  targetDurationSec?: number;
  /** @defaultValue 0.4 */
  partTargetSec?: number;
  /** EXT-X-SERVER-CONTROL attributes. @defaultValue 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12' */
  serverControl?: string;
  /** @defaultValue false */
  endList?: boolean;
  /** Lines put before the URI of segment `msn` (after its program date-time). */
  extraBefore?: Record<number, string[]>;
}

export const partsPerSegment = 5;

/** A live LL-HLS playlist; parts are numbered `msn * 5 + index` so a test can name any of them. */
export function livePlaylist(options: LivePlaylistOptions = {}): string {
  const first = options.mediaSequence ?? 100;
  const count = options.segments ?? 6;
  const inProgress = options.partsInProgress ?? 2;
  const withParts = options.segmentsWithParts ?? 3;
  const partTarget = options.partTargetSec ?? 0.4;
  const partDuration = (options.targetDurationSec ?? 2) / partsPerSegment;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    `#EXT-X-TARGETDURATION:${options.targetDurationSec ?? 2}`,
    `#EXT-X-SERVER-CONTROL:${options.serverControl ?? 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12'}`,
    `#EXT-X-PART-INF:PART-TARGET=${partTarget}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MAP:URI="init_360p.mp4"',
  ];
  const date = (msn: number) => new Date(Date.UTC(2026, 11, 1, 5, 40, 0) + (msn - first) * 2000).toISOString();
  const parts = (msn: number, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `#EXT-X-PART:DURATION=${partDuration.toFixed(5)},URI="part${msn * partsPerSegment + i}.m4s"${i === 0 ? ',INDEPENDENT=YES' : ''}`,
    );
  for (let msn = first; msn < first + count; msn += 1) {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${date(msn)}`);
    lines.push(...(options.extraBefore?.[msn] ?? []));
    if (msn >= first + count - withParts) lines.push(...parts(msn, partsPerSegment));
    lines.push(`#EXTINF:${(options.targetDurationSec ?? 2).toFixed(5)},`, `seg_${String(msn).padStart(5, '0')}.m4s`);
  }
  const next = first + count;
  if (options.endList) {
    lines.push('#EXT-X-ENDLIST');
  } else {
    if (inProgress > 0) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${date(next)}`, ...parts(next, inProgress));
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part${next * partsPerSegment + inProgress}.m4s"`);
    lines.push(`#EXT-X-RENDITION-REPORT:URI="../240p/index.m3u8",LAST-MSN=${next},LAST-PART=${Math.max(inProgress - 1, 0)}`);
  }
  return `${lines.join('\n')}\n`;
}
