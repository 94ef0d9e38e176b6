/**
 * Parses the key=value blocks ffmpeg prints with `-progress pipe:1` (one block per
 * -stats_period, each ending with a `progress=continue` or `progress=end` line).
 * Chunks from a pipe split lines and blocks anywhere: the unparsed tail comes back
 * as `rest` to be prepended to the next chunk.
 */

export interface ProgressBlock {
  /** Video frames output so far (undefined for audio-only outputs). */
  readonly frame: number | undefined;
  /** Encoding speed in frames per second. */
  readonly fps: number | undefined;
  /** Output timestamp in microseconds; undefined before the first packet ("N/A"). */
  readonly outTimeUs: number | undefined;
  /** Processing speed relative to real time ("1.23x" -> 1.23); undefined while "N/A". */
  readonly speed: number | undefined;
  /** Bytes written; undefined when the muxer cannot tell (hls reports "N/A"). */
  readonly totalSize: number | undefined;
  readonly dupFrames: number | undefined;
  readonly dropFrames: number | undefined;
  /** "end" on the last block, when ffmpeg is about to exit. */
  readonly progress: 'continue' | 'end';
  /** Every key of the block as printed, including per-stream ones (stream_0_0_q). */
  readonly fields: Readonly<Record<string, string>>;
}

export interface ParsedProgress {
  readonly blocks: ProgressBlock[];
  /** Text after the last complete block: keep it and prepend it to the next chunk. */
  readonly rest: string;
}

export function parseProgressChunk(buffer: string): ParsedProgress {
  const blocks: ProgressBlock[] = [];
  let fields: Record<string, string> = {};
  let consumed = 0;
  let lineStart = 0;
  for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n', lineStart)) {
    const line = buffer.slice(lineStart, newline).replace(/\r$/, '');
    lineStart = newline + 1;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    fields[key] = value;
    if (key === 'progress') {
      blocks.push(toBlock(fields, value === 'end' ? 'end' : 'continue'));
      fields = {};
      consumed = lineStart;
    }
  }
  return { blocks, rest: buffer.slice(consumed) };
}

function toBlock(fields: Record<string, string>, progress: 'continue' | 'end'): ProgressBlock {
  return {
    frame: integer(fields['frame']),
    fps: decimal(fields['fps']),
    // out_time_ms is microseconds too, despite its name (an ffmpeg misnomer kept for
    // compatibility; fftools/ffmpeg.c prints the same value under both keys).
    outTimeUs: nonNegative(integer(fields['out_time_us'] ?? fields['out_time_ms'])),
    speed: decimal(fields['speed']?.replace(/x$/, '')),
    totalSize: integer(fields['total_size']),
    dupFrames: integer(fields['dup_frames']),
    dropFrames: integer(fields['drop_frames']),
    progress,
    fields,
  };
}

/** "N/A", empty and unparsable values are undefined. */
function decimal(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
}

/**
 * Integers beyond 2^53 are undefined: before the first packet ffmpeg prints
 * out_time_us as -9223372036854775807 (AV_NOPTS_VALUE) on some builds.
 */
function integer(text: string | undefined): number | undefined {
  const n = decimal(text);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function nonNegative(n: number | undefined): number | undefined {
  return n !== undefined && n >= 0 ? n : undefined;
}
