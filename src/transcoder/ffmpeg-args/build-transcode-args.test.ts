/**
 * Golden tests: the exact argv for each kind of task. A change here changes what runs
 * in production; review the diff as carefully as the code.
 */
import { describe, it, expect } from 'vitest';
import { resolveLadder } from '../ladder/resolve-ladder.js';
import { trimLadder } from '../ladder/trim-ladder.js';
import type { LadderProbe, TrimmedLadder } from '../ladder/trim-ladder.js';
import { buildTranscodeArgs } from './build-transcode-args.js';

const HEAD = ['-hide_banner', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-stats_period', '1', '-y'];
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const STEREO = { channels: 2, sampleRate: 48000 };

function ladder(names: string[], probe: LadderProbe): TrimmedLadder {
  const specs = resolveLadder(names);
  if (!specs.ok) throw new Error(specs.error.message);
  const trimmed = trimLadder(specs.value, probe);
  if (!trimmed.ok) throw new Error(trimmed.error.message);
  return trimmed.value;
}

describe('buildTranscodeArgs (golden)', () => {
  it('VOD, TS, 3 rungs from a file URL', () => {
    const { rungs, fps } = ladder(['1080p', '720p', '480p'], { video: { width: 1920, height: 1080, fps: 30000 / 1001 }, audio: STEREO });
    const args = buildTranscodeArgs({
      input: { kind: 'url', url: 'file:///media/in/talk.mp4', live: false },
      rungs,
      fps,
      mode: { kind: 'vod' },
      outDir: '/data/out/talk',
    });
    expect(args).toEqual([
      ...HEAD,
      '-i', 'file:///media/in/talk.mp4',
      '-filter_complex',
      '[0:v:0]fps=30000/1001,format=yuv420p,split=3[s0][s1][s2];' +
        '[s0]scale=1920:1080,setsar=1[v0];[s1]scale=1280:720,setsar=1[v1];[s2]scale=854:480,setsar=1[v2]',
      '-map', '[v0]', '-map', '0:a:0',
      '-map', '[v1]', '-map', '0:a:0',
      '-map', '[v2]', '-map', '0:a:0',
      '-c:v', 'libx264', '-preset', 'veryfast',
      '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*2)',
      '-b:v:0', '5000k', '-maxrate:v:0', '5350k', '-bufsize:v:0', '7500k', '-profile:v:0', 'high', '-level:v:0', '4.0',
      '-b:v:1', '2800k', '-maxrate:v:1', '2996k', '-bufsize:v:1', '4200k', '-profile:v:1', 'high', '-level:v:1', '3.1',
      '-b:v:2', '1400k', '-maxrate:v:2', '1498k', '-bufsize:v:2', '2100k', '-profile:v:2', 'main', '-level:v:2', '3.1',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000', '-b:a:0', '128k', '-b:a:1', '128k', '-b:a:2', '128k',
      '-max_muxing_queue_size', '1024',
      '-f', 'hls', '-hls_time', '2', '-hls_segment_type', 'mpegts',
      '-hls_flags', 'independent_segments+temp_file',
      '-hls_playlist_type', 'vod', '-hls_list_size', '0',
      '-hls_segment_filename', '/data/out/talk/%v/seg_%05d.ts',
      '-var_stream_map', 'v:0,a:0,name:1080p v:1,a:1,name:720p v:2,a:2,name:480p',
      '/data/out/talk/%v/index.m3u8',
    ]);
  });

  it('VOD, fMP4, 4 s segments, from HTTP, with encoder preset and threads', () => {
    const { rungs, fps } = ladder(['720p', '360p'], { video: { width: 1280, height: 720, fps: 25 }, audio: STEREO });
    const args = buildTranscodeArgs({
      input: { kind: 'url', url: 'https://media.example/in/film.mov', live: false, networkTimeoutSec: 15 },
      rungs,
      fps,
      segment: { durationSec: 4, type: 'fmp4' },
      mode: { kind: 'vod' },
      outDir: 'out/film/',
      encoderPreset: 'fast',
      threads: 2,
    });
    expect(args).toEqual([
      ...HEAD,
      '-reconnect', '1', '-reconnect_on_network_error', '1', '-reconnect_delay_max', '5', '-rw_timeout', '15000000',
      '-i', 'https://media.example/in/film.mov',
      '-filter_complex',
      '[0:v:0]fps=25,format=yuv420p,split=2[s0][s1];[s0]scale=1280:720,setsar=1[v0];[s1]scale=640:360,setsar=1[v1]',
      '-map', '[v0]', '-map', '0:a:0',
      '-map', '[v1]', '-map', '0:a:0',
      '-c:v', 'libx264', '-preset', 'fast',
      '-g', '100', '-keyint_min', '100', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*4)',
      '-b:v:0', '2800k', '-maxrate:v:0', '2996k', '-bufsize:v:0', '4200k', '-profile:v:0', 'high', '-level:v:0', '3.1',
      '-b:v:1', '800k', '-maxrate:v:1', '856k', '-bufsize:v:1', '1200k', '-profile:v:1', 'main', '-level:v:1', '3.0',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000', '-b:a:0', '128k', '-b:a:1', '96k',
      '-max_muxing_queue_size', '1024',
      '-threads', '2',
      '-f', 'hls', '-hls_time', '4',
      '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init_%v.mp4',
      '-hls_flags', 'independent_segments+temp_file',
      '-hls_playlist_type', 'vod', '-hls_list_size', '0',
      '-hls_segment_filename', 'out/film/%v/seg_%05d.m4s',
      '-var_stream_map', 'v:0,a:0,name:720p v:1,a:1,name:360p',
      'out/film/%v/index.m3u8',
    ]);
  });

  it('live test source with a burnt-in clock, 3 rungs and an audio-only rung', () => {
    const { rungs, fps } = ladder(['720p', '480p', '360p', 'audio-only'], { video: { width: 1280, height: 720, fps: 30 }, audio: STEREO });
    const args = buildTranscodeArgs({
      input: { kind: 'testsrc', width: 1280, height: 720, fps: 30, clock: true, toneHz: 1000, fontFile: FONT, clockEpochMs: 1_700_000_000_250 },
      rungs,
      fps,
      mode: { kind: 'live', dvrWindowSec: 30 },
      outDir: '/srv/hls/demo',
    });
    expect(args).toEqual([
      ...HEAD,
      '-re', '-f', 'lavfi', '-i',
      'testsrc2=size=1280x720:rate=30,' +
        `drawtext=fontfile=${FONT}:text='UTC %{pts\\:gmtime\\:1700000000.25\\:%T}.%{eif\\:mod(t*1000+250,1000)\\:d\\:3}'` +
        ':fontsize=60:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=15:x=(w-text_w)/2:y=(h-text_h)/2',
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000',
      '-filter_complex',
      '[0:v:0]fps=30,format=yuv420p,split=3[s0][s1][s2];' +
        '[s0]scale=1280:720,setsar=1[v0];[s1]scale=854:480,setsar=1[v1];[s2]scale=640:360,setsar=1[v2]',
      '-map', '[v0]', '-map', '1:a:0',
      '-map', '[v1]', '-map', '1:a:0',
      '-map', '[v2]', '-map', '1:a:0',
      '-map', '1:a:0',
      '-c:v', 'libx264', '-preset', 'veryfast',
      '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*2)',
      '-b:v:0', '2800k', '-maxrate:v:0', '2996k', '-bufsize:v:0', '4200k', '-profile:v:0', 'high', '-level:v:0', '3.1',
      '-b:v:1', '1400k', '-maxrate:v:1', '1498k', '-bufsize:v:1', '2100k', '-profile:v:1', 'main', '-level:v:1', '3.1',
      '-b:v:2', '800k', '-maxrate:v:2', '856k', '-bufsize:v:2', '1200k', '-profile:v:2', 'main', '-level:v:2', '3.0',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000', '-b:a:0', '128k', '-b:a:1', '128k', '-b:a:2', '96k', '-b:a:3', '64k',
      '-max_muxing_queue_size', '1024',
      '-f', 'hls', '-hls_time', '2', '-hls_segment_type', 'mpegts',
      '-hls_flags', 'independent_segments+temp_file+program_date_time+omit_endlist',
      '-hls_list_size', '15',
      '-hls_segment_filename', '/srv/hls/demo/%v/seg_%05d.ts',
      '-var_stream_map', 'v:0,a:0,name:720p v:1,a:1,name:480p v:2,a:2,name:360p a:3,name:audio-only',
      '/srv/hls/demo/%v/index.m3u8',
    ]);
  });

  it('live restart of an RTMP ingest: start number, discontinuity, no -re', () => {
    const { rungs, fps } = ladder(['720p', '360p'], { video: { width: 1280, height: 720, fps: 60 }, audio: STEREO });
    const args = buildTranscodeArgs({
      input: { kind: 'url', url: 'rtmp://ingest.local/live/abc', live: true },
      rungs,
      fps,
      segment: { durationSec: 2, type: 'ts' },
      mode: { kind: 'live', dvrWindowSec: 60, startNumber: 1234, discontinuity: true },
      outDir: '/srv/hls/abc',
    });
    expect(args).toEqual([
      ...HEAD,
      '-rw_timeout', '10000000',
      '-i', 'rtmp://ingest.local/live/abc',
      '-filter_complex',
      '[0:v:0]fps=60,format=yuv420p,split=2[s0][s1];[s0]scale=1280:720,setsar=1[v0];[s1]scale=640:360,setsar=1[v1]',
      '-map', '[v0]', '-map', '0:a:0',
      '-map', '[v1]', '-map', '0:a:0',
      '-c:v', 'libx264', '-preset', 'veryfast',
      '-g', '120', '-keyint_min', '120', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*2)',
      // 720p60 and 360p60 need higher levels than the 30 fps presets say.
      '-b:v:0', '2800k', '-maxrate:v:0', '2996k', '-bufsize:v:0', '4200k', '-profile:v:0', 'high', '-level:v:0', '3.2',
      '-b:v:1', '800k', '-maxrate:v:1', '856k', '-bufsize:v:1', '1200k', '-profile:v:1', 'main', '-level:v:1', '3.1',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000', '-b:a:0', '128k', '-b:a:1', '96k',
      '-max_muxing_queue_size', '1024',
      '-f', 'hls', '-hls_time', '2', '-hls_segment_type', 'mpegts',
      '-hls_flags', 'independent_segments+temp_file+program_date_time+omit_endlist+discont_start',
      '-hls_list_size', '30', '-start_number', '1234',
      '-hls_segment_filename', '/srv/hls/abc/%v/seg_%05d.ts',
      '-var_stream_map', 'v:0,a:0,name:720p v:1,a:1,name:360p',
      '/srv/hls/abc/%v/index.m3u8',
    ]);
  });

  it('audio-only input (internet radio over HTTP), live', () => {
    const { rungs, fps } = ladder(['720p', '360p', 'audio-only'], { audio: STEREO });
    const args = buildTranscodeArgs({
      input: { kind: 'url', url: 'http://radio.example/stream.aac', live: true },
      rungs,
      fps,
      mode: { kind: 'live', dvrWindowSec: 20, endListOnExit: true },
      outDir: '/srv/hls/radio',
    });
    expect(args).toEqual([
      ...HEAD,
      '-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_on_network_error', '1', '-reconnect_delay_max', '5',
      '-rw_timeout', '10000000',
      '-i', 'http://radio.example/stream.aac',
      '-map', '0:a:0',
      '-c:a', 'aac', '-ac', '2', '-ar', '48000', '-b:a:0', '64k',
      '-max_muxing_queue_size', '1024',
      '-f', 'hls', '-hls_time', '2', '-hls_segment_type', 'mpegts',
      '-hls_flags', 'independent_segments+temp_file+program_date_time',
      '-hls_list_size', '10',
      '-hls_segment_filename', '/srv/hls/radio/%v/seg_%05d.ts',
      '-var_stream_map', 'a:0,name:audio-only',
      '/srv/hls/radio/%v/index.m3u8',
    ]);
  });
});

describe('buildTranscodeArgs details', () => {
  const video = ladder(['720p'], { video: { width: 1280, height: 720, fps: 30 } });

  it('maps no audio when the rungs carry none', () => {
    const args = buildTranscodeArgs({ input: { kind: 'url', url: '/in.mp4', live: false }, ...video, mode: { kind: 'vod' }, outDir: '/o' });
    expect(args).not.toContain('-c:a');
    expect(args.filter((a) => a === '-map')).toHaveLength(1);
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,name:720p');
  });

  it('writes the init name literally for a single fMP4 variant (ffmpeg expands %v only for several)', () => {
    const args = buildTranscodeArgs({
      input: { kind: 'url', url: '/in.mp4', live: false }, ...video, segment: { type: 'fmp4' }, mode: { kind: 'vod' }, outDir: '/o',
    });
    expect(args[args.indexOf('-hls_fmp4_init_filename') + 1]).toBe('init_720p.mp4');
  });

  it('keeps -var_stream_map and its value as two argv elements', () => {
    const args = buildTranscodeArgs({ input: { kind: 'url', url: '/in.mp4', live: false }, ...video, mode: { kind: 'vod' }, outDir: '/o' });
    expect(args.some((a) => a.startsWith('-var_stream_map '))).toBe(false);
    expect(args.indexOf('-var_stream_map')).toBeGreaterThan(0);
  });

  it('does not write into the root directory twice', () => {
    const args = buildTranscodeArgs({ input: { kind: 'url', url: '/in.mp4', live: false }, ...video, mode: { kind: 'vod' }, outDir: '/' });
    expect(args.at(-1)).toBe('/%v/index.m3u8');
  });

  it('throws on options that fail validation, naming the code', () => {
    expect(() =>
      buildTranscodeArgs({ input: { kind: 'url', url: '/in.mp4', live: false }, rungs: [], fps: 30, mode: { kind: 'vod' }, outDir: '/o' }),
    ).toThrow(/no-rungs/);
  });
});
