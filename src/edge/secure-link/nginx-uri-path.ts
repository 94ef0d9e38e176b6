/**
 * Turns a URL path as sent on the wire into the bytes nginx holds in `$uri`, which is
 * what the edge's secure_link_md5 expression hashes. nginx (ngx_http_parse_complex_uri)
 * percent-decodes to raw bytes, then, with the default `merge_slashes on`, collapses
 * runs of "/" and resolves "." and ".." segments. Signing the encoded form instead
 * would make every URL with an escaped character answer 403.
 */

/**
 * Bytes of nginx's `$uri` for an encoded path such as `URL.pathname`.
 * Malformed escapes (`%zz`) are kept literally: nginx rejects such a request with 400
 * before secure_link runs, so their signature never matters.
 */
export function nginxUriBytes(encodedPath: string): Buffer {
  // latin1 maps bytes 0-255 to code units one to one, so string operations below act on
  // bytes; non-ASCII characters in the input are first encoded as UTF-8 like a client would.
  const decoded = percentDecodeToLatin1(encodedPath);
  const merged = decoded.replace(/\/{2,}/g, '/');
  return Buffer.from(removeDotSegments(merged), 'latin1');
}

function percentDecodeToLatin1(path: string): string {
  const bytes = Buffer.from(path, 'utf8').toString('latin1');
  return bytes.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** RFC 3986 section 5.2.4, on an absolute path. */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.length > 1) out.pop();
      // A trailing dot segment still leaves the path ending in "/".
      if (last) out.push('');
      continue;
    }
    out.push(segment);
  }
  return out.join('/');
}
