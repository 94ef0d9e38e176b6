/**
 * Reads an attribute list (RFC 8216bis 4.2): `NAME=value,NAME="quoted, with commas"`.
 * The rewriter has a span-keeping scanner of its own; the origin only needs the
 * values, and a component may not import one above it (STYLE.md, floors).
 */

/** The attributes by name, quoted values without their quotes; undefined when the list is malformed. */
export function readAttributeList(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq === -1) return undefined;
    const name = text.slice(i, eq).trim();
    if (name === '' || name.includes(',')) return undefined;
    let value: string;
    let next: number;
    if (text[eq + 1] === '"') {
      const close = text.indexOf('"', eq + 2);
      if (close === -1) return undefined;
      value = text.slice(eq + 2, close);
      next = close + 1;
      while (text[next] === ' ' || text[next] === '\t') next += 1;
      if (next < text.length && text[next] !== ',') return undefined;
    } else {
      const comma = text.indexOf(',', eq + 1);
      next = comma === -1 ? text.length : comma;
      value = text.slice(eq + 1, next).trim();
    }
    attributes.set(name, value);
    i = next + 1;
  }
  return attributes;
}
