/**
 * Expiry of the signatures the rewriter writes. Rounded up to a bucket so all
 * viewers in one bucket get byte-identical URLs: the rewritten playlist is made
 * once per bucket and shared, instead of once per viewer per second. Every
 * signature stays valid at least `ttlSec` after it is handed out. Pure.
 */

export interface SignatureExpiryOptions {
  /** Lifetime of a signature, seconds. */
  ttlSec: number;
  /** Rounding of the expiry, seconds; clamped to [1, ttlSec]. */
  bucketSec: number;
}

/** Unix seconds: the smallest multiple of the bucket that is at least now + ttlSec. */
export function signatureExpiry(nowMs: number, options: SignatureExpiryOptions): number {
  const bucket = Math.max(1, Math.min(Math.floor(options.bucketSec), Math.floor(options.ttlSec)));
  const earliest = Math.ceil(nowMs / 1000) + options.ttlSec;
  return Math.ceil(earliest / bucket) * bucket;
}
