/** The `log` section of the configuration: what the pino loggers of every service print. */
import { z } from 'zod';

export const logSchema = z.object({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type LogConfig = z.infer<typeof logSchema>;
