/**
 * `hlscdn transcode <input> --out <store-url>`: runs one task in the foreground, no
 * Redis needed. A progress line on stderr when it is a terminal (VOD: percent, speed,
 * ETA; live: uptime, speed, restarts), plain log lines otherwise. Ctrl-C stops ffmpeg
 * gracefully (a live stream gets its ENDLIST); a second Ctrl-C exits at once.
 */
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { HlscdnError } from '../../core/errors.js';
import { openStoreFromConfig } from '../../origin-store/index.js';
import {
  formatProgressLine,
  prepareLaunchers,
  sessionSettingsFromConfig,
  TranscodeSession,
  parseTaskSpec,
} from '../../transcoder/index.js';
import type { TaskSpecInput } from '../../transcoder/index.js';
import { cliContext } from '../cli-context.js';
import { exitCodeFor, reportFatal } from '../service-runner.js';

interface TranscodeFlags {
  out: string;
  live?: boolean;
  ladder?: string;
  segment?: number;
  fmp4?: boolean;
  lowLatency?: boolean | number;
  id?: string;
  prefix?: string;
  dvrWindow?: number;
  preset?: string;
  duration?: number;
}

/** The task-spec flags `hlscdn transcode` and `hlscdn tasks create` share. */
export function withTaskSpecOptions(command: Command): Command {
  return command
    .option(
      '--live',
      'treat the input as live (sliding window, restarts continue the stream); default for rtmp/srt/udp and an endless testsrc',
    )
    .option('--ladder <rungs>', 'comma-separated presets: 1080p,720p,480p,360p,240p,audio-only', '720p,480p,360p')
    .option('--segment <seconds>', 'segment duration', Number, 2)
    .option('--fmp4', 'fMP4 segments (EXT-X-MAP init segments) instead of MPEG-TS')
    .option(
      '--low-latency [part-seconds]',
      'live low-latency HLS (RFC 8216bis parts, preload hints, blocking reload; fMP4): parts of about this long (default 0.4)',
      Number,
    )
    .option('--id <id>', 'task id (default: from the file name, or random)')
    .option('--prefix <prefix>', 'store prefix of the output (default live/<id> or vod/<id>)')
    .option('--dvr-window <seconds>', 'live: seconds the playlists keep', Number)
    .option('--preset <x264-preset>', 'x264 preset (ultrafast ... veryslow)')
    .option('--duration <seconds>', 'testsrc: stop after this long', Number);
}

export function transcodeCommand(): Command {
  return withTaskSpecOptions(
    new Command('transcode')
      .description('transcode one input into multi-variant HLS in an object store, in the foreground (no Redis needed)')
      .argument(
        '<input>',
        'a file path, a URL ffmpeg reads (rtmp, srt, http(s), file), or testsrc[:WxH@FPS] for a test pattern with a clock and a tone',
      )
      .requiredOption('--out <store-url>', 'object store to write into: file:./dir or s3://bucket/prefix'),
  ).action(async (input: string, flags: TranscodeFlags, command: Command) => {
    try {
      process.exitCode = await transcode(input, flags, command);
    } catch (error) {
      reportFatal(error);
      process.exitCode = exitCodeFor(error);
    }
  });
}

async function transcode(input: string, flags: TranscodeFlags, command: Command): Promise<number> {
  const { config, logger } = cliContext(command, 'transcode');
  const section = config.transcoder;
  const parsed = parseTaskSpec(specFromFlags(input, flags));
  if (!parsed.ok) throw new HlscdnError('invalid-input', parsed.error.message);
  const spec = parsed.value;
  const store = await openStoreFromConfig({ ...config.store, url: flags.out }, process.cwd());
  const launchers = await prepareLaunchers({ ffmpegPath: section.ffmpegPath, ffprobePath: section.ffprobePath });
  const session = TranscodeSession.start({
    ...sessionSettingsFromConfig(section),
    spec,
    store,
    workDir: resolve(section.workDir, spec.id),
    launchers,
    logger,
  });

  const tty = process.stderr.isTTY === true;
  let lastLogged = 0;
  session.on('progress', (progress) => {
    const line = formatProgressLine(progress, spec.mode === 'live');
    if (tty) {
      process.stderr.write(`\r\u001b[K${spec.id} ${line}`);
    } else if (Date.now() - lastLogged >= 10_000) {
      lastLogged = Date.now();
      logger.info({ task: spec.id, ...progress }, line);
    }
  });
  session.on('restart', ({ reason, delayMs }) => {
    if (tty) process.stderr.write('\n');
    logger.warn({ task: spec.id, delayMs }, `ffmpeg restarts: ${reason}`);
  });
  session.on('published', ({ rung, key }) => logger.debug({ rung, key }, 'playlist published'));

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    if (tty) process.stderr.write('\n');
    logger.info('stopping (Ctrl-C again to exit at once)');
    void session.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  console.log(`transcoding ${describeInput(spec.input)} (${spec.mode}) into ${store.description} under ${spec.outputPrefix}/`);
  try {
    const outcome = await session.done;
    if (tty) process.stderr.write('\n');
    const where = `${spec.outputPrefix}/master.m3u8`;
    if (outcome.state === 'failed') {
      console.error(`hlscdn: task ${spec.id} failed: ${outcome.reason ?? 'unknown reason'}`);
      return 1;
    }
    console.log(`task ${spec.id} ${outcome.state} after ${outcome.restarts} restart(s): ${where}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}

/** The task spec the flags describe. */
export function specFromFlags(input: string, flags: Omit<TranscodeFlags, 'out'>): TaskSpecInput {
  const source = inputFromArgument(input, flags.duration);
  const id = flags.id ?? (typeof source === 'string' && source.startsWith('file:') ? idFromPath(input) : undefined);
  return {
    ...(id === undefined ? {} : { id }),
    input: source,
    ...(flags.live ? { mode: 'live' as const } : {}),
    ladder: (flags.ladder ?? '720p,480p,360p')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    segment: { durationSec: flags.segment ?? 2, ...(flags.fmp4 ? { type: 'fmp4' as const } : {}) },
    ...(flags.lowLatency === undefined || flags.lowLatency === false
      ? {}
      : { lowLatency: flags.lowLatency === true ? true : { partTargetSec: flags.lowLatency } }),
    ...(flags.dvrWindow === undefined ? {} : { dvrWindowSec: flags.dvrWindow }),
    ...(flags.prefix === undefined ? {} : { outputPrefix: flags.prefix }),
    ...(flags.preset === undefined ? {} : { encoderPreset: flags.preset as never }),
  };
}

function inputFromArgument(input: string, durationSec: number | undefined): TaskSpecInput['input'] {
  const test = /^testsrc(?::(\d+)x(\d+)(?:@(\d+(?:\.\d+)?))?)?$/.exec(input);
  if (test) {
    return {
      kind: 'testsrc',
      ...(test[1] && test[2] ? { width: Number(test[1]), height: Number(test[2]) } : {}),
      ...(test[3] ? { fps: Number(test[3]) } : {}),
      ...(durationSec === undefined ? {} : { durationSec }),
    };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(input) && !/^[a-z]:[\\/]/i.test(input)) return input;
  return pathToFileURL(resolve(input)).href;
}

function idFromPath(path: string): string | undefined {
  const id = basename(path, extname(path))
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64);
  return id === '' ? undefined : id;
}

function describeInput(input: TaskSpecInput['input']): string {
  return typeof input === 'string' ? input : `testsrc ${input.width ?? 1280}x${input.height ?? 720}`;
}
