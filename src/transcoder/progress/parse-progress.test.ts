/** Tests of -progress block parsing, including blocks split across pipe chunks. */
import { describe, it, expect } from 'vitest';
import { parseProgressChunk } from './parse-progress.js';
import type { ProgressBlock } from './parse-progress.js';

// Two blocks as ffmpeg 5.1 prints them with -progress pipe:1 (the first before any
// packet was written, the second the final one).
const FIRST = [
  'frame=0',
  'fps=0.00',
  'stream_0_0_q=0.0',
  'bitrate=N/A',
  'total_size=N/A',
  'out_time_us=N/A',
  'out_time_ms=N/A',
  'out_time=N/A',
  'dup_frames=0',
  'drop_frames=0',
  'speed=N/A',
  'progress=continue',
  '',
].join('\n');
const LAST = [
  'frame=120',
  'fps=27.17',
  'stream_0_0_q=-1.0',
  'bitrate=  2431.9kbits/s',
  'total_size=1219216',
  'out_time_us=4010667',
  'out_time_ms=4010667',
  'out_time=00:00:04.010667',
  'dup_frames=1',
  'drop_frames=2',
  'speed=0.908x',
  'progress=end',
  '',
].join('\n');

describe('parseProgressChunk', () => {
  it('parses complete blocks', () => {
    const { blocks, rest } = parseProgressChunk(FIRST + LAST);
    expect(rest).toBe('');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({
      frame: 0,
      fps: 0,
      outTimeUs: undefined,
      speed: undefined,
      totalSize: undefined,
      dupFrames: 0,
      dropFrames: 0,
      progress: 'continue',
    });
    expect(blocks[1]).toMatchObject({
      frame: 120,
      fps: 27.17,
      outTimeUs: 4_010_667,
      speed: 0.908,
      totalSize: 1_219_216,
      dupFrames: 1,
      dropFrames: 2,
      progress: 'end',
    });
    expect(blocks[1]?.fields['bitrate']).toBe('2431.9kbits/s');
    expect(blocks[1]?.fields['stream_0_0_q']).toBe('-1.0');
  });

  it('returns an unfinished block as rest, whatever the split point', () => {
    const text = FIRST + LAST;
    const whole = parseProgressChunk(text).blocks;
    for (let cut = 0; cut <= text.length; cut += 1) {
      const first = parseProgressChunk(text.slice(0, cut));
      const second = parseProgressChunk(first.rest + text.slice(cut));
      const blocks: ProgressBlock[] = [...first.blocks, ...second.blocks];
      expect(blocks).toEqual(whole);
      expect(second.rest).toBe('');
    }
  });

  it('keeps the rest exactly, including a partial last line', () => {
    const { blocks, rest } = parseProgressChunk(`${FIRST}frame=3\nfps=2`);
    expect(blocks).toHaveLength(1);
    expect(rest).toBe('frame=3\nfps=2');
  });

  it('does not end a block at a progress key that is still being received', () => {
    const { blocks, rest } = parseProgressChunk('frame=1\nprogress=cont');
    expect(blocks).toEqual([]);
    expect(rest).toBe('frame=1\nprogress=cont');
  });

  it('reads out_time_ms as microseconds when out_time_us is missing (ffmpeg names it wrongly)', () => {
    const { blocks } = parseProgressChunk('out_time_ms=2500000\nprogress=continue\n');
    expect(blocks[0]?.outTimeUs).toBe(2_500_000);
  });

  it('treats the AV_NOPTS_VALUE out time of old builds as unknown', () => {
    const { blocks } = parseProgressChunk('out_time_us=-9223372036854775807\nout_time=-2562047:47:16.854775\nprogress=continue\n');
    expect(blocks[0]?.outTimeUs).toBeUndefined();
  });

  it('accepts CRLF line ends and a padded speed', () => {
    const { blocks } = parseProgressChunk('frame=10\r\nspeed= 1.5x\r\nprogress=continue\r\n');
    expect(blocks[0]).toMatchObject({ frame: 10, speed: 1.5, progress: 'continue' });
  });

  it('ignores lines without a key', () => {
    const { blocks } = parseProgressChunk('\ngarbage\n=x\nframe=5\nprogress=continue\n');
    expect(blocks[0]?.fields).toEqual({ frame: '5', progress: 'continue' });
  });
});
