/**
 * Public surface of viewer access control: viewer tokens checked on master playlist
 * requests, the sessions they open (one signed query carried into every URI, verified
 * by the edges' secure_link and by the rewriter on variant reloads), and the `access`
 * configuration section. Pure: no I/O, no timers; the time is always passed in.
 */
export { type AccessProblem, type AccessProblemCode } from './access-problem.js';
export {
  MAX_VIEWER_TOKEN_LENGTH,
  mintViewerToken,
  verifyViewerToken,
  type VerifiedViewer,
  type VerifyViewerTokenOptions,
  type ViewerClaims,
} from './viewer-token.js';
export {
  buildSessionQuery,
  openSession,
  verifySessionQuery,
  type OpenSessionOptions,
  type Session,
  type VerifySessionOptions,
} from './session.js';
export { sessionIdForToken } from './session-id.js';
export { accessSchema, type AccessConfig, type AccessConfigInput } from './access-config.js';
