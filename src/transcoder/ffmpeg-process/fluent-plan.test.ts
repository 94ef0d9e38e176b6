/**
 * Golden tests of the argv -> fluent-ffmpeg mapping, checked against the argv
 * fluent-ffmpeg itself builds from the calls (its private _getArguments).
 */
import ffmpeg from 'fluent-ffmpeg';
import { describe, it, expect } from 'vitest';
import { resolveLadder } from '../ladder/resolve-ladder.js';
import { trimLadder } from '../ladder/trim-ladder.js';
import { buildTranscodeArgs } from '../ffmpeg-args/build-transcode-args.js';
import { fluentArgv, planFluentCommand } from './fluent-plan.js';
import type { FluentPlan } from './fluent-plan.js';

function ladder(names: string[]) {
  const specs = resolveLadder(names);
  if (!specs.ok) throw new Error(specs.error.message);
  const trimmed = trimLadder(specs.value, { video: { width: 1280, height: 720, fps: 30 }, audio: { channels: 2, sampleRate: 48000 } });
  if (!trimmed.ok) throw new Error(trimmed.error.message);
  return trimmed.value;
}

/** What fluent-ffmpeg would spawn for a plan, built the way FfmpegRun builds the command. */
function fluentBuilds(plan: FluentPlan): string[] {
  const command = ffmpeg();
  for (const input of plan.inputs) {
    command.input(input.source);
    if (input.options.length > 0) command.inputOptions(...input.options);
  }
  if (plan.complexFilter !== undefined) command.complexFilter(plan.complexFilter);
  command.output(plan.target);
  command.outputOptions(...plan.outputOptions);
  return (command as unknown as { _getArguments(): string[] })._getArguments();
}

const liveTestsrc = buildTranscodeArgs({
  input: { kind: 'testsrc', width: 1280, height: 720, fps: 30, clock: true, toneHz: 440, fontFile: '/fonts/My Font.ttf' },
  ...ladder(['720p', '360p']),
  mode: { kind: 'live', dvrWindowSec: 12, startNumber: 40, discontinuity: true },
  outDir: '/work/task 1',
});
const vodHttp = buildTranscodeArgs({
  input: { kind: 'url', url: 'https://media.example/in.mp4', live: false },
  ...ladder(['720p', '480p', 'audio-only']),
  segment: { type: 'fmp4' },
  mode: { kind: 'vod' },
  outDir: '/work/vod',
});

describe('planFluentCommand', () => {
  it('splits a two-input live argv into inputs, graph, output options and target', () => {
    const plan = planFluentCommand(liveTestsrc);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.inputs.map((input) => input.source)).toEqual([
      liveTestsrc[liveTestsrc.indexOf('-i') + 1],
      'sine=frequency=440:sample_rate=48000',
    ]);
    // The global flags stay in front of the first input.
    expect(plan.value.inputs[0]?.options.slice(0, 4)).toEqual(['-hide_banner', '-loglevel', 'warning', '-nostats']);
    expect(plan.value.inputs[1]?.options).toEqual(['-re', '-f', 'lavfi']);
    expect(plan.value.complexFilter).toMatch(/^\[0:v:0\]fps=30,format=yuv420p,split=2/);
    expect(plan.value.target).toBe('/work/task 1/%v/index.m3u8');
    const map = plan.value.outputOptions.indexOf('-var_stream_map');
    expect(plan.value.outputOptions[map + 1]).toBe('v:0,a:0,name:720p v:1,a:1,name:360p');
  });

  it.each([
    ['a live test source with a clock and spaces in paths', liveTestsrc],
    ['a VOD HTTP input with fMP4 and an audio-only rung', vodHttp],
  ])('gives fluent-ffmpeg calls that rebuild the exact argv for %s', (_label, argv) => {
    const plan = planFluentCommand(argv);
    if (!plan.ok) throw new Error(plan.error.message);
    const built = fluentBuilds(plan.value);
    expect(built).toEqual(fluentArgv(plan.value));
    // The only difference from our argv: fluent-ffmpeg's own "-y" before the filter graph.
    const withoutExtraY = [...built];
    withoutExtraY.splice(built.indexOf('-y', built.lastIndexOf('-i')), 1);
    expect(withoutExtraY).toEqual(argv);
  });

  it('shows why name and value must be separate: one array item with a space is split', () => {
    const command = ffmpeg().output('/o.m3u8');
    command.outputOptions(['-var_stream_map v:0,name:a v:1,name:b']);
    command.outputOptions('-hls_time 2');
    const args = (command as unknown as { _getArguments(): string[] })._getArguments();
    expect(args).toContain('-var_stream_map v:0,name:a v:1,name:b');
    expect(args).toEqual(expect.arrayContaining(['-hls_time', '2']));
  });

  it.each<[string, string[], string]>([
    ['no input', ['-y', 'out.m3u8'], 'no-input'],
    ['no output after the input', ['-i', 'in.mp4'], 'no-output'],
    ['an option as the last word', ['-i', 'in.mp4', '-f', 'hls', '-y'], 'no-output'],
    ['a lone option with a space', ['-i', 'in.mp4', '-preset fast', 'out.m3u8'], 'unsplittable-option'],
  ])('refuses %s', (_label, argv, code) => {
    expect(planFluentCommand(argv)).toMatchObject({ ok: false, error: { code } });
  });
});
