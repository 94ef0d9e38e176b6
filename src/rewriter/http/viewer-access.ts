/**
 * The rewriter's access check on playlist requests (docs/access-tokens.md),
 * when `access.enabled`: a request carries a viewer token (`?token=`, on the
 * master as players are given it) or the session query an earlier answer put
 * into its URI (variant reloads, `hs_*`). Either opens the session whose query
 * goes into every URI of the answer; anything else is refused, 403 (410 when
 * expired), with a short reason. The check runs per request, on the app path
 * and on the hot path alike, while the rewritten playlist behind the answer is
 * shared by every viewer (uri-template.ts).
 */
import { err, ok, type Result } from '../../core/result.js';
import {
  buildSessionQuery,
  openSession,
  verifySessionQuery,
  verifyViewerToken,
  type AccessConfig,
  type AccessProblem,
} from '../access/index.js';
import { SESSION_LINK_PARAMS } from '../../edge/index.js';
import { BoundedCache } from '../origin/index.js';

export interface ViewerAccessRequest {
  /** The request path as sent (percent-encoded). */
  path: string;
  params: URLSearchParams;
  /** The raw query (`''` or without the '?'), whose session pairs are carried as sent once verified. */
  search: string;
  clientIp: string | undefined;
  nowMs: number;
}

/** The session query of an admitted request, or why it is refused. */
export type ViewerAccessCheck = (request: ViewerAccessRequest) => Result<string, AccessProblem>;

/** Sessions verified on a path, remembered so a viewer's reloads skip the signature check. @defaultValue 100_000 */
const VERIFIED_SESSIONS = 100_000;

/** The check for `config`, or undefined when access control is off. */
export function createViewerAccess(config: AccessConfig, options: { verifiedSessions?: number } = {}): ViewerAccessCheck | undefined {
  const secret = config.secret;
  if (!config.enabled || secret === undefined) return undefined;
  const tokenSecrets = [secret, ...config.previousSecrets];
  // Keyed by path and the exact session pairs (signature included): a hit is the same signed session on the
  // same path, so only what changes with the request (the client address) and the clock are checked again.
  const verified = new BoundedCache<string, { exp: number; ip: string | undefined }>({
    maxEntries: options.verifiedSessions ?? VERIFIED_SESSIONS,
  });
  return (request) => {
    const nowSec = Math.floor(request.nowMs / 1000);
    const clientIp = stripMappedIpv4(request.clientIp);
    const token = request.params.get(config.tokenParam);
    if (token === null && !request.params.has(SESSION_LINK_PARAMS.sid)) {
      return err({ code: 'missing', status: 403, message: `this stream needs a viewer token: add ?${config.tokenParam}=<token>` });
    }
    if (token === null) {
      const pairs = sessionPairs(request.search);
      const key = `${request.path}\n${pairs}`;
      const known = verified.get(key, request.nowMs);
      if (known !== undefined && known.exp >= nowSec && (known.ip === undefined || known.ip === clientIp)) return ok(pairs);
      const session = verifySessionQuery(request.params, { secret, nowSec, requestPath: request.path, clientIp });
      if (!session.ok) return session;
      // Good through its exp second, as nginx counts it.
      verified.set(key, { exp: session.value.exp, ip: session.value.ip }, (session.value.exp + 1) * 1000);
      // Verified: the viewer's own pairs go on as sent (no second signature to compute per reload).
      return ok(pairs);
    }
    const viewer = verifyViewerToken(token, { secret: tokenSecrets, nowSec, requestPath: request.path, clientIp });
    if (!viewer.ok) return err(viewer.error);
    const session = openSession(viewer.value, {
      nowSec,
      sessionTtlSec: config.sessionTtlSec,
      ...(config.bindIp && clientIp !== undefined && { bindToIp: clientIp }),
    });
    return ok(buildSessionQuery(session, secret));
  };
}

const SESSION_PAIR_PREFIX = 'hs_';

/** The session pairs of a raw query, in their order. */
function sessionPairs(search: string): string {
  return search
    .split('&')
    .filter((pair) => pair.startsWith(SESSION_PAIR_PREFIX))
    .join('&');
}

/** `::ffff:127.0.0.1` as nginx's $remote_addr writes it on an IPv4 socket: `127.0.0.1`. */
function stripMappedIpv4(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
