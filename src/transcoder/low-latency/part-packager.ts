/**
 * Groups the parts ffmpeg writes for one rung into segments and renders the rung's
 * low-latency media playlist (rfc8216bis: EXT-X-PART, EXT-X-PRELOAD-HINT,
 * EXT-X-SERVER-CONTROL, EXT-X-PART-INF, EXT-X-RENDITION-REPORT). Pure: parts in,
 * segment bytes, expired URIs and playlist text out; the uploader does the I/O.
 *
 * - Parts are named by a number that counts parts over the whole stream
 *   (`part<N>.m4s`), not by their place in a segment, so the preload hint can name
 *   the next part before anyone knows which segment it will open.
 * - A segment is its parts' bytes concatenated. An INDEPENDENT part (one that starts
 *   on a keyframe) opens a new segment once the current one is within half a part
 *   of the segment target; any other part joins the current segment, so segments
 *   always start on a keyframe (EXT-X-INDEPENDENT-SEGMENTS) and a late keyframe makes
 *   a longer segment rather than one that cannot be decoded alone.
 * - Header values come from the options and never change (rfc8216bis 6.2.1: "The
 *   value of the EXT-X-TARGETDURATION tag in the Media Playlist MUST NOT change", and
 *   6.2.4: every rendition has the same target duration and the same
 *   EXT-X-SERVER-CONTROL). Only media that breaks them raises them, monotonically,
 *   reported as a problem: a segment whose EXTINF rounds above the target duration
 *   (4.4.3.1) or a part longer than PART-TARGET (4.4.4.9) would be the worse lie.
 * - EXT-X-PART tags stay for the newest segments covering three target durations
 *   (6.2.2: they "SHOULD be removed ... after they are greater than three Target
 *   Durations from the end"); segments beyond `windowSegments` leave the playlist,
 *   never bringing it under three target durations (6.2.2). Whatever leaves is
 *   returned as expired, for the uploader to delete after the grace period.
 */
import { HlscdnError } from '../../core/errors.js';
import type { CodedProblem } from '../../core/result.js';
import { segmentNamePattern } from '../shared/output-layout.js';

export interface PartPackagerOptions {
  /** The part duration ffmpeg cuts at (its -hls_time), seconds; PART-TARGET is this rounded up to 5 decimals. */
  readonly partTargetSec: number;
  /** The segment duration keyframes are forced at, seconds. */
  readonly segmentTargetSec: number;
  /** Complete segments kept in the playlist. */
  readonly windowSegments: number;
  /** URI of the init segment (EXT-X-MAP), relative to the media playlist. */
  readonly initUri: string;
  /** Media sequence number of the first segment. */
  readonly firstMsn: number;
  /** Number of the first part (`part<N>.m4s`). */
  readonly firstPartNumber: number;
  /** Marks the first segment with EXT-X-DISCONTINUITY (a restart after published segments). @defaultValue false */
  readonly discontinuity?: boolean;
  /** Discontinuity sequence number of the segments before the first one. @defaultValue 0 */
  readonly discontinuitySequence?: number;
  /** EXT-X-TARGETDURATION; give every rung the same. @defaultValue ceil(segmentTargetSec), at least 1 */
  readonly targetDurationSec?: number;
}

export interface PartInput {
  /** The part's fMP4 bytes; kept (not copied) until its segment completes, so do not reuse the buffer. */
  readonly bytes: Uint8Array;
  readonly durationSec: number;
  /** The part starts with a keyframe. */
  readonly independent: boolean;
  /** Wall-clock time of the part's first sample (EXT-X-PROGRAM-DATE-TIME of a segment it opens). */
  readonly programDateTimeMs?: number;
}

export interface CompletedSegment {
  readonly msn: number;
  readonly uri: string;
  /** The segment's parts concatenated. */
  readonly bytes: Uint8Array;
  readonly durationSec: number;
  /** False only when its first part was not independent (the stream did not start on a keyframe). */
  readonly independent: boolean;
  readonly partUris: readonly string[];
}

export type PackagerProblemCode = 'segment-without-keyframe' | 'target-duration-raised' | 'part-target-raised';
export type PackagerProblem = CodedProblem<PackagerProblemCode>;

/** What a call changed: what to store, and what no playlist lists any more. */
export interface SegmentStep {
  /** A segment completed by this call: store it before the playlist that lists it. */
  readonly completedSegment?: CompletedSegment;
  /**
   * URIs no longer listed: segments that left the window and parts whose EXT-X-PART tags
   * were removed. Clients may still fetch them: delete a part no sooner than three target
   * durations later, a segment after its availability duration (RFC 8216 6.2.2).
   */
  readonly expiredUris: string[];
  /** Things the media did that the playlist had to bend for; the playlist stays valid. */
  readonly problems: PackagerProblem[];
}

export interface PartStep extends SegmentStep {
  readonly partUri: string;
  readonly partNumber: number;
  /** Media sequence number of the segment the part belongs to. */
  readonly msn: number;
  /** The part's index within that segment (rfc8216bis Part Index). */
  readonly partIndex: number;
}

/** What `flush()` returns: the last segment, always present. */
export interface FlushStep extends SegmentStep {
  readonly completedSegment: CompletedSegment;
}

export interface RenditionReport {
  /** The rendition's media playlist, relative to the playlist the report goes into. */
  readonly uri: string;
  readonly lastMsn: number;
  readonly lastPart?: number;
}

export interface PackagerPosition {
  /** EXT-X-MEDIA-SEQUENCE: the first segment listed (complete or in progress). */
  readonly mediaSequence: number;
  /** The newest complete segment, if any. */
  readonly lastCompleteMsn: number | undefined;
  /** Complete segments listed. */
  readonly segments: number;
  /** The segment in progress, or the one the next part will open. */
  readonly nextMsn: number;
  /** The part the preload hint names. */
  readonly nextPartNumber: number;
}

export function partUri(partNumber: number): string {
  return `part${partNumber}.m4s`;
}

/** `seg_<msn, 5 digits>.m4s`, ffmpeg's own fMP4 segment name (output-layout.ts). */
export function segmentUri(msn: number): string {
  return segmentNamePattern('fmp4').replace('%05d', String(msn).padStart(5, '0'));
}

/**
 * EXT-X-VERSION 6: the EXT-X-MAP tag in a playlist without EXT-X-I-FRAMES-ONLY needs 6
 * (rfc8216bis 8), and no low-latency tag states a version of its own; only EXT-X-SKIP
 * (a delta update) needs 9.
 */
const VERSION = 6;
const DELTA_VERSION = 9;

/** Durations are written with up to 5 decimals. */
const round5 = (seconds: number) => Math.round(seconds * 1e5) / 1e5;
/** Up to the next 1e-5 s; the epsilon keeps 0.4 (40000.000000000007 x 1e-5) at 0.4. */
const ceil5 = (seconds: number) => Math.ceil(seconds * 1e5 - 1e-7) / 1e5;
const decimal = (seconds: number) =>
  round5(seconds)
    .toFixed(5)
    .replace(/\.?0+$/, '');

interface Part {
  readonly number: number;
  readonly durationSec: number;
  readonly independent: boolean;
  bytes: Uint8Array | undefined;
}

interface Segment {
  readonly msn: number;
  readonly discontinuity: boolean;
  readonly programDateTimeMs: number | undefined;
  readonly parts: Part[];
  durationSec: number;
  /** Its EXT-X-PART tags are still in the playlist (once false, never true again). */
  partsListed: boolean;
}

export class PartPackager {
  private readonly options: PartPackagerOptions;
  private readonly windowSegments: number;
  private targetDurationSec: number;
  private partTargetSec: number;
  private readonly segments: Segment[] = [];
  private current: Segment | undefined;
  private nextMsn: number;
  private nextPartNumber: number;
  private discontinuitySequence: number;

  constructor(options: PartPackagerOptions) {
    const { partTargetSec, segmentTargetSec, firstMsn, firstPartNumber } = options;
    if (!(partTargetSec > 0) || !(segmentTargetSec >= partTargetSec) || !Number.isFinite(segmentTargetSec)) {
      throw new HlscdnError('invalid-config', `part and segment targets must satisfy 0 < ${partTargetSec} <= ${segmentTargetSec}`);
    }
    for (const [name, value] of Object.entries({ firstMsn, firstPartNumber, discontinuitySequence: options.discontinuitySequence ?? 0 })) {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new HlscdnError('invalid-config', `${name} must be a whole number >= 0, not ${value}`);
    }
    if (!(options.windowSegments >= 1))
      throw new HlscdnError('invalid-config', `windowSegments must be at least 1, not ${options.windowSegments}`);
    this.options = options;
    this.windowSegments = Math.floor(options.windowSegments);
    this.targetDurationSec = Math.max(1, Math.ceil(options.targetDurationSec ?? segmentTargetSec - 1e-9));
    this.partTargetSec = ceil5(partTargetSec);
    this.nextMsn = firstMsn;
    this.nextPartNumber = firstPartNumber;
    this.discontinuitySequence = options.discontinuitySequence ?? 0;
  }

  addPart(input: PartInput): PartStep {
    if (!Number.isFinite(input.durationSec) || input.durationSec < 0) {
      throw new HlscdnError('invalid-input', `a part cannot last ${input.durationSec} s`);
    }
    const problems: PackagerProblem[] = [];
    const current = this.current;
    const opens = current !== undefined && input.independent && current.durationSec >= this.segmentCutSec();
    const completedSegment = opens ? this.completeCurrent(problems) : undefined;

    const segment = this.current ?? this.openSegment(input, problems);
    const part: Part = {
      number: this.nextPartNumber++,
      durationSec: input.durationSec,
      independent: input.independent,
      bytes: input.bytes,
    };
    segment.parts.push(part);
    segment.durationSec += input.durationSec;
    if (ceil5(input.durationSec) > this.partTargetSec) {
      this.partTargetSec = ceil5(input.durationSec);
      problems.push({
        code: 'part-target-raised',
        message: `part ${part.number} lasts ${input.durationSec} s, over the part target: PART-TARGET is now ${decimal(this.partTargetSec)}`,
      });
    }
    return {
      partUri: partUri(part.number),
      partNumber: part.number,
      msn: segment.msn,
      partIndex: segment.parts.length - 1,
      ...(completedSegment ? { completedSegment } : {}),
      expiredUris: this.slideWindow(),
      problems,
    };
  }

  /**
   * End of stream: the parts in progress become the last segment. Store its bytes, then
   * publish `finalPlaylist()`. Undefined when no part is in progress. Parts added later
   * open a new segment.
   */
  flush(): FlushStep | undefined {
    if (!this.current) return undefined;
    const problems: PackagerProblem[] = [];
    const completedSegment = this.completeCurrent(problems);
    return { completedSegment, expiredUris: this.slideWindow(), problems };
  }

  /** The live playlist: segments, the parts in progress, the preload hint, then the given reports. */
  playlist(reports: readonly RenditionReport[] = []): string {
    return this.render({ live: true, delta: false, reports });
  }

  /**
   * The Playlist Delta Update answering `_HLS_skip=YES` (rfc8216bis 6.2.5.1): segments whose
   * end lies more than CAN-SKIP-UNTIL before the end of the newest complete segment are
   * replaced by EXT-X-SKIP, so a client holding a playlist no older than half that has them all.
   */
  deltaPlaylist(reports: readonly RenditionReport[] = []): string {
    return this.render({ live: true, delta: true, reports });
  }

  /**
   * The playlist of an ended stream: EXT-X-ENDLIST, no preload hint (4.4.5.3 forbids it
   * there), the same header (6.2.1 allows no other change). Call `flush()` first: parts
   * still in progress are left out, since their segment has not been handed out to store.
   */
  finalPlaylist(reports: readonly RenditionReport[] = []): string {
    return this.render({ live: false, delta: false, reports });
  }

  /**
   * This rendition's LAST-MSN and LAST-PART (rfc8216bis 4.4.5.4): the segment of the last
   * part in the playlist (the one in progress, if any) and that part's index within it.
   * Undefined before the first part.
   */
  report(uri: string): RenditionReport | undefined {
    const last = this.current ?? this.segments.at(-1);
    if (!last) return undefined;
    return { uri, lastMsn: last.msn, lastPart: last.parts.length - 1 };
  }

  position(): PackagerPosition {
    return {
      mediaSequence: this.mediaSequence(),
      lastCompleteMsn: this.segments.at(-1)?.msn,
      segments: this.segments.length,
      nextMsn: this.current?.msn ?? this.nextMsn,
      nextPartNumber: this.nextPartNumber,
    };
  }

  /** An independent part opens a segment once the current one is within half a part of the target. */
  private segmentCutSec(): number {
    return this.options.segmentTargetSec - this.options.partTargetSec / 2 - 1e-6;
  }

  private mediaSequence(): number {
    return this.segments[0]?.msn ?? this.current?.msn ?? this.nextMsn;
  }

  private openSegment(input: PartInput, problems: PackagerProblem[]): Segment {
    const first = this.nextMsn === this.options.firstMsn;
    const segment: Segment = {
      msn: this.nextMsn++,
      discontinuity: first && this.options.discontinuity === true,
      programDateTimeMs: input.programDateTimeMs,
      parts: [],
      durationSec: 0,
      partsListed: true,
    };
    if (!input.independent) {
      // Accepted rather than dropped: the part is already named by number and may be hinted.
      // The playlist shows it without INDEPENDENT=YES, and the completed segment says independent: false.
      problems.push({
        code: 'segment-without-keyframe',
        message: `segment ${segment.msn} starts with part ${this.nextPartNumber}, which does not start with a keyframe`,
      });
    }
    this.current = segment;
    return segment;
  }

  private completeCurrent(problems: PackagerProblem[]): CompletedSegment {
    const segment = this.current!;
    this.current = undefined;
    this.segments.push(segment);
    const bytes = concatenate(segment.parts.map((part) => part.bytes ?? new Uint8Array()));
    for (const part of segment.parts) part.bytes = undefined;
    // Players compare the EXTINF as written, rounded to the nearest integer (4.4.3.1).
    const rounded = Math.round(round5(segment.durationSec));
    if (rounded > this.targetDurationSec) {
      this.targetDurationSec = rounded;
      problems.push({
        code: 'target-duration-raised',
        message: `segment ${segment.msn} lasts ${decimal(segment.durationSec)} s (a late keyframe): EXT-X-TARGETDURATION is now ${rounded}`,
      });
    }
    return {
      msn: segment.msn,
      uri: segmentUri(segment.msn),
      bytes,
      durationSec: segment.durationSec,
      independent: segment.parts[0]?.independent ?? false,
      partUris: segment.parts.map((part) => partUri(part.number)),
    };
  }

  /** Drops what left the window and the part tags beyond three target durations; returns their URIs. */
  private slideWindow(): string[] {
    const expired: string[] = [];
    const minimumSec = 3 * this.targetDurationSec;
    while (this.segments.length > this.windowSegments) {
      const remainingSec = this.segments.slice(1).reduce((sum, segment) => sum + segment.durationSec, 0);
      if (remainingSec < minimumSec) break;
      const gone = this.segments.shift()!;
      if (gone.discontinuity) this.discontinuitySequence++;
      expired.push(segmentUri(gone.msn));
      if (gone.partsListed) expired.push(...gone.parts.map((part) => partUri(part.number)));
    }
    const unlisted: string[] = [];
    let coveredSec = this.current?.durationSec ?? 0;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      if (!segment.partsListed) break;
      if (coveredSec >= minimumSec - 1e-6) {
        segment.partsListed = false;
        unlisted.unshift(...segment.parts.map((part) => partUri(part.number)));
      }
      coveredSec += segment.durationSec;
    }
    return [...expired, ...unlisted];
  }

  private render(mode: { live: boolean; delta: boolean; reports: readonly RenditionReport[] }): string {
    const target = this.targetDurationSec;
    const skipped = mode.delta ? this.skippableSegments() : 0;
    const lines = [
      '#EXTM3U',
      `#EXT-X-VERSION:${mode.delta ? DELTA_VERSION : VERSION}`,
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${decimal(ceil5(3 * this.partTargetSec))},CAN-SKIP-UNTIL=${decimal(6 * target)}`,
      `#EXT-X-PART-INF:PART-TARGET=${decimal(this.partTargetSec)}`,
      `#EXT-X-MEDIA-SEQUENCE:${this.mediaSequence()}`,
    ];
    const listed = mode.live && this.current ? [...this.segments, this.current] : this.segments;
    // Required before removing a segment of a playlist with EXT-X-DISCONTINUITY (6.2.2); harmless otherwise.
    if (this.discontinuitySequence > 0 || listed.some((segment) => segment.discontinuity)) {
      lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}`);
    }
    lines.push('#EXT-X-INDEPENDENT-SEGMENTS', `#EXT-X-MAP:URI="${this.options.initUri}"`);
    if (mode.delta) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);
    for (const segment of this.segments.slice(skipped)) {
      lines.push(...segmentHead(segment));
      if (segment.partsListed) lines.push(...segment.parts.map(partLine));
      lines.push(`#EXTINF:${decimal(segment.durationSec)},`, segmentUri(segment.msn));
    }
    if (mode.live) {
      if (this.current) lines.push(...segmentHead(this.current), ...this.current.parts.map(partLine));
      lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${partUri(this.nextPartNumber)}"`);
    }
    for (const report of mode.reports) {
      const lastPart = report.lastPart === undefined ? '' : `,LAST-PART=${report.lastPart}`;
      lines.push(`#EXT-X-RENDITION-REPORT:URI="${report.uri}",LAST-MSN=${report.lastMsn}${lastPart}`);
    }
    if (!mode.live) lines.push('#EXT-X-ENDLIST');
    return `${lines.join('\n')}\n`;
  }

  /** Oldest segments whose end is more than CAN-SKIP-UNTIL before the end of the newest complete segment. */
  private skippableSegments(): number {
    const boundarySec = 6 * this.targetDurationSec;
    let afterSec = 0;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      if (afterSec > boundarySec) return i + 1;
      afterSec += this.segments[i]!.durationSec;
    }
    return 0;
  }
}

/** Tags applied to a segment, which must come before its first EXT-X-PART (rfc8216bis 4.4.4.9). */
function segmentHead(segment: Segment): string[] {
  const lines: string[] = [];
  if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
  if (segment.programDateTimeMs !== undefined) {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTimeMs).toISOString()}`);
  }
  return lines;
}

function partLine(part: Part): string {
  const independent = part.independent ? ',INDEPENDENT=YES' : '';
  return `#EXT-X-PART:DURATION=${decimal(part.durationSec)},URI="${partUri(part.number)}"${independent}`;
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
