export { configSchema, type HlscdnConfig, type StoreConfig, type OriginConfig, type RedisConfig, type EdgeConfig, type SigningConfig } from './schema.js';
export { loadConfig, deepMerge, type Env, type LoadConfigOptions } from './load-config.js';
export { redactConfig, redactUrlPassword, redacted } from './redact-config.js';
export { listConfigLeaves, envNameFor, type ConfigLeaf } from './schema-walk.js';
export { secretString } from './secret.js';
