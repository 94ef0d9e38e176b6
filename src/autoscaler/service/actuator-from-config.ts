/**
 * Builds the configured actuator. The edges it starts must find the same
 * registry as the autoscaler, so the Redis settings go into their environment.
 */
import { isAbsolute, resolve } from 'node:path';
import type { RedisConfig } from '../../core/redis/index.js';
import type { Logger } from '../../core/logger.js';
import type { SelfCommand } from '../../core/process/index.js';
import type { EdgeActuator } from '../actuators/edge-actuator.js';
import { LocalActuator } from '../actuators/local/local-actuator.js';
import { TerraformActuator } from '../actuators/terraform/terraform-actuator.js';
import type { AutoscalerConfig } from '../config.js';

export interface ActuatorFromConfigOptions {
  config: AutoscalerConfig;
  redis: RedisConfig & { url: string };
  /** The registry ttl the edges must use (edge.ttlMs). */
  edgeTtlMs: number;
  /** Environment of local edges and of terraform (PATH, cloud credentials...). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  command?: SelfCommand;
  logger: Logger;
}

/** Variables that would make every local edge claim the same id, port or directory. */
const PER_EDGE_VARIABLES = ['HLSCDN_EDGE_ID', 'HLSCDN_EDGE_PORT', 'HLSCDN_EDGE_DATA_DIR', 'HLSCDN_EDGE_PUBLIC_URL', 'HLSCDN_CONFIG'];

/** The environment of an `hlscdn edge` child: the given one, pointed at our registry. */
export function edgeEnvironment(env: NodeJS.ProcessEnv, redis: RedisConfig & { url: string }, edgeTtlMs: number): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of PER_EDGE_VARIABLES) delete out[name];
  out.REDIS_URL = redis.url;
  out.HLSCDN_REDIS_URL = redis.url;
  out.HLSCDN_REDIS_KEY_PREFIX = redis.keyPrefix;
  out.HLSCDN_EDGE_TTL_MS = String(edgeTtlMs);
  if (redis.username !== undefined) out.HLSCDN_REDIS_USERNAME = redis.username;
  if (redis.password !== undefined) out.HLSCDN_REDIS_PASSWORD = redis.password;
  return out;
}

export function actuatorFromConfig(options: ActuatorFromConfigOptions): EdgeActuator {
  const { config, logger } = options;
  const absolute = (dir: string) => (isAbsolute(dir) ? dir : resolve(options.cwd, dir));
  switch (config.actuator) {
    case 'local':
      return new LocalActuator({
        origins: config.local.origins,
        host: config.local.host,
        basePort: config.local.basePort,
        idPrefix: config.local.idPrefix,
        dataDir: absolute(config.local.dataDir),
        env: edgeEnvironment(options.env, options.redis, options.edgeTtlMs),
        command: options.command,
        // SIGKILL only after the edge had its full drain.
        stopTimeoutMs: (config.drainTimeoutSec + 30) * 1000,
        logger,
      });
    case 'terraform':
      // Terraform gets the environment as is: the edges' own registry URL (often another
      // ACL user than the autoscaler's) comes from the module's variables, e.g. TF_VAR_redis_url.
      return new TerraformActuator({
        workingDir: absolute(config.terraform.workingDir),
        varFile: config.terraform.varFile,
        binary: config.terraform.binary,
        applyTimeoutMs: config.terraform.applyTimeoutSec * 1000,
        retries: config.terraform.retries,
        namePrefix: config.terraform.namePrefix,
        init: config.terraform.init,
        env: options.env,
        logger,
      });
  }
}
