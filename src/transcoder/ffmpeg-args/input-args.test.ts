/** Tests of the input flags: per-protocol timeouts and reconnects, the lavfi test source and its clock. */
import { describe, it, expect } from 'vitest';
import { buildInputArgs } from './input-args.js';
import type { TestSourceInput } from './transcode-options.js';

const VOD = { kind: 'vod' } as const;
const LIVE = { kind: 'live', dvrWindowSec: 30 } as const;

describe('buildInputArgs for URLs', () => {
  it.each([
    ['/media/in.mp4', []],
    ['file:/media/in.mp4', []],
    ['C:/media/in.mp4', []],
    ['rtmp://host/app/key', ['-rw_timeout', '10000000']],
    ['rtmps://host/app/key', ['-rw_timeout', '10000000']],
    ['srt://host:9000?mode=caller', ['-rw_timeout', '10000000']],
    ['udp://239.0.0.1:1234', ['-rw_timeout', '10000000']],
    ['RTSP://cam.local/stream1', ['-rtsp_transport', 'tcp', '-timeout', '10000000']],
  ])('gives %s the right timeout flags', (url, flags) => {
    expect(buildInputArgs({ kind: 'url', url, live: true }, LIVE)).toEqual({
      args: [...flags, '-i', url],
      video: '0:v:0',
      audio: '0:a:0',
    });
  });

  it('reconnects live HTTP as a stream, VOD HTTP as a seekable file', () => {
    const live = buildInputArgs({ kind: 'url', url: 'https://h/live.m3u8', live: true }, LIVE).args;
    const vod = buildInputArgs({ kind: 'url', url: 'https://h/file.mp4', live: false }, VOD).args;
    expect(live).toContain('-reconnect_streamed');
    expect(vod).not.toContain('-reconnect_streamed');
    expect(vod).toEqual([
      '-reconnect',
      '1',
      '-reconnect_on_network_error',
      '1',
      '-reconnect_delay_max',
      '5',
      '-rw_timeout',
      '10000000',
      '-i',
      'https://h/file.mp4',
    ]);
  });

  it('never reads a URL in real time', () => {
    expect(buildInputArgs({ kind: 'url', url: 'rtmp://h/a/b', live: true }, LIVE).args).not.toContain('-re');
  });

  it('converts the network timeout to microseconds', () => {
    expect(buildInputArgs({ kind: 'url', url: 'tcp://h:1', live: true, networkTimeoutSec: 2.5 }, LIVE).args).toEqual([
      '-rw_timeout',
      '2500000',
      '-i',
      'tcp://h:1',
    ]);
  });
});

describe('buildInputArgs for the test source', () => {
  const base: TestSourceInput = { kind: 'testsrc', width: 640, height: 360, fps: 30000 / 1001, clock: false, toneHz: 440 };

  it('uses testsrc (its own counter) and a sine tone; VOD runs as fast as it can', () => {
    expect(buildInputArgs({ ...base, durationSec: 4 }, VOD)).toEqual({
      args: [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=640x360:rate=30000/1001:duration=4',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000:duration=4',
      ],
      video: '0:v:0',
      audio: '1:a:0',
    });
  });

  it('reads both lavfi inputs in real time when live', () => {
    const { args } = buildInputArgs(base, LIVE);
    expect(args.filter((a) => a === '-re')).toHaveLength(2);
    expect(args.indexOf('-re')).toBe(0);
  });

  it('skips the clock without a font file', () => {
    const { args } = buildInputArgs({ ...base, clock: true }, LIVE);
    expect(args.join(' ')).not.toContain('drawtext');
    expect(args).toContain('testsrc=size=640x360:rate=30000/1001');
  });

  it('draws local time to the second when no start epoch is given', () => {
    const { args } = buildInputArgs({ ...base, clock: true, fontFile: '/f.ttf' }, LIVE);
    expect(args[args.indexOf('-i') + 1]).toBe(
      "testsrc2=size=640x360:rate=30000/1001,drawtext=fontfile=/f.ttf:text='%{localtime\\:%T}':fontsize=30:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=8:x=(w-text_w)/2:y=(h-text_h)/2",
    );
  });

  it('escapes a font path with filtergraph specials', () => {
    const { args } = buildInputArgs({ ...base, clock: true, fontFile: "/fonts/we:ird,f'nt.ttf" }, LIVE);
    expect(args[args.indexOf('-i') + 1]).toContain("drawtext=fontfile=/fonts/we\\\\:ird\\,f\\\\\\'nt.ttf:text=");
  });
});
