/**
 * The head of one simple HTTP/1.1 request, read from a connection's bytes:
 * GET or HEAD, origin-form target, no body, no folded or duplicated framing
 * headers. Anything else is `unsupported` and goes to Node's own HTTP server,
 * which answers it as it always does (errors included): this reader only
 * decides "simple enough to answer here", it never answers a malformed request
 * itself. Pure: a string in (the connection's bytes as latin1), a value out.
 */

export interface RawRequest {
  method: 'GET' | 'HEAD';
  /** The request target as sent: `/path?query`. */
  target: string;
  /** Header values by lower-case name (a repeated header is joined with ', '). */
  headers: Record<string, string>;
  /** The client asked to close the connection after this answer. */
  close: boolean;
  /** The peer's address, set by the front (not read from the bytes). */
  remoteAddress?: string;
  /**
   * Free for the answer function to keep what it derives from the request (a cache key):
   * the front hands the same object again for a head repeated on the connection.
   */
  derived?: string;
}

export type RawReadResult =
  { kind: 'request'; request: RawRequest; /** Bytes the head took. */ length: number } | { kind: 'incomplete' } | { kind: 'unsupported' };

/** A complete request read from a head. */
export type RawRequestRead = Extract<RawReadResult, { kind: 'request' }>;

/** Longest head read here; longer ones go to Node's server (which answers 431). */
export const MAX_HEAD_BYTES = 16 * 1024;

// RFC 9110 token characters for header names; targets are visible ASCII (no spaces, no controls).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TARGET = /^\/[\x21-\x7e]*$/;
// Framing and protocol switches: a request with any of these is not "simple".
const NOT_SIMPLE = new Set(['transfer-encoding', 'upgrade', 'expect', 'http2-settings']);
// Controls other than tab; matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const OWS = /^[ \t]+|[ \t]+$/g;
const BARE_LF = /(?:^|[^\r])\n/;

/** Reads the request head at the start of `bytes` (latin1). */
export function readRawRequest(bytes: string): RawReadResult {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) {
    // Bare-LF line endings never make a CRLF blank line: hand them to Node (it answers 400) rather than wait for ever.
    if (bytes.length > MAX_HEAD_BYTES || BARE_LF.test(bytes)) return { kind: 'unsupported' };
    return { kind: 'incomplete' };
  }
  // The head, blank line included, must fit as it would have to when it arrives in pieces.
  if (end + 4 > MAX_HEAD_BYTES) return { kind: 'unsupported' };
  const lines = bytes.slice(0, end).split('\r\n');
  const [method, target, version, extra] = lines[0]!.split(' ');
  if (extra !== undefined || (method !== 'GET' && method !== 'HEAD') || version !== 'HTTP/1.1') return { kind: 'unsupported' };
  if (target === undefined || !TARGET.test(target)) return { kind: 'unsupported' };
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    // A folded line (leading space or tab) or a line without a name is left to Node's parser.
    if (colon <= 0) return { kind: 'unsupported' };
    const name = line.slice(0, colon);
    if (!HEADER_NAME.test(name)) return { kind: 'unsupported' };
    // Node's parser rejects controls other than tab in a value (400); OWS is spaces and tabs only (trim() takes more).
    const raw = line.slice(colon + 1);
    if (CONTROL.test(raw)) return { kind: 'unsupported' };
    const value = raw.replace(OWS, '');
    const lower = name.toLowerCase();
    if (NOT_SIMPLE.has(lower)) return { kind: 'unsupported' };
    if (lower === 'content-length') {
      if (value !== '0' || headers[lower] !== undefined) return { kind: 'unsupported' };
    }
    if (lower === 'host' && headers[lower] !== undefined) return { kind: 'unsupported' };
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  // HTTP/1.1 requires Host (RFC 9112 3.2); Node's server answers its absence with 400.
  if (headers.host === undefined) return { kind: 'unsupported' };
  const connection = headers.connection?.toLowerCase() ?? '';
  return {
    kind: 'request',
    request: { method, target, headers, close: connection.split(',').some((token) => token.trim() === 'close') },
    length: end + 4,
  };
}
