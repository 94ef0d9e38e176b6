/**
 * The signing function the rewriter hands to its targeters: the edge
 * component's `appendSignature` with the shared secret and one expiry, or
 * nothing when no secret is configured (URLs are then left unsigned). The
 * edges verify with the same secret, so the signature format lives with them.
 */
import { appendSignature } from '../../edge/index.js';
import type { RewriterSigning } from '../config.js';

/** Signs URLs when a secret is configured: `undefined` otherwise. */
export function signerFor(signing: RewriterSigning | undefined, expiresAt: number): ((url: URL) => URL) | undefined {
  const secret = signing?.secret;
  if (secret === undefined) return undefined;
  return (url) => appendSignature(url, { expiresAt, secret });
}
