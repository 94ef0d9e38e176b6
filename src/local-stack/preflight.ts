/**
 * Checks a fresh machine before anything starts, so a missing program or an
 * unwritable data directory is one message that says what to do, not a
 * failure halfway through start-up.
 */
import { access, constants, mkdir } from 'node:fs/promises';
import { HlscdnError } from '../core/errors.js';
import { findExecutable } from '../core/process/index.js';

const packages: Record<string, string> = { 'redis-server': 'redis-server', nginx: 'nginx', ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg' };

export async function preflight(options: { dataDir: string; needRedisServer: boolean }): Promise<void> {
  const programs = ['nginx', 'ffmpeg', 'ffprobe', ...(options.needRedisServer ? ['redis-server'] : [])];
  const missing = programs.filter((name) => !findExecutable(name));
  if (missing.length > 0) {
    const debian = [...new Set(missing.map((name) => packages[name] ?? name))].join(' ');
    const redisHint = missing.includes('redis-server') ? ' (or set REDIS_URL to use an existing Redis)' : '';
    throw new HlscdnError(
      'process-failed',
      `missing programs: ${missing.join(', ')}. Install them (Debian/Ubuntu: sudo apt-get install ${debian})${redisHint} and start again.`,
    );
  }
  try {
    await mkdir(options.dataDir, { recursive: true });
    await access(options.dataDir, constants.W_OK);
  } catch (error) {
    throw new HlscdnError(
      'unavailable',
      `the data directory ${options.dataDir} is not writable: pass --data-dir <dir> with a directory you can write`,
      { cause: error },
    );
  }
}
