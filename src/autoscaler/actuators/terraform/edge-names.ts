/**
 * Names of Terraform-managed edges, `<prefix>-<n>`, and the var file that holds
 * them (`{"edge_names": [...]}`). Pure: text in, results out; the actuator does
 * the file I/O.
 */
import { err, ok, type Result } from '../../../core/result.js';
import { EDGE_ID_PATTERN } from '../../../edge-registry/index.js';

export interface EdgeNamesError {
  code: 'invalid-var-file';
  message: string;
}

/**
 * New names with the smallest free numbers: a freed number is reused, so the
 * names (and, in the examples, ports and subnets derived from them) stay in a
 * small range however long the autoscaler runs.
 */
export function nextEdgeNames(existing: readonly string[], count: number, prefix: string): string[] {
  const taken = new Set(existing);
  const names: string[] = [];
  for (let n = 1; names.length < count; n++) {
    const name = `${prefix}-${n}`;
    if (!taken.has(name)) names.push(name);
  }
  return names;
}

/** The var file's text; a missing file is an empty fleet. */
export function parseEdgeNamesFile(text: string | undefined, file: string): Result<string[], EdgeNamesError> {
  if (text === undefined || text.trim() === '') return ok([]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return err({ code: 'invalid-var-file', message: `${file} is not JSON: ${(error as Error).message}` });
  }
  const names = (value as { edge_names?: unknown } | null)?.edge_names;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && EDGE_ID_PATTERN.test(n))) {
    return err({
      code: 'invalid-var-file',
      message: `${file} must be {"edge_names": [...]} with names matching ${EDGE_ID_PATTERN.source}`,
    });
  }
  if (new Set(names).size !== names.length) return err({ code: 'invalid-var-file', message: `${file} lists an edge name twice` });
  return ok(names as string[]);
}

export function renderEdgeNamesFile(names: readonly string[]): string {
  return `${JSON.stringify({ edge_names: names }, null, 2)}\n`;
}
