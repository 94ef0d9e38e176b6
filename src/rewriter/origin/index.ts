/**
 * Origin: getting playlists from the origin (one fetch per playlist version,
 * coalesced and cached) and the cache rules for the rewriter and its viewers.
 * What the HTTP side and the component's surface use.
 */
export { BoundedCache } from './bounded-cache.js';
export {
  fetchTtlMs,
  originFreshnessMs,
  playlistReuseMs,
  responseAgeSec,
  viewerCacheControl,
  type PlaylistCachePolicy,
} from './cache-policy.js';
export type { OriginFailureCode } from './origin-fetch.js';
export { PlaylistFetcher, type FetchedPlaylist } from './playlist-fetcher.js';
