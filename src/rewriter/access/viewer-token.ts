/**
 * Viewer tokens: what a viewer presents on the master playlist request when access
 * control is on. Compact and JWT-like without a header (one algorithm, no negotiation):
 *   base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part))
 * Verification is pure (the time is passed in) and returns the refusal as a value.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ok, type Result } from '../../core/result.js';
import { nginxRemoteAddr, sessionLinkCovers } from '../../edge/index.js';
import { isoSeconds, refuse, type AccessProblem } from './access-problem.js';
import { sessionIdForToken } from './session-id.js';
import { normalizeScope } from './stream-scope.js';

/** Longer tokens are refused unread: claims fit in a few hundred characters. */
export const MAX_VIEWER_TOKEN_LENGTH = 2048;

/** What a token grants, as its issuer writes it. */
export interface ViewerClaims {
  /** Unix seconds from which the token is refused (410). */
  readonly exp: number;
  /**
   * Stream scope: a directory such as `/live/event1/` (a missing trailing "/" is
   * added); the token opens any playlist under it, by whole path segments.
   */
  readonly path: string;
  /** Client IP the token is bound to. */
  readonly ip?: string;
  /** Viewer id, for logs; not checked. */
  readonly sub?: string;
  /** Unix seconds before which the token is refused (403). */
  readonly nbf?: number;
}

/** A token that passed every check. */
export interface VerifiedViewer {
  /** The normalised scope, ending in "/". */
  readonly scope: string;
  readonly exp: number;
  readonly nbf?: number;
  /** The bound IP in nginx's `$remote_addr` form. */
  readonly ip?: string;
  readonly sub?: string;
  /** The session this token opens (see openSession). */
  readonly sessionId: string;
}

export interface VerifyViewerTokenOptions {
  /** The signing secret, or several during a key rotation (current first). */
  readonly secret: string | readonly string[];
  /** Current unix time in seconds. */
  readonly nowSec: number;
  /** Request path as sent, still percent-encoded (e.g. `new URL(request.url).pathname`). */
  readonly requestPath: string;
  /** The client's address; without it an IP-bound token is refused. */
  readonly clientIp?: string;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

const claimsSchema = z.object({
  exp: z.int().min(1),
  path: z.string().max(512),
  ip: z.string().max(64).optional(),
  sub: z.string().max(256).optional(),
  nbf: z.int().min(0).optional(),
});

/**
 * Signs `claims` into a token.
 * @throws RangeError for claims no verifier would accept (a caller bug): a path that
 * is not a directory of letters, digits and `. _ ~ -` segments, an ip that is not an IP
 * address, a non-integer time, an empty secret or a token over 2 KiB.
 */
export function mintViewerToken(claims: ViewerClaims, secret: string): string {
  if (secret === '') throw new RangeError('the secret must not be empty');
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new RangeError(`invalid viewer claims: ${z.prettifyError(parsed.error)}`);
  const scope = normalizeScope(parsed.data.path);
  if (scope === undefined) throw new RangeError(`path "${claims.path}" is not a stream directory`);
  const ip = parsed.data.ip === undefined ? undefined : nginxRemoteAddr(parsed.data.ip);
  if (parsed.data.ip !== undefined && ip === undefined) throw new RangeError(`ip "${parsed.data.ip}" is not an IP address`);

  const payload = Buffer.from(JSON.stringify({ ...parsed.data, path: scope, ip })).toString('base64url');
  const token = `${payload}.${hmac(payload, secret)}`;
  if (token.length > MAX_VIEWER_TOKEN_LENGTH) throw new RangeError(`the token would be ${token.length} characters, over 2 KiB`);
  return token;
}

/**
 * Checks `token` for the request described by `options`. Refusals come in this order:
 * missing, malformed, forged, out-of-scope, wrong-ip, not-yet-valid, expired, so 410
 * (fetch a fresh token) is only said of a token that would otherwise be good here.
 */
export function verifyViewerToken(
  token: string | null | undefined,
  options: VerifyViewerTokenOptions,
): Result<VerifiedViewer, AccessProblem> {
  if (token === undefined || token === null || token === '') return refuse('missing', 'the request carries no viewer token');
  if (token.length > MAX_VIEWER_TOKEN_LENGTH) {
    return refuse('malformed', `the token is ${token.length} characters long, over the 2 KiB limit`);
  }
  if (!TOKEN_SHAPE.test(token)) return refuse('malformed', 'the token is not a viewer token (expected payload.signature in base64url)');

  const [payload = '', signature = ''] = token.split('.');
  if (!signedByAny(payload, signature, options.secret)) {
    return refuse('forged', 'the token signature does not match: it was altered or signed with another secret');
  }

  const claims = readClaims(payload);
  if (!claims.ok) return claims;
  const { scope, exp, nbf, ip, sub } = claims.value;

  if (!sessionLinkCovers(scope, options.requestPath)) {
    return refuse('out-of-scope', `the token is for ${scope}, not ${options.requestPath}`);
  }
  if (ip !== undefined) {
    const client = options.clientIp === undefined ? undefined : nginxRemoteAddr(options.clientIp);
    if (client !== ip) return refuse('wrong-ip', `the token is bound to ${ip}, not ${options.clientIp ?? 'an unknown client address'}`);
  }
  if (nbf !== undefined && options.nowSec < nbf) return refuse('not-yet-valid', `the token is not valid before ${isoSeconds(nbf)}`);
  // exp is the first second the token is refused, as in JWT (RFC 7519 4.1.4).
  if (options.nowSec >= exp) return refuse('expired', `the token expired at ${isoSeconds(exp)}`);

  return ok({
    scope,
    exp,
    ...(nbf === undefined ? {} : { nbf }),
    ...(ip === undefined ? {} : { ip }),
    ...(sub === undefined ? {} : { sub }),
    sessionId: sessionIdForToken(token),
  });
}

function hmac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function signedByAny(payload: string, signature: string, secret: string | readonly string[]): boolean {
  const given = Buffer.from(signature);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  // Compared as canonical text, so a second spelling of the same digest bytes (base64url
  // leaves low bits of the last character free) is refused rather than opening a new session.
  return secrets.some((candidate) => {
    if (candidate === '') return false;
    const expected = Buffer.from(hmac(payload, candidate));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

type Claims = { scope: string; exp: number; nbf?: number; ip?: string; sub?: string };

function readClaims(payload: string): Result<Claims, AccessProblem> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return refuse('malformed', 'the token payload is not JSON');
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    if (field === undefined) return refuse('malformed', 'the token payload is not a JSON object');
    if (field === 'exp') return refuse('malformed', 'the token has no valid exp (whole unix seconds)');
    if (field === 'path') return refuse('malformed', 'the token has no valid path (a stream directory such as /live/event1/)');
    return refuse('malformed', `the token has an invalid ${String(field)}`);
  }
  const { exp, nbf, sub } = parsed.data;
  const scope = normalizeScope(parsed.data.path);
  if (scope === undefined) return refuse('malformed', `the token path ${parsed.data.path} is not a stream directory`);
  const ip = parsed.data.ip === undefined ? undefined : nginxRemoteAddr(parsed.data.ip);
  if (parsed.data.ip !== undefined && ip === undefined) return refuse('malformed', 'the token ip is not an IP address');
  return ok({ scope, exp, nbf, ip, sub });
}
