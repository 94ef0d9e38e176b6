/**
 * Builds an effective configuration from any section schema: schema defaults <
 * config file (JSON) < environment < explicit overrides (CLI flags). Invalid
 * input is refused with one message naming every bad field, its environment
 * variable and what is expected. Called once, at the entry point.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { HlscdnError, errorMessage } from '../errors.js';
import { listConfigLeaves, type ConfigLeaf } from './schema-walk.js';

export type Env = Readonly<Record<string, string | undefined>>;
type Tree = Record<string, unknown>;

export interface LoadConfigOptions {
  env: Env;
  /** JSON config file; @defaultValue env.HLSCDN_CONFIG */
  file?: string;
  /** Highest precedence, e.g. from CLI flags; nested like the schema. */
  overrides?: Tree;
  /** Well-known variables of other tools mapped onto schema paths, e.g. REDIS_URL -> redis.url. */
  aliases?: Readonly<Record<string, readonly string[]>>;
}

export function loadLayeredConfig<S extends z.ZodType>(schema: S, options: LoadConfigOptions): z.output<S> {
  const leaves = listConfigLeaves(schema);
  const problems: string[] = [];
  const file = options.file ?? options.env.HLSCDN_CONFIG;
  const fromFile = file ? readConfigFile(file, problems) : {};
  const fromEnv = readEnv(options.env, leaves, options.aliases ?? {}, problems);
  const merged = deepMerge(deepMerge(fromFile, fromEnv), options.overrides ?? {});
  const parsed = schema.safeParse(merged);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, leaves)));
  if (problems.length > 0 || !parsed.success) {
    throw new HlscdnError('invalid-config', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: { problems },
    });
  }
  return parsed.data;
}

function readConfigFile(file: string, problems: string[]): Tree {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Tree;
    problems.push(`config file ${file}: expected a JSON object`);
  } catch (error) {
    problems.push(`config file ${file}: ${errorMessage(error)}`);
  }
  return {};
}

function readEnv(env: Env, leaves: readonly ConfigLeaf[], aliases: Readonly<Record<string, readonly string[]>>, problems: string[]): Tree {
  const tree: Tree = {};
  for (const [name, path] of Object.entries(aliases)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(tree, path, value);
  }
  for (const leaf of leaves) {
    const raw = readLeaf(env, leaf, problems);
    if (raw !== undefined) setPath(tree, leaf.path, coerce(raw, leaf));
  }
  return tree;
}

function readLeaf(env: Env, leaf: ConfigLeaf, problems: string[]): string | undefined {
  const direct = env[leaf.env];
  if (direct !== undefined && direct !== '') return direct;
  // Secrets may come from a file (Docker/Kubernetes secrets, systemd credentials).
  const fileName = leaf.secret ? env[`${leaf.env}_FILE`] : undefined;
  if (!fileName) return undefined;
  try {
    return readFileSync(fileName, 'utf8').trim();
  } catch (error) {
    problems.push(`${leaf.path.join('.')} (${leaf.env}_FILE): cannot read ${fileName}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** Environment values are text; numbers and booleans are converted, and left as text when they don't parse so zod names the field. */
function coerce(raw: string, leaf: ConfigLeaf): unknown {
  if (leaf.kind === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (leaf.kind === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  // Lists are comma-separated in the environment: HLSCDN_EDGE_ORIGINS=http://a:8080,http://b:8080
  if (leaf.kind === 'array')
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return raw;
}

function describeIssue(issue: z.core.$ZodIssue, leaves: readonly ConfigLeaf[]): string {
  const path = issue.path.map(String);
  const leaf = leaves.find((l) => l.path.join('.') === path.join('.'));
  const where = path.length === 0 ? '(root)' : path.join('.');
  const env = leaf ? ` (${leaf.env})` : '';
  return `${where}${env}: ${issue.message}`;
}

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node = (next && typeof next === 'object' ? next : (node[part] = {})) as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    const bothObjects =
      prev && value && typeof prev === 'object' && typeof value === 'object' && !Array.isArray(prev) && !Array.isArray(value);
    out[key] = bothObjects ? deepMerge(prev as Tree, value as Tree) : value;
  }
  return out;
}
