/**
 * Viewer sessions: after a master playlist request with a good token, the rewriter opens
 * a session and appends one query string, computed once, to every variant playlist and
 * segment URI it writes, so a per-viewer playlist is a shared template plus string
 * concatenation. The edges verify that query with stock secure_link (the format belongs
 * to the edge: src/edge/secure-link/sign-session-link.ts); the rewriter verifies it here
 * when a player reloads a variant playlist with the session query alone.
 */
import { ok, type Result } from '../../core/result.js';
import {
  SESSION_LINK_PARAMS,
  isSessionLinkExpiry,
  isSessionLinkId,
  isSessionLinkScope,
  isSessionLinkSignature,
  nginxRemoteAddr,
  sessionLinkCovers,
  sessionLinkQuery,
  sessionLinkSignatureMatches,
  type SessionLinkFields,
} from '../../edge/index.js';
import { isoSeconds, refuse, type AccessProblem } from './access-problem.js';
import type { VerifiedViewer } from './viewer-token.js';

/** The signed fields of a session: id, expiry (unix seconds), scope and optional bound IP. */
export type Session = SessionLinkFields;

export interface OpenSessionOptions {
  /** Current unix time in seconds. */
  readonly nowSec: number;
  /** Longest life of a session; it never outlives its token. */
  readonly sessionTtlSec: number;
  /**
   * Client IP to bind the session to when the token binds none; pass it only when the
   * configuration binds sessions (`bindIp`). A token's own `ip` always wins.
   */
  readonly bindToIp?: string;
}

/**
 * The session `viewer` opens now. Deterministic: the same token at the same second
 * gives the same session, hence the same query.
 * @throws RangeError when `bindToIp` is not an IP address (a caller bug).
 */
export function openSession(viewer: VerifiedViewer, options: OpenSessionOptions): Session {
  const exp = Math.min(viewer.exp, Math.floor(options.nowSec) + options.sessionTtlSec);
  const ip = viewer.ip ?? (options.bindToIp === undefined ? undefined : nginxRemoteAddr(options.bindToIp));
  if (options.bindToIp !== undefined && ip === undefined) throw new RangeError(`bindToIp "${options.bindToIp}" is not an IP address`);
  return { sid: viewer.sessionId, exp, scope: viewer.scope, ...(ip === undefined ? {} : { ip }) };
}

/**
 * The query to append to every URI of the session, without a leading "?" or "&", e.g.
 * `hs_sid=…&hs_exp=…&hs_scope=/live/a/&hs_sig=…`. The scope's "/" stays unescaped: the
 * edge hashes the raw argument text and cannot decode `%2F`.
 */
export function buildSessionQuery(session: Session, secret: string): string {
  return sessionLinkQuery(session, secret);
}

export interface VerifySessionOptions {
  /** The session-link secret, or several during a key rotation (current first). */
  readonly secret: string | readonly string[];
  /** Current unix time in seconds. */
  readonly nowSec: number;
  /** Request path as sent, still percent-encoded (e.g. `new URL(request.url).pathname`). */
  readonly requestPath: string;
  /** The client's address; without it an IP-bound session is refused. */
  readonly clientIp?: string;
}

/**
 * Checks the session query of a request the way an edge does: missing, malformed,
 * forged, out-of-scope and wrong-ip are 403, expired (only said of a session that would
 * otherwise be good here) is 410. Like nginx, the session is good through its `exp` second.
 */
export function verifySessionQuery(params: URLSearchParams, options: VerifySessionOptions): Result<Session, AccessProblem> {
  const read = readSession(params);
  if (!read.ok) return read;
  const { session, sig } = read.value;

  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (!secrets.some((secret) => secret !== '' && sessionLinkSignatureMatches(session, sig, secret))) {
    return refuse('forged', 'the session signature does not match: the link was altered or signed with another secret');
  }
  if (!sessionLinkCovers(session.scope, options.requestPath)) {
    return refuse('out-of-scope', `the session is for ${session.scope}, not ${options.requestPath}`);
  }
  if (session.ip !== undefined) {
    const client = options.clientIp === undefined ? undefined : nginxRemoteAddr(options.clientIp);
    if (client !== session.ip) {
      return refuse('wrong-ip', `the session is bound to ${session.ip}, not ${options.clientIp ?? 'an unknown client address'}`);
    }
  }
  // nginx compares whole seconds (ngx_time()).
  if (session.exp < Math.floor(options.nowSec)) {
    return refuse('expired', `the session expired at ${isoSeconds(session.exp)}: reload the master playlist with a fresh token`);
  }
  return ok(session);
}

function readSession(params: URLSearchParams): Result<{ session: Session; sig: string }, AccessProblem> {
  const sid = params.get(SESSION_LINK_PARAMS.sid);
  const exp = params.get(SESSION_LINK_PARAMS.exp);
  const scope = params.get(SESSION_LINK_PARAMS.scope);
  const sig = params.get(SESSION_LINK_PARAMS.sig);
  // An empty hs_ip is an unbound session, as nginx's empty $arg_hs_ip hashes the same.
  const ip = params.get(SESSION_LINK_PARAMS.ip) || undefined;

  if (sid === null && exp === null && scope === null && sig === null) {
    return refuse('missing', 'the request carries no session (hs_sid, hs_exp, hs_scope, hs_sig)');
  }
  if (sid === null || exp === null || scope === null || sig === null) {
    const present = { sid, exp, scope, sig };
    const lacking = (['sid', 'exp', 'scope', 'sig'] as const).filter((field) => present[field] === null);
    return refuse('malformed', `the session query lacks ${lacking.map((field) => SESSION_LINK_PARAMS[field]).join(', ')}`);
  }

  if (!isSessionLinkId(sid)) return refuse('malformed', 'hs_sid is not a session id (16 base64url characters)');
  if (!isSessionLinkExpiry(exp) || Number(exp) <= 0) return refuse('malformed', 'hs_exp is not a unix time in whole seconds');
  if (!isSessionLinkScope(scope)) return refuse('malformed', 'hs_scope is not a stream directory such as /live/event1/');
  if (ip !== undefined && nginxRemoteAddr(ip) !== ip) return refuse('malformed', 'hs_ip is not an IP address');
  if (!isSessionLinkSignature(sig)) return refuse('malformed', 'hs_sig is not a session signature');

  return ok({ session: { sid, exp: Number(exp), scope, ...(ip === undefined ? {} : { ip }) }, sig });
}
