/**
 * Public surface of the composed configuration: the schema of every section, and loading it.
 */
export { configSchema, type HlscdnConfig } from './schema.js';
export { loadConfig, redactConfig } from './load.js';
export {
  deepMerge,
  listConfigLeaves,
  envNameFor,
  redacted,
  type ConfigLeaf,
  type Env,
  type LoadConfigOptions,
} from '../core/config/index.js';
