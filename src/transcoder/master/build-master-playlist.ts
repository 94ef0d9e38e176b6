/**
 * Writes the multivariant (master) playlist for a transcoded ladder. ffmpeg's
 * -master_pl_name is not used: it knows neither the peak rates nor the frame rate we
 * chose, and the master must be uploaded only once every variant has segments.
 */
import { frameRateForPlaylist } from '../ladder/frame-rate.js';
import type { AudioRung, Rung, VideoRung } from '../ladder/rung.js';
import { mediaPlaylistUri } from '../shared/output-layout.js';
import type { SegmentType } from '../shared/output-layout.js';
import { AAC_LC_CODEC, avc1Codec } from './codecs.js';

export interface MasterPlaylistOptions {
  /** Trimmed rungs; video variants are written in this order, audio-only variants last. */
  readonly rungs: readonly Rung[];
  /** Output frame rate of the video rungs (FRAME-RATE is left out when undefined). */
  readonly fps: number | undefined;
  readonly segmentType: SegmentType;
  /**
   * Container and packetisation overhead on top of the elementary stream bitrates.
   * MPEG-TS adds about 5-10 %; BANDWIDTH must not be exceeded (RFC 8216 4.3.4.2).
   * @defaultValue 0.1
   */
  readonly muxingOverhead?: number;
}

export const DEFAULT_MUXING_OVERHEAD = 0.1;

export function buildMasterPlaylist(options: MasterPlaylistOptions): string {
  const overhead = 1 + (options.muxingOverhead ?? DEFAULT_MUXING_OVERHEAD);
  const bps = (kbps: number): number => Math.round(kbps * 1000 * overhead);

  const lines = [
    '#EXTM3U',
    // fMP4 segments need EXT-X-MAP, which needs protocol version 6 or later; 7 is what
    // ffmpeg writes in the fMP4 media playlists. Plain TS needs nothing past 3.
    `#EXT-X-VERSION:${options.segmentType === 'fmp4' ? 7 : 3}`,
    // Every segment starts with a keyframe (forced GOPs), so players may switch anywhere.
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];

  const video = options.rungs.filter((r): r is VideoRung => r.kind === 'video');
  const audio = options.rungs.filter((r): r is AudioRung => r.kind === 'audio');

  for (const rung of video) {
    const audioKbps = rung.audioBitrateKbps ?? 0;
    const codecs = [avc1Codec(rung.profile, rung.level), ...(rung.audioBitrateKbps === undefined ? [] : [AAC_LC_CODEC])];
    const attributes = [
      `BANDWIDTH=${bps(rung.maxrateKbps + audioKbps)}`,
      `AVERAGE-BANDWIDTH=${bps(rung.videoBitrateKbps + audioKbps)}`,
      `RESOLUTION=${rung.width}x${rung.height}`,
      ...(options.fps === undefined ? [] : [`FRAME-RATE=${frameRateForPlaylist(options.fps)}`]),
      `CODECS="${codecs.join(',')}"`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, mediaPlaylistUri(rung.name));
  }

  // Audio-only variants last: players start with the first variant listed (Apple HLS
  // authoring spec), and that one must have a picture.
  for (const rung of audio) {
    const attributes = [
      `BANDWIDTH=${bps(rung.audioBitrateKbps)}`,
      `AVERAGE-BANDWIDTH=${bps(rung.audioBitrateKbps)}`,
      `CODECS="${AAC_LC_CODEC}"`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, mediaPlaylistUri(rung.name));
  }

  return `${lines.join('\n')}\n`;
}
