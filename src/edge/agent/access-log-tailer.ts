/**
 * Reads the lines nginx appended to its access log since the last poll. nginx
 * opens the log with O_APPEND, so the agent may truncate it once read (keeping
 * the file small) and nginx simply goes on writing at the new end; a file that
 * shrank or was replaced is read again from its start.
 */
import { open, stat, truncate } from 'node:fs/promises';

export interface AccessLogTailerOptions {
  path: string;
  /** Truncate the file after reading once it is larger than this. @defaultValue 16 MiB */
  maxBytes?: number;
}

export class AccessLogTailer {
  private offset = 0;
  private inode: number | undefined;
  private partial = '';

  constructor(private readonly options: AccessLogTailerOptions) {}

  /** Complete lines appended since the previous call (an unfinished last line waits for the next call). */
  async poll(): Promise<string[]> {
    let info;
    try {
      info = await stat(this.options.path);
    } catch {
      return [];
    }
    if (info.ino !== this.inode || info.size < this.offset) {
      this.inode = info.ino;
      this.offset = 0;
      this.partial = '';
    }
    if (info.size === this.offset) return [];
    const handle = await open(this.options.path, 'r');
    let text: string;
    try {
      const length = info.size - this.offset;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
      this.offset += bytesRead;
      text = this.partial + buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.offset > (this.options.maxBytes ?? 16 * 1024 * 1024) && this.partial === '') {
      await truncate(this.options.path, 0);
      this.offset = 0;
    }
    return lines.filter((l) => l.length > 0);
  }
}
