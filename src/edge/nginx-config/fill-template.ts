/**
 * A deliberately tiny, line-based template filler for nginx config text.
 *
 * Syntax:
 * - `{{name}}` inside a line is replaced by a single-line value;
 * - a line holding only `{{name}}` is a block: each line of the value is written with
 *   that line's indentation, and an empty value writes nothing;
 * - `{{#if flag}}` and `{{/if}}`, each alone on a line, keep or drop the lines between
 *   them (blocks may nest).
 * It does no escaping: values must be validated before they get here
 * (edge-config-schema.ts does that for the edge config).
 */

/** Values and flags a template is filled with. */
export interface TemplateInput {
  readonly values: Readonly<Record<string, string>>;
  readonly flags: Readonly<Record<string, boolean>>;
}

export type FillTemplateErrorCode =
  'unknown_placeholder' | 'unknown_flag' | 'unbalanced_block' | 'malformed_tag' | 'multiline_inline_value';

export interface FillTemplateError {
  readonly code: FillTemplateErrorCode;
  readonly message: string;
}

export type FillTemplateResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: FillTemplateError };

const IF_OPEN = /^\s*\{\{#if (\w+)\}\}\s*$/;
const IF_CLOSE = /^\s*\{\{\/if\}\}\s*$/;
const BLOCK_PLACEHOLDER = /^(\s*)\{\{(\w+)\}\}\s*$/;
const ANY_TAG = /\{\{([^}]*)\}\}/g;
const INLINE_PLACEHOLDER = /^\w+$/;

/** Fills `template` with `input`; every mistake is reported with the 1-based line number. */
export function fillTemplate(template: string, input: TemplateInput): FillTemplateResult {
  const output: string[] = [];
  // One entry per open {{#if}}: whether its lines are kept.
  const open: boolean[] = [];
  const lines = template.split('\n');

  for (const [index, line] of lines.entries()) {
    const at = `line ${index + 1}`;
    const active = open.every(Boolean);

    const opening = IF_OPEN.exec(line);
    if (opening) {
      const flag = opening[1] ?? '';
      if (!Object.hasOwn(input.flags, flag)) {
        return failure('unknown_flag', `${at}: no flag named "${flag}"`);
      }
      open.push(input.flags[flag] === true);
      continue;
    }
    if (IF_CLOSE.test(line)) {
      if (open.pop() === undefined) {
        return failure('unbalanced_block', `${at}: {{/if}} without a matching {{#if}}`);
      }
      continue;
    }
    if (!active) continue;

    const block = BLOCK_PLACEHOLDER.exec(line);
    if (block) {
      const indent = block[1] ?? '';
      const name = block[2] ?? '';
      if (!Object.hasOwn(input.values, name)) {
        return failure('unknown_placeholder', `${at}: no value named "${name}"`);
      }
      const value = input.values[name] ?? '';
      if (value !== '') output.push(...value.split('\n').map((part) => indent + part));
      continue;
    }

    const filled = fillLine(line, input.values, at);
    if (!filled.ok) return filled;
    output.push(filled.value);
  }

  if (open.length > 0) {
    return failure('unbalanced_block', `${open.length} {{#if}} block(s) never closed`);
  }
  return { ok: true, value: output.join('\n') };
}

function fillLine(line: string, values: Readonly<Record<string, string>>, at: string): FillTemplateResult {
  let error: FillTemplateError | undefined;
  const value = line.replace(ANY_TAG, (tag, inner: string) => {
    if (error) return tag;
    if (!INLINE_PLACEHOLDER.test(inner)) {
      error = { code: 'malformed_tag', message: `${at}: "${tag}" is not a placeholder here` };
      return tag;
    }
    if (!Object.hasOwn(values, inner)) {
      error = { code: 'unknown_placeholder', message: `${at}: no value named "${inner}"` };
      return tag;
    }
    const replacement = values[inner] ?? '';
    if (replacement.includes('\n')) {
      error = {
        code: 'multiline_inline_value',
        message: `${at}: value "${inner}" spans lines; put it alone on its line`,
      };
      return tag;
    }
    return replacement;
  });
  return error ? { ok: false, error } : { ok: true, value };
}

function failure(code: FillTemplateErrorCode, message: string): FillTemplateResult {
  return { ok: false, error: { code, message } };
}
