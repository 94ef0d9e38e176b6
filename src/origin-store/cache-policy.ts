/**
 * Cache-Control for what the origin serves. Playlists change every target
 * duration, so edges may keep them about half of one; segments, init segments
 * and keys never change once written, so they are immutable (REFERENCE.md
 * "Getting live HLS into object storage").
 */
import { isPlaylistKey } from './content-types.js';

export interface CachePolicy {
  /** max-age of playlists, seconds. @defaultValue 1 */
  playlistMaxAgeSec: number;
  /** max-age of everything else, seconds. @defaultValue 604800 (7 days) */
  segmentMaxAgeSec: number;
}

export const defaultCachePolicy: CachePolicy = { playlistMaxAgeSec: 1, segmentMaxAgeSec: 7 * 24 * 3600 };

export function cacheControlForKey(key: string, policy: CachePolicy = defaultCachePolicy): string {
  if (isPlaylistKey(key)) return `public, max-age=${policy.playlistMaxAgeSec}`;
  return `public, max-age=${policy.segmentMaxAgeSec}, immutable`;
}
