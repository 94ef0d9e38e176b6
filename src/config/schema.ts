/**
 * The one configuration schema of every hlscdn service, composed from the
 * sections each component owns. It stands above the components: only the CLI,
 * the local stack, bench and tests import it; a component receives its own
 * section as a typed options object and never reads process.env. Environment
 * names are derived from the paths (core/config/schema-walk.ts):
 * `origin.port` <- HLSCDN_ORIGIN_PORT, `store.s3.forcePathStyle` <- HLSCDN_STORE_S3_FORCE_PATH_STYLE.
 */
import { z } from 'zod';
import { autoscalerSchema } from '../autoscaler/index.js';
import { apiSchema } from '../core/http/api-config.js';
import { logSchema } from '../core/log-config.js';
import { redisSchema } from '../core/redis/index.js';
import { edgeSchema, signingSchema } from '../edge/index.js';
import { originSchema, storeSchema } from '../origin-store/index.js';
import { accessSchema, rewriterSchema } from '../rewriter/index.js';
import { transcoderSchema } from '../transcoder/index.js';

export const configSchema = z.object({
  log: logSchema.prefault({}),
  store: storeSchema.prefault({}),
  origin: originSchema.prefault({}),
  redis: redisSchema.prefault({}),
  api: apiSchema.prefault({}),
  edge: edgeSchema.prefault({}),
  signing: signingSchema.prefault({}),
  rewriter: rewriterSchema.prefault({}),
  access: accessSchema.prefault({}),
  transcoder: transcoderSchema.prefault({}),
  autoscaler: autoscalerSchema.prefault({}),
});

export type HlscdnConfig = z.infer<typeof configSchema>;
