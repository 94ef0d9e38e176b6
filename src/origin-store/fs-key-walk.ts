/**
 * Walks a store directory and yields the keys under a prefix in the order S3
 * lists them: UTF-8 byte order of the whole key. Within one directory that is
 * the order of the names, with a directory sorting as its name plus "/"
 * (so `a-b` < `a/x` < `a0`). The walk starts at the deepest directory the
 * prefix names and reads one directory at a time, so a listing with a limit
 * stops early.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { checkObjectKey } from './object-key.js';
import { storeDirName } from './fs-sidecar.js';

export interface WalkedFile {
  key: string;
  path: string;
}

/** S3's order: bytes of the UTF-8 encoding (= code point order, unlike JS `<` on UTF-16). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export async function* walkKeys(root: string, prefix: string): AsyncGenerator<WalkedFile> {
  const lastSlash = prefix.lastIndexOf('/');
  const directoryKey = prefix.slice(0, lastSlash + 1);
  yield* walkDirectory(join(root, directoryKey), directoryKey, prefix.slice(lastSlash + 1));
}

type Entry = { name: string; kind: 'file' | 'directory'; sortName: string };

async function* walkDirectory(directory: string, keyPrefix: string, namePrefix: string): AsyncGenerator<WalkedFile> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    // A missing prefix directory is an empty listing; so is one removed mid-walk.
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return;
    throw error;
  }
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    if (!dirent.name.startsWith(namePrefix)) continue;
    if (keyPrefix === '' && dirent.name === storeDirName) continue;
    const kind = await entryKind(directory, dirent);
    if (kind === undefined) continue;
    entries.push({ name: dirent.name, kind, sortName: kind === 'directory' ? `${dirent.name}/` : dirent.name });
  }
  entries.sort((a, b) => compareKeys(a.sortName, b.sortName));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const key = `${keyPrefix}${entry.name}`;
    if (entry.kind === 'directory') {
      yield* walkDirectory(path, `${key}/`, '');
    } else if (checkObjectKey(key).ok) {
      yield { key, path };
    }
  }
}

/**
 * Regular files and directories are walked; a symlink counts as the file it
 * points to (the store checks it stays inside the root when reading it), and a
 * symlinked directory is skipped so a link cannot make the walk loop or leave
 * the root.
 */
async function entryKind(directory: string, dirent: Dirent): Promise<Entry['kind'] | undefined> {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (!dirent.isSymbolicLink()) return undefined;
  try {
    return (await stat(join(directory, dirent.name))).isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
