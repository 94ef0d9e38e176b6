/** The edge tier: nginx config rendering, URL and session-link signing, the agent, and the edge service (`hlscdn edge`). */
export { edgeSchema, signingSchema, type EdgeConfig, type SigningConfig } from './config.js';
export { EdgeService, type EdgeServiceOptions, type EdgeServiceEvents } from './edge-service.js';
export { EdgeAgent, type EdgeAgentOptions, type EdgeRecordSink } from './agent/edge-agent.js';
export {
  renderEdgeConfig,
  parseEdgeConfigOptions,
  EDGE_SECRET_PATTERN,
  type EdgeConfigInput,
  type EdgeConfigOptions,
} from './nginx-config/index.js';
export {
  signEdgeUrl,
  appendSignature,
  nginxUriBytes,
  SESSION_LINK_PARAMS,
  isSessionLinkExpiry,
  isSessionLinkId,
  isSessionLinkScope,
  isSessionLinkSignature,
  nginxRemoteAddr,
  sessionLinkCovers,
  sessionLinkQuery,
  sessionLinkSignatureMatches,
  signSessionLink,
  type SessionLinkFields,
} from './secure-link/index.js';
