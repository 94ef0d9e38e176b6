/**
 * Resolves a URI found in a playlist against the playlist's own URL with the
 * WHATWG URL parser (dirname/regex joining breaks on '../', root-relative paths and
 * queries holding '/'), and sets aside schemes the CDN must not touch.
 */

export type ResolvedUri =
  | { kind: 'http'; url: URL }
  /** A non-http(s) scheme such as FairPlay `skd://` or `data:`: written back exactly as found. */
  | { kind: 'opaque' }
  | { kind: 'invalid' };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function isHttp(protocol: string): boolean {
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * The scheme is checked before parsing because opaque schemes (`skd://<asset id>`)
 * need not be valid WHATWG URLs and must pass through whether or not they parse.
 */
export function resolveUri(original: string, base: URL): ResolvedUri {
  const scheme = SCHEME.exec(original);
  if (scheme !== null && !isHttp(`${scheme[1]?.toLowerCase()}:`)) return { kind: 'opaque' };
  let url: URL;
  try {
    url = new URL(original, base);
  } catch {
    return { kind: 'invalid' };
  }
  return isHttp(url.protocol) ? { kind: 'http', url } : { kind: 'opaque' };
}
