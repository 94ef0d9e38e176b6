/**
 * The live sliding window of one variant as the uploader publishes it, kept across
 * ffmpeg restarts. ffmpeg starts every run with an empty playlist (media sequence =
 * -start_number, EXT-X-DISCONTINUITY on the first segment with discont_start) and never
 * writes EXT-X-DISCONTINUITY-SEQUENCE; the window instead keeps the previous run's
 * segments until they slide out, so a restart never shrinks the playlist below three
 * target durations (RFC 8216 6.2.2), and counts the discontinuities that leave it:
 * "If the server removes an EXT-X-DISCONTINUITY tag from the Media Playlist, it MUST
 * increment the value of the EXT-X-DISCONTINUITY-SEQUENCE tag" (RFC 8216 6.2.2).
 * Pure: no clock, no I/O.
 */
import type { MediaPlaylist, MediaSegment } from './media-playlist.js';

export interface LiveWindowOptions {
  /** Segments kept in the playlist (ffmpeg's -hls_list_size). */
  readonly capacity: number;
  /** Smallest EXT-X-TARGETDURATION to announce: the configured segment duration, rounded up. */
  readonly targetDurationSec: number;
}

export interface MergeResult {
  /** Segments new to the window, in order (fillers included). */
  readonly added: readonly MediaSegment[];
  /** Segments that slid out of the window. */
  readonly evicted: readonly MediaSegment[];
}

export class LiveWindow {
  private readonly capacity: number;
  private segments: MediaSegment[] = [];
  private discontinuitySeq = 0;
  private targetDurationSec: number;
  private version = 3;
  private independent = false;

  constructor(options: LiveWindowOptions) {
    this.capacity = Math.max(1, options.capacity);
    this.targetDurationSec = Math.max(1, Math.ceil(options.targetDurationSec));
  }

  /** A window that continues what an earlier process published (a failover or a restart of the service). */
  static restore(published: MediaPlaylist, options: LiveWindowOptions): LiveWindow {
    const window = new LiveWindow(options);
    window.segments = [...published.segments];
    window.discontinuitySeq = published.discontinuitySequence;
    window.adoptHeader(published);
    window.evictOverflow();
    return window;
  }

  get lastMsn(): number | undefined {
    return this.segments.at(-1)?.msn;
  }

  get firstMsn(): number | undefined {
    return this.segments[0]?.msn;
  }

  get discontinuitySequence(): number {
    return this.discontinuitySeq;
  }

  entries(): readonly MediaSegment[] {
    return this.segments;
  }

  /** Sum of the segment durations in the window, seconds. */
  durationSec(): number {
    return this.segments.reduce((sum, entry) => sum + entry.durationSec, 0);
  }

  /** Whether a URI (segment or init) is still listed. */
  references(uri: string): boolean {
    return this.segments.some((entry) => entry.uri === uri || entry.mapUri === uri);
  }

  /**
   * Adds the segments of a playlist ffmpeg wrote that are newer than the window's last
   * one. A jump in media sequence numbers (a variant that lost its last segment when
   * ffmpeg was killed while the others had written theirs) is filled by repeating the
   * previous segment behind a discontinuity: numbers stay consecutive and aligned with
   * the other variants, which players use to switch variants.
   */
  merge(playlist: MediaPlaylist): MergeResult {
    this.adoptHeader(playlist);
    const added: MediaSegment[] = [];
    for (const segment of playlist.segments) {
      const last = this.segments.at(-1);
      if (last && segment.msn <= last.msn) continue;
      let discontinuity = segment.discontinuity;
      if (last && segment.msn > last.msn + 1) {
        for (let msn = last.msn + 1; msn < segment.msn; msn += 1) {
          const filler: MediaSegment = { ...last, msn, discontinuity: msn === last.msn + 1, tags: [] };
          this.segments.push(filler);
          added.push(filler);
        }
        discontinuity = true;
      }
      const entry = { ...segment, discontinuity };
      this.segments.push(entry);
      added.push(entry);
    }
    return { added, evicted: this.evictOverflow() };
  }

  /** The media playlist text to publish. */
  render(options: { readonly endList?: boolean } = {}): string {
    const target = Math.max(this.targetDurationSec, ...this.segments.map((entry) => Math.round(entry.durationSec)));
    // Target duration must not shrink during a stream (RFC 8216 6.2.1 forbids changing it).
    this.targetDurationSec = target;
    const lines = [
      '#EXTM3U',
      `#EXT-X-VERSION:${this.version}`,
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-MEDIA-SEQUENCE:${this.firstMsn ?? 0}`,
    ];
    if (this.discontinuitySeq > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySeq}`);
    if (this.independent) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
    let map: string | undefined;
    for (const entry of this.segments) {
      if (entry.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
      if (entry.mapUri !== undefined && entry.mapUri !== map) {
        lines.push(`#EXT-X-MAP:URI="${entry.mapUri}"`);
        map = entry.mapUri;
      }
      lines.push(`#EXTINF:${entry.extinf}`, ...entry.tags, entry.uri);
    }
    if (options.endList) lines.push('#EXT-X-ENDLIST');
    return `${lines.join('\n')}\n`;
  }

  private adoptHeader(playlist: MediaPlaylist): void {
    this.version = Math.max(this.version, playlist.version ?? 3);
    this.independent ||= playlist.independentSegments;
    this.targetDurationSec = Math.max(this.targetDurationSec, playlist.targetDurationSec);
  }

  private evictOverflow(): MediaSegment[] {
    const evicted: MediaSegment[] = [];
    while (this.segments.length > this.capacity) {
      const gone = this.segments.shift() as MediaSegment;
      if (gone.discontinuity) this.discontinuitySeq += 1;
      evicted.push(gone);
    }
    return evicted;
  }
}
