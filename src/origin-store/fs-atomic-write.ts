/**
 * Writes a file so that readers see the old content or the new, never a
 * mixture: the body goes to a temp file on the same filesystem, then one
 * rename(2) replaces the target (atomic on POSIX). The md5 and size are
 * computed while the body streams through. A failed write removes its temp file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import type { PutBody } from './object-store.js';

export interface WrittenFile {
  size: number;
  md5Hex: string;
  /** mtime of the file as written; rename keeps it, so it identifies this version. */
  mtimeMs: number;
}

export interface AtomicWriteOptions {
  /** Final path; its directory must exist. */
  target: string;
  /** Directory for the temp file; must be on the target's filesystem. */
  tmpDir: string;
  body: PutBody;
}

/**
 * Resolves once the target holds the whole body. Rejects with the body
 * stream's own error when the body fails, otherwise with the fs error.
 */
export async function writeFileAtomically(options: AtomicWriteOptions): Promise<WrittenFile> {
  const tempPath = join(options.tmpDir, `${randomUUID()}.tmp`);
  const handle = await open(tempPath, 'wx');
  try {
    const hash = createHash('md5');
    let size = 0;
    if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) {
      // One chunk at a time: the next read waits for the write, which is the backpressure.
      for await (const chunk of options.body as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.length;
        await writeAll(handle, bytes);
      }
    } else {
      const bytes = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
      hash.update(bytes);
      size = bytes.byteLength;
      await handle.writeFile(bytes);
    }
    const stat = await handle.stat();
    await handle.close();
    await rename(tempPath, options.target);
    return { size, md5Hex: hash.digest('hex'), mtimeMs: stat.mtimeMs };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** write(2) may take fewer bytes than given; loop until all are in. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
