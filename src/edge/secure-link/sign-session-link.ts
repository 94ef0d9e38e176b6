/**
 * Signs session links for nginx's secure_link module, matching the edge template's
 *   secure_link $arg_hs_sig,$arg_hs_exp;
 *   secure_link_md5 "$secure_link_expires$arg_hs_scope$arg_hs_sid$arg_hs_ip <secret>";
 * A session link is one query string appended to every playlist and segment URI of a
 * viewer's session; it covers every path under its scope, unlike the per-URL signature of
 * sign-edge-url.ts, which covers one path. Pure: the expiry is passed in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  SESSION_LINK_PARAMS,
  isSessionLinkId,
  isSessionLinkScope,
  nginxRemoteAddr,
  type SessionLinkFields,
} from './session-link-format.js';

/**
 * The `hs_sig` value for `fields`: base64url(md5(exp scope sid ip " " secret)) without
 * padding, as nginx compares it.
 * @throws RangeError when a field is out of shape (a caller bug: the edge would refuse
 * the link, or worse, the fields would no longer split unambiguously).
 */
export function signSessionLink(fields: SessionLinkFields, secret: string): string {
  assertSignable(fields);
  return digest(fields, secret);
}

/**
 * The session query, e.g. `hs_sid=…&hs_exp=…&hs_scope=/live/a/&hs_sig=…` (`hs_ip` only
 * when bound). Values are written unescaped: every field is drawn from characters a
 * query may hold as they are, and nginx hashes the raw argument text, so an escaped
 * "/" (`%2F`) would no longer verify.
 * @throws RangeError as {@link signSessionLink} does.
 */
export function sessionLinkQuery(fields: SessionLinkFields, secret: string): string {
  const sig = signSessionLink(fields, secret);
  const pairs: [string, string][] = [
    [SESSION_LINK_PARAMS.sid, fields.sid],
    [SESSION_LINK_PARAMS.exp, String(fields.exp)],
    [SESSION_LINK_PARAMS.scope, fields.scope],
  ];
  if (fields.ip !== undefined) pairs.push([SESSION_LINK_PARAMS.ip, fields.ip]);
  pairs.push([SESSION_LINK_PARAMS.sig, sig]);
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Whether `sig` is the signature of `fields` under `secret`, compared in constant time.
 * Fields out of shape never match.
 */
export function sessionLinkSignatureMatches(fields: SessionLinkFields, sig: string, secret: string): boolean {
  if (signableProblem(fields) !== undefined) return false;
  const expected = Buffer.from(digest(fields, secret));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function digest(fields: SessionLinkFields, secret: string): string {
  return createHash('md5')
    .update(`${fields.exp}${fields.scope}${fields.sid}${fields.ip ?? ''} ${secret}`)
    .digest('base64url');
}

function assertSignable(fields: SessionLinkFields): void {
  const problem = signableProblem(fields);
  if (problem !== undefined) throw new RangeError(problem);
}

function signableProblem(fields: SessionLinkFields): string | undefined {
  // nginx parses hs_exp as a whole number; 0 is refused by secure_link itself.
  if (!Number.isSafeInteger(fields.exp) || fields.exp <= 0) return `exp must be a positive whole unix time, got ${fields.exp}`;
  if (!isSessionLinkId(fields.sid)) return `sid must be 16 base64url characters, got "${fields.sid}"`;
  if (!isSessionLinkScope(fields.scope)) {
    return `scope must be a directory path of letters, digits and . _ ~ - segments ending in "/", got "${fields.scope}"`;
  }
  if (fields.ip !== undefined && nginxRemoteAddr(fields.ip) !== fields.ip) {
    return `ip must be an IP address as nginx prints $remote_addr, got "${fields.ip}"`;
  }
  return undefined;
}
