/**
 * The `fs` object store driver: objects are plain files under a root
 * directory (so the store is an HLS tree nginx or a person can read), with
 * metadata in sidecars under `<root>/.hlscdn/meta/`. Writes are atomic
 * (temp file + rename); reads serve from the file descriptor they opened, so
 * a concurrent overwrite never changes the bytes a reader is streaming.
 * Files dropped into the directory by hand or by ffmpeg are served with
 * metadata derived from stat.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { access, mkdir, open, realpath, rm, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import { HlscdnError, errorMessage, isHlscdnError } from '../core/errors.js';
import { assertByteRange, resolveByteRange } from './byte-range.js';
import { cacheControlForKey, defaultCachePolicy, type CachePolicy } from './cache-policy.js';
import { contentTypeForKey } from './content-types.js';
import { writeFileAtomically } from './fs-atomic-write.js';
import { isErrno, walkKeys } from './fs-key-walk.js';
import type { DataFileStat } from './fs-sidecar.js';
import { derivedMeta, metaFromSidecar, readSidecar, serializeSidecar, sidecarDescribes, sidecarPath, tmpDirPath } from './fs-sidecar.js';
import { isNotModified } from './get-conditions.js';
import { assertKeyPrefix, assertObjectKey } from './object-key.js';
import type { GetOptions, GetResult, ListOptions, ObjectMeta, ObjectStore, PutBody, PutOptions } from './object-store.js';

export interface FsObjectStoreOptions {
  /** Absolute path of the store directory; created on the first write. */
  root: string;
  /** @defaultValue `defaultCachePolicy` */
  cachePolicy?: CachePolicy;
}

type OpenedObject = { handle: FileHandle; meta: ObjectMeta };

export class FsObjectStore implements ObjectStore {
  readonly description: string;
  private readonly root: string;
  private readonly cachePolicy: CachePolicy;

  constructor(options: FsObjectStoreOptions) {
    if (!isAbsolute(options.root))
      throw new HlscdnError('invalid-config', `fs store root must be an absolute path, got ${JSON.stringify(options.root)}`);
    this.root = resolve(options.root);
    this.cachePolicy = options.cachePolicy ?? defaultCachePolicy;
    this.description = pathToFileURL(this.root).href;
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<ObjectMeta> {
    const target = this.dataPath(key);
    const contentType = options.contentType ?? contentTypeForKey(key);
    const cacheControl = options.cacheControl ?? cacheControlForKey(key, this.cachePolicy);
    const tmpDir = tmpDirPath(this.root);
    try {
      await this.assertResolvesInside(dirname(target), key);
      await Promise.all([mkdir(dirname(target), { recursive: true }), mkdir(tmpDir, { recursive: true })]);
      const written = await writeFileAtomically({ target, tmpDir, body });
      const sidecar = { contentType, cacheControl, etag: `"${written.md5Hex}"`, size: written.size, mtimeMs: written.mtimeMs };
      const metaPath = sidecarPath(this.root, key);
      await mkdir(dirname(metaPath), { recursive: true });
      await writeFileAtomically({ target: metaPath, tmpDir, body: serializeSidecar(sidecar) });
      return metaFromSidecar(key, sidecar, written);
    } catch (error) {
      // The caller's failing stream is the caller's error: hand it back as it is.
      if (isStreamBody(body) && body.errored === error) throw error;
      throw this.failure(error, 'put', key);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<GetResult> {
    const range = options.range === undefined ? undefined : assertByteRange(options.range);
    const opened = await this.openObject(key);
    if (opened === undefined) return { kind: 'not-found' };
    const { handle, meta } = opened;
    let handedOver = false;
    try {
      if (isNotModified(meta, options)) return { kind: 'not-modified', meta };
      if (range === undefined) {
        handedOver = true;
        return { kind: 'body', meta, body: handle.createReadStream() };
      }
      const resolved = resolveByteRange(range, meta.size);
      if (resolved === undefined) return { kind: 'range-not-satisfiable', size: meta.size };
      handedOver = true;
      return { kind: 'body', meta, body: handle.createReadStream({ start: resolved.start, end: resolved.end }), range: resolved };
    } finally {
      // The read stream owns the descriptor from here on and closes it at its end.
      if (!handedOver) await handle.close();
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    const opened = await this.openObject(key);
    if (opened === undefined) return undefined;
    await opened.handle.close();
    return opened.meta;
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<ObjectMeta> {
    assertKeyPrefix(prefix);
    const limit = checkLimit(options.limit);
    if (limit === 0) return;
    const realRoot = await this.realRoot();
    if (realRoot === undefined) return;
    let count = 0;
    try {
      for await (const file of walkKeys(this.root, prefix)) {
        const real = await realpath(file.path).catch(() => undefined);
        if (real === undefined || !isInside(realRoot, real)) continue;
        const fileStat = await stat(real).catch(() => undefined);
        if (fileStat === undefined || !fileStat.isFile()) continue;
        yield await this.metaFor(file.key, fileStat);
        if (++count >= limit) return;
      }
    } catch (error) {
      throw this.failure(error, 'list', prefix);
    }
  }

  async delete(key: string): Promise<void> {
    if (isDirectoryKey(key)) return;
    const target = this.dataPath(key);
    try {
      await this.assertResolvesInside(dirname(target), key);
      // A key naming a directory, or a path through a file, is not an object: nothing to delete.
      await unlink(target).catch((error: unknown) => {
        if (!isErrno(error, 'ENOENT') && !isErrno(error, 'ENOTDIR') && !isErrno(error, 'EISDIR')) throw error;
      });
      await rm(sidecarPath(this.root, key), { force: true }).catch(() => undefined);
    } catch (error) {
      throw this.failure(error, 'delete', key);
    }
  }

  async check(): Promise<void> {
    try {
      const rootStat = await stat(this.root);
      if (!rootStat.isDirectory()) throw new HlscdnError('unavailable', `fs store root ${this.root} is not a directory`);
      await access(this.root, constants.W_OK);
    } catch (error) {
      throw this.failure(error, 'check', '');
    }
  }

  async close(): Promise<void> {
    // Nothing is held between calls: every descriptor belongs to one call or one body stream.
  }

  /** `<root>/<key>`, after the key rules and a lexical containment check. */
  private dataPath(key: string): string {
    assertObjectKey(key);
    if (key.endsWith('/')) throw new HlscdnError('invalid-key', `the fs store cannot hold key ${JSON.stringify(key)}: it ends in "/"`);
    const path = resolve(this.root, key);
    if (!isInside(this.root, path)) throw new HlscdnError('invalid-key', `key ${JSON.stringify(key)} resolves outside the store root`);
    return path;
  }

  /**
   * Refuses a key whose directory leads, through a symlink, out of the root.
   * Checked on the deepest part that exists, before any mkdir, so a refused
   * write creates nothing outside the root either.
   */
  private async assertResolvesInside(directory: string, key: string): Promise<void> {
    const realRoot = await this.realRoot();
    if (realRoot === undefined) return;
    for (let current = directory; ; current = dirname(current)) {
      const real = await realpath(current).catch((error: unknown) => {
        if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
        throw error;
      });
      if (real !== undefined) {
        if (real === realRoot || isInside(realRoot, real)) return;
        throw new HlscdnError('invalid-key', `key ${JSON.stringify(key)} leads through a symlink outside the store root`);
      }
      if (current === this.root || dirname(current) === current) return;
    }
  }

  private async realRoot(): Promise<string | undefined> {
    try {
      return await realpath(this.root);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /**
   * Opens the data file and pairs it with its metadata. A sidecar that does
   * not describe the opened file may be a write in flight (data renamed,
   * sidecar not yet), so the whole open is tried once more before falling
   * back to metadata derived from stat.
   */
  private async openObject(key: string): Promise<OpenedObject | undefined> {
    if (isDirectoryKey(key)) return undefined;
    const path = this.dataPath(key);
    try {
      for (let attempt = 1; ; attempt++) {
        const handle = await this.openData(path);
        if (handle === undefined) return undefined;
        try {
          const fileStat = await handle.stat();
          if (!fileStat.isFile()) {
            await handle.close();
            return undefined;
          }
          const sidecar = await readSidecar(sidecarPath(this.root, key));
          if (sidecar !== undefined && sidecarDescribes(sidecar, fileStat))
            return { handle, meta: metaFromSidecar(key, sidecar, fileStat) };
          if (attempt >= 2) return { handle, meta: derivedMeta(key, fileStat, this.cachePolicy) };
          await handle.close();
        } catch (error) {
          await handle.close();
          throw error;
        }
      }
    } catch (error) {
      throw this.failure(error, 'get', key);
    }
  }

  /**
   * Opens the file a key names once its real path is known to be inside the
   * root (a symlink may lead anywhere); O_NOFOLLOW keeps a link swapped in
   * after the check from being followed.
   */
  private async openData(path: string): Promise<FileHandle | undefined> {
    const realRoot = await this.realRoot();
    if (realRoot === undefined) return undefined;
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR') || isErrno(error, 'ELOOP')) return undefined;
      throw error;
    }
    if (!isInside(realRoot, real)) return undefined;
    try {
      return await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ELOOP') || isErrno(error, 'EISDIR')) return undefined;
      throw error;
    }
  }

  private async metaFor(key: string, fileStat: DataFileStat): Promise<ObjectMeta> {
    const sidecar = await readSidecar(sidecarPath(this.root, key));
    if (sidecar !== undefined && sidecarDescribes(sidecar, fileStat)) return metaFromSidecar(key, sidecar, fileStat);
    return derivedMeta(key, fileStat, this.cachePolicy);
  }

  private failure(error: unknown, operation: string, key: string): HlscdnError {
    if (isHlscdnError(error)) return error;
    const code = (error as { code?: unknown }).code;
    // Shapes that cannot coexist on a filesystem: a key under a key that is a file, or a key naming a directory.
    const conflict = code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'ENOTEMPTY';
    const message = `fs store ${operation} of ${JSON.stringify(key)} in ${this.root} failed: ${errorMessage(error)}`;
    return new HlscdnError(conflict ? 'conflict' : 'unavailable', message, {
      cause: error,
      details: { operation, key, errno: typeof code === 'string' ? code : undefined },
    });
  }
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** Valid as an S3 key, but a file cannot be named by it: validated, then treated as absent for reads. */
function isDirectoryKey(key: string): boolean {
  assertObjectKey(key);
  return key.endsWith('/');
}

function isStreamBody(body: PutBody): body is Exclude<PutBody, string | Uint8Array> {
  return typeof body !== 'string' && !(body instanceof Uint8Array);
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new HlscdnError('invalid-input', `list limit must be a non-negative integer, got ${limit}`);
  return limit;
}
