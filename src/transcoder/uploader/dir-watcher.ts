/**
 * Notices files appearing in ffmpeg's variant directories: fs.watch for promptness
 * and a periodic scan as the backup (inotify can overflow, and fs.watch is
 * best-effort by its own documentation). Both just report a name in a directory;
 * the uploader decides what it means.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';

export interface DirWatcherOptions {
  readonly dirs: ReadonlyMap<string, string>;
  /** Called with the directory's id and a file name; may be called repeatedly for one file. */
  readonly onFile: (id: string, name: string) => void;
  /** Called after each scan of a directory. */
  readonly onScan: (id: string) => void;
  /** @defaultValue 500 */
  readonly scanIntervalMs?: number;
}

export class DirWatcher {
  private readonly options: DirWatcherOptions;
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private closed = false;

  constructor(options: DirWatcherOptions) {
    this.options = options;
  }

  /** Starts watching; the directories must exist. */
  start(): void {
    if (this.timer || this.closed) return;
    for (const [id, dir] of this.options.dirs) {
      try {
        const watcher = watch(dir, (_event, name) => {
          if (name) this.options.onFile(id, name.toString());
        });
        // A directory removed under us: the scan notices the rest.
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // Watching is an optimisation; the scan below is the guarantee.
      }
    }
    this.timer = setInterval(() => void this.scan(), this.options.scanIntervalMs ?? 500);
  }

  /** Lists every directory once and reports what is there; concurrent calls share one scan. */
  scan(): Promise<void> {
    this.scanning ??= this.scanAll().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
    await this.scanning;
  }

  private async scanAll(): Promise<void> {
    for (const [id, dir] of this.options.dirs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      if (this.closed) return;
      for (const name of names) this.options.onFile(id, name);
      this.options.onScan(id);
    }
  }
}
