/** The `api` section of the configuration: the bearer token every control API checks. */
import { z } from 'zod';
import { secretString } from '../config/secret.js';

export const apiSchema = z.object({
  /** Bearer token of the control APIs. Without one, control APIs refuse every request. */
  token: secretString().optional(),
});

export type ApiConfig = z.infer<typeof apiSchema>;
