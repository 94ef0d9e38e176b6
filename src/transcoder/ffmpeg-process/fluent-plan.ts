/**
 * Maps a prepared ffmpeg argv (from buildTranscodeArgs) onto the calls fluent-ffmpeg
 * offers: per input, its options then `-i <source>`; the `-filter_complex` graph; the
 * output options; the output target. Pure, so the mapping is golden-tested apart from
 * the process that runs it.
 *
 * fluent-ffmpeg builds `[in1 options, -i in1, ..., -y, -filter_complex G, out options, target]`.
 * Our argv has the same shape, with the global flags (-hide_banner, -progress...) before
 * the first input: they ride along as options of the first input, which keeps their
 * position; ffmpeg reads global options anywhere on the command line (cmdutils.c
 * split_commandline). fluent-ffmpeg adds one `-y` of its own; ours is already there.
 */
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';

export interface FluentInput {
  /** Options placed before this input's `-i`. */
  readonly options: readonly string[];
  readonly source: string;
}

export interface FluentPlan {
  readonly inputs: readonly FluentInput[];
  readonly complexFilter: string | undefined;
  /** Output options, each name and each value its own element. */
  readonly outputOptions: readonly string[];
  readonly target: string;
}

export type FluentPlanErrorCode = 'no-input' | 'no-output' | 'unsplittable-option';

export function planFluentCommand(argv: readonly string[]): Result<FluentPlan, CodedProblem<FluentPlanErrorCode>> {
  const lastInput = argv.lastIndexOf('-i');
  if (lastInput < 0 || lastInput + 1 >= argv.length) return fail('no-input', 'the argv has no "-i <source>"');

  const inputs: FluentInput[] = [];
  let pending: string[] = [];
  for (let i = 0; i <= lastInput + 1; i += 1) {
    const token = argv[i] as string;
    if (token === '-i' && i + 1 < argv.length) {
      inputs.push({ options: pending, source: argv[i + 1] as string });
      pending = [];
      i += 1;
    } else {
      pending.push(token);
    }
  }

  const rest = argv.slice(lastInput + 2);
  const target = rest.at(-1);
  if (target === undefined || target.startsWith('-')) return fail('no-output', 'the argv does not end with an output target');

  let complexFilter: string | undefined;
  const outputOptions: string[] = [];
  for (let i = 0; i < rest.length - 1; i += 1) {
    const token = rest[i] as string;
    if (token === '-filter_complex' && complexFilter === undefined && i + 1 < rest.length - 1) {
      complexFilter = rest[i + 1];
      i += 1;
    } else {
      outputOptions.push(token);
    }
  }

  // fluent-ffmpeg splits a lone option string on its single space ("-preset fast" ->
  // two items) unless options come as separate arguments: a one-element group holding
  // a space would be split behind our back.
  for (const group of [...inputs.map((input) => input.options), outputOptions]) {
    if (group.length === 1 && (group[0] as string).split(' ').length === 2) {
      return fail('unsplittable-option', `fluent-ffmpeg would split the lone option "${group[0]}" in two`);
    }
  }
  return ok({ inputs, complexFilter, outputOptions, target });
}

/** The argv fluent-ffmpeg builds from a plan (its extra `-y` included), for checks and logs. */
export function fluentArgv(plan: FluentPlan): string[] {
  return [
    ...plan.inputs.flatMap((input) => [...input.options, '-i', input.source]),
    '-y',
    ...(plan.complexFilter === undefined ? [] : ['-filter_complex', plan.complexFilter]),
    ...plan.outputOptions,
    plan.target,
  ];
}
