/**
 * The input half of the ffmpeg argv: protocol-specific timeouts and reconnects for URLs,
 * and the lavfi test pattern (with an optional burnt-in clock) plus a sine tone.
 */
import { frameRateForFfmpeg } from '../ladder/frame-rate.js';
import { filterValue } from './filter-escape.js';
import { DEFAULT_NETWORK_TIMEOUT_SEC } from './transcode-options.js';
import type { TestSourceInput, TranscodeMode, UrlInput } from './transcode-options.js';

export interface InputArgs {
  readonly args: string[];
  /** Stream specifier of the video to encode, e.g. "0:v:0". */
  readonly video: string;
  /** Stream specifier of the audio to encode, e.g. "1:a:0". */
  readonly audio: string;
}

export function buildInputArgs(input: UrlInput | TestSourceInput, mode: TranscodeMode): InputArgs {
  if (input.kind === 'url') {
    return { args: [...networkArgs(input), '-i', input.url], video: '0:v:0', audio: '0:a:0' };
  }
  return testSourceArgs(input, mode);
}

/**
 * A dead network source must fail (so the supervisor can restart it) rather than hang:
 * every protocol gets a read timeout. `rw_timeout` is generic URLContext I/O timeout
 * (libavformat/avio.c); RTSP is a demuxer, not a protocol, and takes `-timeout`.
 * No `-re` for URLs: live sources already arrive in real time and VOD should run flat out.
 */
function networkArgs(input: UrlInput): string[] {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input.url)?.[1]?.toLowerCase();
  const timeoutUs = String(Math.round((input.networkTimeoutSec ?? DEFAULT_NETWORK_TIMEOUT_SEC) * 1_000_000));
  switch (scheme) {
    case 'http':
    case 'https':
      return [
        '-reconnect',
        '1',
        // Non-seekable (live) HTTP bodies reconnect only with reconnect_streamed.
        ...(input.live ? ['-reconnect_streamed', '1'] : []),
        '-reconnect_on_network_error',
        '1',
        '-reconnect_delay_max',
        '5',
        '-rw_timeout',
        timeoutUs,
      ];
    case 'rtsp':
    case 'rtsps':
      // Interleaved TCP: UDP RTP loses packets on busy hosts and through NAT.
      return ['-rtsp_transport', 'tcp', '-timeout', timeoutUs];
    case 'rtmp':
    case 'rtmps':
    case 'srt':
    case 'tcp':
    case 'udp':
    case 'rtp':
      return ['-rw_timeout', timeoutUs];
    default:
      // Local files (with or without "file:") cannot stall.
      return [];
  }
}

function testSourceArgs(input: TestSourceInput, mode: TranscodeMode): InputArgs {
  // A live test stream must be produced at the pace of the clock, like a camera.
  const realtime = mode.kind === 'live' ? ['-re'] : [];
  const duration = input.durationSec === undefined ? '' : `:duration=${input.durationSec}`;
  const size = `size=${input.width}x${input.height}:rate=${frameRateForFfmpeg(input.fps)}${duration}`;
  const drawClock = input.clock && input.fontFile !== undefined;
  // testsrc draws its own frame counter; testsrc2 is the calmer background for our clock.
  const video = drawClock ? `testsrc2=${size},${clockFilter(input, input.fontFile ?? '')}` : `testsrc=${size}`;
  const audio = `sine=frequency=${input.toneHz}:sample_rate=48000${duration}`;
  return {
    args: [...realtime, '-f', 'lavfi', '-i', video, ...realtime, '-f', 'lavfi', '-i', audio],
    video: '0:v:0',
    audio: '1:a:0',
  };
}

/**
 * drawtext clock. With a start epoch the time comes from the frame timestamp
 * (`pts` + offset, formatted as UTC) so milliseconds are available: ffmpeg 5.1's
 * `localtime` expansion only knows strftime, which has no sub-second field.
 */
function clockFilter(input: TestSourceInput, fontFile: string): string {
  const text =
    input.clockEpochMs === undefined
      ? '%{localtime\\:%T}'
      : `UTC %{pts\\:gmtime\\:${input.clockEpochMs / 1000}\\:%T}.%{eif\\:mod(t*1000+${input.clockEpochMs % 1000},1000)\\:d\\:3}`;
  const fontSize = Math.max(12, Math.round(input.height / 12));
  return [
    `drawtext=fontfile=${filterValue(fontFile)}`,
    `text='${text}'`,
    `fontsize=${fontSize}`,
    'fontcolor=white',
    'box=1',
    'boxcolor=black@0.6',
    `boxborderw=${Math.round(fontSize / 4)}`,
    'x=(w-text_w)/2',
    'y=(h-text_h)/2',
  ].join(':');
}
