/** Tests of the launch scripts: quoting, exec (same pid), and the orphan guards. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { launcherScript, prepareLaunchers } from './launcher.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-launcher-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('launcherScript', () => {
  it('execs the command with single-quoted words and passes "$@" through', () => {
    expect(launcherScript(['/usr/bin/setsid', "/opt/it's ffmpeg"]).split('\n')[2]).toBe(
      `exec '/usr/bin/setsid' '/opt/it'\\''s ffmpeg' "$@"`,
    );
  });
});

describe('prepareLaunchers', () => {
  it('writes runnable scripts that guard ffmpeg and bound ffprobe', async () => {
    const launchers = await prepareLaunchers({ dir, probeTimeoutSec: 7 });
    const ffmpegText = await readFile(launchers.ffmpeg, 'utf8');
    expect(ffmpegText).toContain("'--pdeathsig' 'TERM'");
    expect(launchers.ownProcessGroup).toBe(ffmpegText.includes('setsid'));
    expect(await readFile(launchers.ffprobe, 'utf8')).toMatch(/'-s' 'KILL' '7' '[^']*ffprobe' "\$@"/);
    expect(execFileSync(launchers.ffmpeg, ['-hide_banner', '-version'], { encoding: 'utf8' })).toMatch(/^ffmpeg version/);
  });

  it('reuses the same file for the same binaries', async () => {
    const [a, b] = [await prepareLaunchers({ dir }), await prepareLaunchers({ dir })];
    expect(a.ffmpeg).toBe(b.ffmpeg);
  });

  it('names the missing program', async () => {
    await expect(prepareLaunchers({ dir, ffmpegPath: '/nowhere/ffmpeg' })).rejects.toThrow(/\/nowhere\/ffmpeg was not found/);
  });
});
