/**
 * Error values for the playlist engine: a stable `code` the HTTP layer maps to a
 * status, a human message, and the 1-based input line when one line is to blame.
 */

/** `malformed`: not a playlist we can rewrite safely; `oversized`: over the configured limits. */
export type PlaylistErrorCode = 'malformed' | 'oversized';

export interface PlaylistError {
  code: PlaylistErrorCode;
  message: string;
  /** 1-based line number in the input text, when the error is tied to one line. */
  line?: number;
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function playlistError(code: PlaylistErrorCode, message: string, line?: number): PlaylistError {
  return line === undefined ? { code, message } : { code, message, line };
}
