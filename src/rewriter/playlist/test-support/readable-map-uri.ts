/**
 * The fixed, readable mapUri the golden corpus was produced with: playlists come
 * back to the rewriter (rw.test), media objects go to an edge (edge.test), and the
 * role and origin host stay visible in the path so a reviewer can check both.
 */

import type { UriContext } from '../rewrite-types.js';
import { isPlaylistRole } from '../uri-attributes.js';

export function readableMapUri(uri: UriContext): string {
  const { host, pathname, search } = uri.resolved;
  const target = isPlaylistRole(uri.role) || uri.role === 'steering-server' ? 'https://rw.test' : 'https://edge.test';
  return `${target}/${uri.role}/${host}${pathname}${search}`;
}
