/**
 * Secret configuration values are marked in the schema, so the environment
 * loader accepts `<VAR>_FILE` for them and `config print` redacts them.
 */
import { z } from 'zod';

export const secretRegistry = z.registry<{ secret: true }>();

/** A string that must never be printed or logged. */
export function secretString() {
  const schema = z.string().min(1);
  secretRegistry.add(schema, { secret: true });
  return schema;
}

export function isSecretSchema(schema: z.ZodType): boolean {
  return secretRegistry.has(schema);
}
