/**
 * The fs driver's metadata sidecars. `<root>/.hlscdn/meta/<key>.json` records
 * the content type, cache control and etag given when `<root>/<key>` was
 * written, plus that data file's size and mtime. A sidecar counts only while
 * the data file still has that size and mtime, so a file replaced by hand or
 * by ffmpeg is served with metadata derived from stat instead of stale values.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CachePolicy } from './cache-policy.js';
import { cacheControlForKey } from './cache-policy.js';
import { contentTypeForKey } from './content-types.js';
import type { ObjectMeta } from './object-store.js';
import { reservedKeyPrefix } from './object-key.js';

export interface Sidecar {
  contentType: string;
  cacheControl: string;
  etag: string;
  size: number;
  mtimeMs: number;
}

/** What a sidecar is checked against: the data file's stat. */
export interface DataFileStat {
  size: number;
  mtimeMs: number;
}

export const storeDirName = reservedKeyPrefix;

export function sidecarPath(root: string, key: string): string {
  return join(root, storeDirName, 'meta', `${key}.json`);
}

export function tmpDirPath(root: string): string {
  return join(root, storeDirName, 'tmp');
}

/** The sidecar at `path`, or `undefined` when it is missing or not one of ours. */
export async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return asSidecar(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asSidecar(value: unknown): Sidecar | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const strings = [v.contentType, v.cacheControl, v.etag].every((field) => typeof field === 'string');
  const numbers = [v.size, v.mtimeMs].every((field) => typeof field === 'number' && Number.isFinite(field));
  if (!strings || !numbers) return undefined;
  return { contentType: v.contentType, cacheControl: v.cacheControl, etag: v.etag, size: v.size, mtimeMs: v.mtimeMs } as Sidecar;
}

export function serializeSidecar(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecar)}\n`;
}

/** True when the sidecar was written for exactly this version of the data file. */
export function sidecarDescribes(sidecar: Sidecar, stat: DataFileStat): boolean {
  return sidecar.size === stat.size && sidecar.mtimeMs === stat.mtimeMs;
}

export function metaFromSidecar(key: string, sidecar: Sidecar, stat: DataFileStat): ObjectMeta {
  return {
    key,
    size: stat.size,
    etag: sidecar.etag,
    lastModified: new Date(stat.mtimeMs),
    contentType: sidecar.contentType,
    cacheControl: sidecar.cacheControl,
  };
}

/**
 * Metadata of a data file without a valid sidecar. The etag is size and mtime
 * in hex, as nginx builds it for static files, so it changes whenever the
 * file does without reading the content.
 */
export function derivedMeta(key: string, stat: DataFileStat, policy: CachePolicy): ObjectMeta {
  const mtimeMs = Math.floor(stat.mtimeMs);
  return {
    key,
    size: stat.size,
    etag: `"${stat.size.toString(16)}-${mtimeMs.toString(16)}"`,
    lastModified: new Date(stat.mtimeMs),
    contentType: contentTypeForKey(key),
    cacheControl: cacheControlForKey(key, policy),
  };
}
