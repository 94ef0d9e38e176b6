/**
 * Types shared by the rewriting engine and its callers: URI roles, the context a
 * rewrite runs in, and its result.
 */

import type { PlaylistError } from './errors.js';

/**
 * What a URI points at. Playlist roles (`variant`, `iframe-playlist`, `rendition`)
 * are sub-playlists that should come back through the rewriter; the media-object
 * roles go to an edge.
 */
export type UriRole =
  | 'variant'
  | 'iframe-playlist'
  | 'rendition'
  | 'segment'
  | 'init'
  | 'key'
  | 'session-key'
  | 'part'
  | 'preload-hint'
  | 'session-data'
  | 'asset'
  | 'steering-server';

export interface UriContext {
  role: UriRole;
  /** The URI resolved against the playlist URL (WHATWG `new URL(original, playlistUrl)`). */
  resolved: URL;
  /** The URI exactly as written in the playlist (without the surrounding quotes of an attribute). */
  original: string;
  /** 1-based line number in the input playlist. */
  line: number;
}

export interface PlaylistLimits {
  /**
   * Largest accepted playlist, in UTF-8 bytes (including a BOM).
   * @defaultValue 1_048_576 (1 MiB)
   */
  maxBytes?: number;
  /**
   * Largest accepted number of lines.
   * @defaultValue 100_000
   */
  maxLines?: number;
}

export interface SteeringOptions {
  /** Written verbatim as `SERVER-URI`; must not contain `"` or line breaks. */
  serverUri: string;
  /** Pathway given to variants without one; `[a-zA-Z0-9._-]+` (HLS Content Steering spec). */
  pathwayId: string;
}

export interface RewriteContext {
  /** Absolute URL of the playlist at the origin, after redirects: the base for relative URIs. */
  playlistUrl: string;
  /**
   * Returns the text to write instead of the URI. Called for every URI except rendition
   * reports and non-http(s) schemes. The result is written verbatim, so it must not
   * contain `"` or line breaks (any `URL#href` qualifies). Exceptions it throws propagate.
   */
  mapUri(uri: UriContext): string;
  /**
   * Optional: for HLS Content Steering, adds `#EXT-X-CONTENT-STEERING:SERVER-URI="..",PATHWAY-ID=".."`
   * to a master (right after the #EXTM3U line, or replacing an existing EXT-X-CONTENT-STEERING line)
   * and `PATHWAY-ID="<id>"` to every EXT-X-STREAM-INF and EXT-X-I-FRAME-STREAM-INF line that lacks one.
   * Ignored for media playlists.
   */
  steering?: SteeringOptions;
  limits?: PlaylistLimits;
}

export type PlaylistKind = 'master' | 'media';

export type RewriteResult =
  | {
      ok: true;
      text: string;
      kind: PlaylistKind;
      /** How many URIs were handed to `mapUri` and replaced. */
      uriCount: number;
    }
  | { ok: false; error: PlaylistError };
