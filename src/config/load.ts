/** hlscdn's configuration loaded and redacted with the generic layering of core/config, bound to the composed schema. */
import { loadLayeredConfig, redactSecrets, type LoadConfigOptions } from '../core/config/index.js';
import { configSchema, type HlscdnConfig } from './schema.js';

/** Well-known variables other tools use, mapped onto schema paths. */
const aliases: Readonly<Record<string, readonly string[]>> = { REDIS_URL: ['redis', 'url'] };

/** Defaults < config file (JSON) < environment < overrides (CLI flags); throws `invalid-config` naming every bad field. */
export function loadConfig(options: LoadConfigOptions): HlscdnConfig {
  return loadLayeredConfig(configSchema, { ...options, aliases });
}

/** The effective configuration with secrets hidden: for `hlscdn config print` and start-up logs. */
export function redactConfig(config: HlscdnConfig): unknown {
  return redactSecrets(configSchema, config);
}
