/**
 * The `mapUri` the playlist engine calls for each URI, per mode. Sub-playlists
 * (variants, renditions, I-frame playlists) come back through the rewriter as
 * relative references that keep their query (plus a carried mode override);
 * media objects go to an edge (absolute, steering) or to the rewriter's
 * redirect endpoint (redirect). URIs outside the origin are written absolute
 * and untouched: edges only proxy the origin, and the rewriter proxies nothing.
 * Pure.
 */
import type { RewriterMode } from '../config.js';
import { isPlaylistRole, type UriContext } from '../playlist/index.js';
import type { MediaObject, MediaTarget } from './media-target.js';
import { appendQuery, relativeReference, rewriterPathOf } from './url-mapping.js';

export interface UriMapperOptions {
  mode: RewriterMode;
  /** The origin base URL; URIs under it are the origin's. */
  originBase: URL;
  /** Rewriter path of the playlist being rewritten: relative references start from it. */
  playlistPath: string;
  /** Query added to sub-playlist URIs (`hlscdn_mode=...` when the request overrode the mode), no '?'; '' for none. */
  carry: string;
  /** Target of a media object in absolute and steering modes. */
  target: (object: MediaObject) => MediaTarget;
  /** Told about every media target chosen (for the per-edge assignment counter). */
  onTarget?: (target: MediaTarget) => void;
}

export function createUriMapper(options: UriMapperOptions): (uri: UriContext) => string {
  const { originBase, playlistPath } = options;
  return (uri) => {
    const rewriterPath = rewriterPathOf(uri.resolved, originBase);
    if (rewriterPath === undefined || uri.role === 'steering-server') return uri.resolved.href;
    const search = uri.resolved.search;
    if (isPlaylistRole(uri.role)) return relativeReference(playlistPath, rewriterPath) + appendQuery(search, options.carry);
    if (options.mode === 'redirect') return relativeReference(playlistPath, rewriterPath) + search;
    const target = options.target({ rewriterPath, originPath: uri.resolved.pathname, search });
    options.onTarget?.(target);
    return target.url;
  };
}
