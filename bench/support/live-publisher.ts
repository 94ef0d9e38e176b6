/**
 * A live stream whose playlist the benchmark advances itself in the object
 * store, so time and segment sizes are under its control: every `segmentSec`
 * a new segment is uploaded, then the sliding-window playlist that lists it
 * (segment first, so no viewer is ever sent to a missing segment; one upload
 * at a time, so an older playlist never overwrites a newer one).
 */
import type { ObjectStore } from '../../src/origin-store/index.js';

export interface LivePublisherOptions {
  store: ObjectStore;
  /** Key prefix of the stream, e.g. `live/offload`: objects are `<prefix>/index.m3u8`, `<prefix>/seg<n>.ts`. */
  prefix: string;
  /** @defaultValue 1 */
  segmentSec?: number;
  /** Segments the playlist lists. @defaultValue 6 */
  window?: number;
  /** @defaultValue 100_000 */
  segmentBytes?: number;
}

export interface LivePublisher {
  /** `/<prefix>/index.m3u8`: the media playlist's path on the origin, the rewriter and the edges. */
  playlistPath: string;
  segmentKey(msn: number): string;
  /** MSN of the newest segment. */
  newest(): number;
  /** Stops advancing (the stream stays as it is). Idempotent. */
  close(): Promise<void>;
}

export async function startLivePublisher(options: LivePublisherOptions): Promise<LivePublisher> {
  const segmentSec = options.segmentSec ?? 1;
  const window = options.window ?? 6;
  const bytes = options.segmentBytes ?? 100_000;
  const playlistKey = `${options.prefix}/index.m3u8`;
  const segmentKey = (msn: number) => `${options.prefix}/seg${msn}.ts`;
  const startedAt = Date.now();
  let newest = -1;
  let queue: Promise<unknown> = Promise.resolve();

  const playlist = () => {
    const first = Math.max(0, newest - window + 1);
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${Math.ceil(segmentSec)}`, `#EXT-X-MEDIA-SEQUENCE:${first}`];
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(startedAt + first * segmentSec * 1000).toISOString()}`);
    for (let msn = first; msn <= newest; msn++) lines.push(`#EXTINF:${segmentSec.toFixed(3)},`, `seg${msn}.ts`);
    return `${lines.join('\n')}\n`;
  };
  const publishNext = async () => {
    const msn = newest + 1;
    await options.store.put(segmentKey(msn), Buffer.alloc(bytes, msn % 256));
    newest = msn;
    await options.store.put(playlistKey, playlist());
  };

  for (let i = 0; i < window; i++) await publishNext();
  const timer = setInterval(() => {
    queue = queue.then(publishNext).catch((error: unknown) => console.error(`live publisher ${options.prefix}:`, error));
  }, segmentSec * 1000);
  let closed = false;
  return {
    playlistPath: `/${playlistKey}`,
    segmentKey,
    newest: () => newest,
    close: async () => {
      if (!closed) clearInterval(timer);
      closed = true;
      await queue;
    },
  };
}
