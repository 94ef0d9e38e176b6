/**
 * The session id a viewer token opens: derived from the token, so reloading the master
 * playlist with the same token continues the same session (and yields the same session
 * query, which keeps per-viewer playlists identical across reloads).
 */
import { createHash } from 'node:crypto';

/** First 16 base64url characters of sha256(token): 96 bits, the edge's `hs_sid` shape. */
export function sessionIdForToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 16);
}
