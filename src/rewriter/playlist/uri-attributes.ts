/**
 * Which tags carry URIs in which attributes, and what each URI points at
 * (RFC 8216 4.3, draft-pantos-hls-rfc8216bis 4.4, Apple HLS Interstitials).
 */

import type { UriRole } from './rewrite-types.js';

export interface UriAttribute {
  attribute: string;
  role: UriRole;
}

/**
 * EXT-X-RENDITION-REPORT is deliberately absent: its URI must stay relative to the
 * media playlist (rfc8216bis 4.4.5.4). EXT-X-SKIP has no URI and is not listed either.
 */
const URI_ATTRIBUTES: ReadonlyMap<string, readonly UriAttribute[]> = new Map([
  ['EXT-X-MAP', [{ attribute: 'URI', role: 'init' }]],
  ['EXT-X-KEY', [{ attribute: 'URI', role: 'key' }]],
  ['EXT-X-SESSION-KEY', [{ attribute: 'URI', role: 'session-key' }]],
  ['EXT-X-MEDIA', [{ attribute: 'URI', role: 'rendition' }]],
  ['EXT-X-I-FRAME-STREAM-INF', [{ attribute: 'URI', role: 'iframe-playlist' }]],
  ['EXT-X-PART', [{ attribute: 'URI', role: 'part' }]],
  ['EXT-X-PRELOAD-HINT', [{ attribute: 'URI', role: 'preload-hint' }]],
  ['EXT-X-SESSION-DATA', [{ attribute: 'URI', role: 'session-data' }]],
  ['EXT-X-CONTENT-STEERING', [{ attribute: 'SERVER-URI', role: 'steering-server' }]],
  // HLS Interstitials: the asset (or the JSON asset list) is fetched like a media object.
  [
    'EXT-X-DATERANGE',
    [
      { attribute: 'X-ASSET-URI', role: 'asset' },
      { attribute: 'X-ASSET-LIST', role: 'asset' },
    ],
  ],
] as const);

/** URI-bearing attributes of a tag (name without the leading '#'); empty for other tags. */
export function uriAttributesOf(tagName: string): readonly UriAttribute[] {
  return URI_ATTRIBUTES.get(tagName) ?? [];
}

const PLAYLIST_ROLES: ReadonlySet<UriRole> = new Set<UriRole>(['variant', 'iframe-playlist', 'rendition']);

/** True for roles whose URI names another playlist (served back through the rewriter). */
export function isPlaylistRole(role: UriRole): boolean {
  return PLAYLIST_ROLES.has(role);
}
