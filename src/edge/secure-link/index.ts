/**
 * Public surface of the edge link signers (nginx secure_link): per-URL signatures and
 * session links.
 */
export {
  appendSignature,
  signEdgeUrl,
  type AppendSignatureOptions,
  type EdgeUrlSignature,
  type SignEdgeUrlOptions,
} from './sign-edge-url.js';
export { nginxUriBytes } from './nginx-uri-path.js';
export { sessionLinkQuery, sessionLinkSignatureMatches, signSessionLink } from './sign-session-link.js';
export {
  SESSION_LINK_PARAMS,
  isSessionLinkExpiry,
  isSessionLinkId,
  isSessionLinkScope,
  isSessionLinkSignature,
  nginxRemoteAddr,
  sessionLinkCovers,
  type SessionLinkFields,
} from './session-link-format.js';
