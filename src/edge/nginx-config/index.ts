/**
 * Public surface of the edge nginx config renderer.
 */
export {
  EDGE_SECRET_PATTERN,
  edgeConfigSchema,
  parseEdgeConfigOptions,
  type EdgeConfigError,
  type EdgeConfigInput,
  type EdgeConfigIssue,
  type EdgeConfigOptions,
  type EdgeConfigParseResult,
} from './edge-config-schema.js';
export { EdgeConfigInvalidError, renderEdgeConfig } from './render-edge-config.js';
export { EDGE_CONF_TEMPLATE } from './edge-conf-template.js';
export type { EdgeAccessLogRecord } from './access-log-record.js';
