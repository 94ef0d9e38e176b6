/**
 * The session link query the edges verify (nginx/edge.conf.template, `sessionLinks`):
 * parameter names, the shape of each field, and the scope and client checks nginx does
 * with its maps, restated in TypeScript so the rewriter accepts exactly what an edge does.
 *
 * Every field is drawn from characters a query may hold unescaped (RFC 3986 3.4 allows
 * "/" and ":" there), because nginx hashes and compares the raw `$arg_*` text and stock
 * nginx cannot percent-decode an argument: what is signed is the text on the wire.
 */
import { isIP } from 'node:net';
import { nginxUriBytes } from './nginx-uri-path.js';

/** Query parameter names, as the edge template reads them (`$arg_hs_*`). */
export const SESSION_LINK_PARAMS = {
  sid: 'hs_sid',
  exp: 'hs_exp',
  scope: 'hs_scope',
  ip: 'hs_ip',
  sig: 'hs_sig',
} as const;

/** The signed fields of a session link. */
export interface SessionLinkFields {
  /** Session id: 16 base64url characters. */
  readonly sid: string;
  /** Unix time in seconds after which the edge answers 410. */
  readonly exp: number;
  /** Directory the session may read: starts and ends with "/", e.g. `/live/event1/`. */
  readonly scope: string;
  /** Client address the session is bound to, in nginx's `$remote_addr` form. */
  readonly ip?: string;
}

// The fixed-length id keeps the concatenated md5 input unambiguous: a scope always ends
// in "/", an id never holds one and is always 16 characters, so no characters can be moved
// from one field to the next without changing the hash. The edge's map checks the same.
const SESSION_ID = /^[A-Za-z0-9_-]{16}$/;
// Must match the scope map regex in nginx/edge.conf.template.
const SCOPE = /^\/(?:[A-Za-z0-9._~-]+\/)*$/;
const MAX_SCOPE_LENGTH = 512;
const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;
const EXPIRY = /^[0-9]{1,12}$/;

export function isSessionLinkId(value: string): boolean {
  return SESSION_ID.test(value);
}

/**
 * A directory path of letters, digits and `. _ ~ -` segments, without "." or ".."
 * segments (nginx's `$uri` never holds them, so such a scope could never match).
 */
export function isSessionLinkScope(value: string): boolean {
  if (value.length > MAX_SCOPE_LENGTH || !SCOPE.test(value)) return false;
  return value.split('/').every((segment) => segment !== '.' && segment !== '..');
}

/** The `hs_sig` shape: an MD5 digest in base64url without padding. */
export function isSessionLinkSignature(value: string): boolean {
  return SIGNATURE.test(value);
}

/** The `hs_exp` shape: whole unix seconds, digits only (nginx's ngx_atotm takes no sign). */
export function isSessionLinkExpiry(value: string): boolean {
  return EXPIRY.test(value);
}

/**
 * The text nginx puts in `$remote_addr` for `ip`, or undefined when `ip` is not an IP
 * address. IPv6 is compressed and lowercased (RFC 5952, as nginx prints it); an
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack Node socket reports)
 * becomes plain IPv4, as an edge listening on IPv4 sees the same client. Zone ids are
 * refused: they never appear in `$remote_addr`.
 */
export function nginxRemoteAddr(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family !== 6 || ip.includes('%')) return undefined;
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Whether a request for `encodedPath` (the path as sent, e.g. `URL.pathname`) lies
 * under `scope`, judged on the path nginx will serve (`$uri`: decoded, slashes merged,
 * dot segments resolved), so `/live/a/../b/x.ts` is not under `/live/a/`. A path holding
 * "|" is refused, as the edge's map (which uses "|" as its separator) refuses it.
 */
export function sessionLinkCovers(scope: string, encodedPath: string): boolean {
  if (!isSessionLinkScope(scope)) return false;
  const uri = nginxUriBytes(encodedPath).toString('latin1');
  return !uri.includes('|') && uri.startsWith(scope);
}
