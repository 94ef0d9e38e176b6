/**
 * The programs fluent-ffmpeg is pointed at: tiny launch scripts that exec the real
 * ffmpeg/ffprobe so that they cannot outlive us.
 *
 * fluent-ffmpeg spawns with its own spawn() options (no `detached`, no argv prefix), so
 * the harness's guards (src/core/process/orphan-guard.ts) cannot be applied around it.
 * Its one hook is the binary path (setFfmpegPath), so the path names a script that
 * `exec`s, keeping the pid:
 *   setpriv --pdeathsig TERM  the kernel sends SIGTERM when our process dies, even by
 *                             SIGKILL (ffmpeg then finishes its segment and exits);
 *   setsid                    ffmpeg leads its own process group, so a terminal's Ctrl-C
 *                             reaches only us (we stop it gracefully) and a group kill
 *                             reaches everything it started;
 *   timeout (ffprobe only)    fluent-ffmpeg's ffprobe() has no timeout and no handle to
 *                             kill it by, and a silent network input would hang it.
 * The script passes its arguments on with "$@": no shell parsing of ffmpeg's argv.
 * Scripts are named after a hash of their text, written atomically, and shared by
 * every process of this user: fluent-ffmpeg keeps one binary path per process anyway.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HlscdnError } from '../../core/errors.js';
import { findExecutable } from '../../core/process/find-executable.js';
import { parentDeathPrefix } from '../../core/process/orphan-guard.js';

export interface LauncherOptions {
  /** @defaultValue 'ffmpeg' (searched on PATH) */
  readonly ffmpegPath?: string;
  /** @defaultValue 'ffprobe' (searched on PATH) */
  readonly ffprobePath?: string;
  /**
   * ffprobe is killed after this long.
   * @defaultValue 30
   */
  readonly probeTimeoutSec?: number;
  /** @defaultValue `<os tmpdir>/hlscdn-launchers-<uid>` */
  readonly dir?: string;
}

export interface Launchers {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  /** Whether ffmpeg runs as the leader of its own process group (setsid was found). */
  readonly ownProcessGroup: boolean;
}

const INSTALL_HINT = 'install ffmpeg (Debian: apt-get install ffmpeg) or set transcoder.ffmpegPath';

export async function prepareLaunchers(options: LauncherOptions = {}): Promise<Launchers> {
  const ffmpeg = requireBinary(options.ffmpegPath ?? 'ffmpeg');
  const ffprobe = requireBinary(options.ffprobePath ?? 'ffprobe');
  const setsid = process.platform === 'linux' ? findExecutable('setsid') : undefined;
  const timeout = findExecutable('timeout');
  const dir = options.dir ?? join(tmpdir(), `hlscdn-launchers-${process.getuid?.() ?? 'user'}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const guard = [...parentDeathPrefix(), ...(setsid ? [setsid] : [])];
  const probeLimit = timeout ? [timeout, '-s', 'KILL', String(options.probeTimeoutSec ?? 30)] : [];
  return {
    ffmpeg: await writeLauncher(dir, 'ffmpeg', [...guard, ffmpeg]),
    ffprobe: await writeLauncher(dir, 'ffprobe', [...parentDeathPrefix(), ...probeLimit, ffprobe]),
    ownProcessGroup: setsid !== undefined,
  };
}

/** The text of a launch script that execs `command` with the script's own arguments. */
export function launcherScript(command: readonly string[]): string {
  return `#!/bin/sh\n# Written by hlscdn (src/transcoder/ffmpeg-process/launcher.ts).\nexec ${command.map(shellQuote).join(' ')} "$@"\n`;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

async function writeLauncher(dir: string, name: string, command: readonly string[]): Promise<string> {
  const text = launcherScript(command);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const path = join(dir, `${name}-${hash}.sh`);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, text, { mode: 0o755 });
    await rename(tmp, path);
  }
  return path;
}

function requireBinary(name: string): string {
  const found = findExecutable(name);
  if (!found) throw new HlscdnError('process-failed', `${name} was not found: ${INSTALL_HINT}`, { details: { program: name } });
  return found;
}
