/**
 * Secret configuration values are marked in the schema, so the environment
 * loader accepts `<VAR>_FILE` for them and `config print` redacts them.
 */
import { z } from 'zod';

export const secretRegistry = z.registry<{ secret: true }>();

/**
 * A string that must never be printed or logged. Refinements go through
 * `refine`, because each zod method returns a new schema and only the final one
 * is registered as secret.
 */
export function secretString(refine: (schema: z.ZodString) => z.ZodString = (s) => s) {
  const schema = refine(z.string().min(1));
  secretRegistry.add(schema, { secret: true });
  return schema;
}

export function isSecretSchema(schema: z.ZodType): boolean {
  return secretRegistry.has(schema);
}
