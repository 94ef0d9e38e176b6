/**
 * Signs edge URLs for nginx's secure_link module, matching the edge template's
 *   secure_link $arg_md5,$arg_expires;
 *   secure_link_md5 "$secure_link_expires$uri <secret>";
 * nginx compares base64url(md5(expression)) without padding against `md5` and answers
 * "0" (410 at the edge) once `expires` is in the past. Pure: the expiry time is passed in.
 */
import { createHash } from 'node:crypto';
import { nginxUriBytes } from './nginx-uri-path.js';

export interface SignEdgeUrlOptions {
  /**
   * Decoded request path as nginx's `$uri` holds it, e.g. `/live/seg 1.ts` rather than
   * `/live/seg%201.ts`. {@link appendSignature} derives it from a URL for you.
   */
  readonly path: string;
  /** Unix time in seconds after which the edge answers 410. */
  readonly expiresAt: number;
  readonly secret: string;
}

export interface EdgeUrlSignature {
  /** base64url MD5 digest without padding: the `md5` query parameter. */
  readonly md5: string;
  /** The `expires` query parameter, whole unix seconds. */
  readonly expires: number;
}

/**
 * Computes the `md5` and `expires` parameters for `path`.
 * @throws RangeError when `expiresAt` is not a finite, non-negative number (a caller bug:
 * nginx would reject such a link anyway).
 */
export function signEdgeUrl(options: SignEdgeUrlOptions): EdgeUrlSignature {
  return signPathBytes(Buffer.from(options.path, 'utf8'), options.expiresAt, options.secret);
}

export interface AppendSignatureOptions {
  /** Unix time in seconds after which the edge answers 410. */
  readonly expiresAt: number;
  readonly secret: string;
}

/**
 * Returns a copy of `url` with `md5` and `expires` set (replacing any present), signed
 * over the path as nginx will decode it. The input URL is not modified.
 */
export function appendSignature(url: URL, options: AppendSignatureOptions): URL {
  const signature = signPathBytes(nginxUriBytes(url.pathname), options.expiresAt, options.secret);
  const signed = new URL(url.href);
  signed.searchParams.set('md5', signature.md5);
  signed.searchParams.set('expires', String(signature.expires));
  return signed;
}

function signPathBytes(path: Buffer, expiresAt: number, secret: string): EdgeUrlSignature {
  if (!Number.isFinite(expiresAt) || expiresAt < 0) {
    throw new RangeError(`expiresAt must be a non-negative unix time in seconds, got ${expiresAt}`);
  }
  // nginx parses `expires` as a whole number; a fraction would never verify.
  const expires = Math.floor(expiresAt);
  const md5 = createHash('md5').update(String(expires)).update(path).update(` ${secret}`).digest('base64url');
  return { md5, expires };
}
