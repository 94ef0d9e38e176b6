/**
 * Applies replacements at known offsets of one line, so everything between them
 * is copied through byte for byte.
 */

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Edits must not overlap; they are applied in offset order whatever order they come in. */
export function applyEdits(body: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return body;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    out += body.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + body.slice(at);
}
