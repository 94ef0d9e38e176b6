/**
 * Public surface of the configuration plumbing: layering, secrets and redaction for any section schema.
 */
export { loadLayeredConfig, deepMerge, type Env, type LoadConfigOptions } from './load-config.js';
export { redactSecrets, redactUrlPassword, redacted } from './redact-config.js';
export { listConfigLeaves, envNameFor, type ConfigLeaf } from './schema-walk.js';
export { secretString, secretRegistry } from './secret.js';
export { hostSchema, portSchema } from './fields.js';
