/**
 * Walks the configuration schema to list its leaves (path, env name, kind,
 * secret), so the environment mapping, `_FILE` secrets and redaction all follow
 * the schema instead of a hand-kept list.
 */
import type { z } from 'zod';
import { isSecretSchema } from './secret.js';

export type LeafKind = 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'other';

export interface ConfigLeaf {
  path: readonly string[];
  env: string;
  kind: LeafKind;
  secret: boolean;
}

export const envPrefix = 'HLSCDN_';

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

export function envNameFor(path: readonly string[]): string {
  return envPrefix + path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

export function listConfigLeaves(schema: z.ZodType, path: string[] = []): ConfigLeaf[] {
  let current = schema;
  let secret = isSecretSchema(current);
  // Peel optional/default/prefault/nullable wrappers down to the value's own schema.
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly'].includes(def.type)) {
      current = def.innerType;
      secret ||= isSecretSchema(current);
      continue;
    }
    break;
  }
  const def = defOf(current);
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, child]) => listConfigLeaves(child, [...path, key]));
  }
  const kind: LeafKind =
    def.type === 'string'
      ? 'string'
      : def.type === 'number'
        ? 'number'
        : def.type === 'boolean'
          ? 'boolean'
          : def.type === 'enum'
            ? 'enum'
            : def.type === 'array'
              ? 'array'
              : 'other';
  return [{ path, env: envNameFor(path), kind, secret }];
}
