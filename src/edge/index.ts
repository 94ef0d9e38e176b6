/** The edge tier: nginx config rendering, URL signing, the agent, and the edge service (`hlscdn edge`). */
export { edgeSchema, signingSchema, type EdgeConfig, type SigningConfig } from './config.js';
export { EdgeService, type EdgeServiceOptions, type EdgeServiceEvents } from './edge-service.js';
export { EdgeAgent, type EdgeAgentOptions, type EdgeRecordSink } from './agent/edge-agent.js';
export { renderEdgeConfig, parseEdgeConfigOptions, type EdgeConfigInput, type EdgeConfigOptions } from './nginx-config/index.js';
export { signEdgeUrl, appendSignature } from './secure-link/index.js';
