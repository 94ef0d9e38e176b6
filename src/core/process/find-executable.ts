/** Locates a program before we try to run it, so a missing binary is one clear message, not a spawn ENOENT. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HlscdnError } from '../errors.js';

/** sbin directories are often missing from a non-root PATH, and Debian installs nginx there. */
const extraDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of [...pathEnv.split(delimiter).filter(Boolean), ...extraDirs]) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function requireExecutable(name: string, installHint: string): string {
  const found = findExecutable(name);
  if (!found) throw new HlscdnError('process-failed', `${name} was not found on PATH: ${installHint}`, { details: { program: name } });
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
