/** A configuration with its secrets hidden (the leaves its schema marks secret, and passwords in URLs). */
import type { z } from 'zod';
import { listConfigLeaves } from './schema-walk.js';

export const redacted = '[redacted]';

export function redactSecrets<S extends z.ZodType>(schema: S, config: z.output<S>): unknown {
  const secretPaths = listConfigLeaves(schema)
    .filter((l) => l.secret)
    .map((l) => l.path);
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of secretPaths) {
    let node: Record<string, unknown> | undefined = copy;
    for (const part of path.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
    const last = path[path.length - 1] as string;
    if (node && node[last] !== undefined) node[last] = redacted;
  }
  return redactUrlPasswords(copy);
}

/** Passwords embedded in URLs (redis://user:pass@host) are secrets too. */
function redactUrlPasswords(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlPassword(value);
  if (Array.isArray(value)) return value.map(redactUrlPasswords);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactUrlPasswords(v)]));
  return value;
}

export function redactUrlPassword(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = redacted;
    return url.toString();
  } catch {
    return text;
  }
}
