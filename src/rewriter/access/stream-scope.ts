/**
 * Stream scopes: the directory a token or session may read, e.g. `/live/event1/`. A scope
 * covers a request by whole path segments, judged the way the edge judges it
 * (sessionLinkCovers), so the rewriter and the edges never disagree on what is in scope.
 */
import { isSessionLinkScope } from '../../edge/index.js';

/**
 * The canonical scope for `path`, or undefined when it cannot be one. A path without a
 * trailing "/" still names a directory: `/live/a` becomes `/live/a/`, which does not
 * cover `/live/ab/`.
 */
export function normalizeScope(path: string): string | undefined {
  const scope = path.endsWith('/') ? path : `${path}/`;
  return isSessionLinkScope(scope) ? scope : undefined;
}
