/**
 * A rewritten playlist prepared once for many viewers whose answers differ
 * only by a query carried into every URI (a viewer's session): the text is cut
 * where each URI ends, so a viewer's playlist is the pieces joined with its
 * query, one concatenation instead of a rewrite. URIs are URI lines and the
 * URI attributes of uri-attributes.ts (the same set the rewrite maps);
 * EXT-X-RENDITION-REPORT is included here, since a player follows it to
 * another rendition with the same session. A URI's fragment stays last.
 */
import { scanAttributes } from './attributes.js';
import { classifyLine, splitLines } from './line-kinds.js';
import { uriAttributesOf } from './uri-attributes.js';

export interface UriTemplate {
  /** Text between insertion points; one more than `joiners`. */
  pieces: string[];
  /** What goes before the query at each insertion point: '?' or '&'. */
  joiners: string[];
}

/** The insertion point of one URI that spans [start, end) of `text`. */
function insertionOf(text: string, start: number, end: number): { at: number; joiner: string } {
  const hash = text.indexOf('#', start);
  const at = hash !== -1 && hash < end ? hash : end;
  const question = text.indexOf('?', start);
  return { at, joiner: question !== -1 && question < at ? '&' : '?' };
}

export function prepareUriTemplate(text: string): UriTemplate {
  const points: Array<{ at: number; joiner: string }> = [];
  let offset = 0;
  for (const line of splitLines(text)) {
    const kind = classifyLine(line.body);
    if (kind.kind === 'uri') points.push(insertionOf(text, offset + kind.start, offset + kind.end));
    else if (kind.kind === 'tag' && kind.valueStart !== undefined) {
      const names = kind.name === 'EXT-X-RENDITION-REPORT' ? ['URI'] : uriAttributesOf(kind.name).map((a) => a.attribute);
      if (names.length > 0) {
        const spans = scanAttributes(line.body, { from: kind.valueStart });
        // The text was written by the rewriter, so it scans; a span that does not is left without a query.
        if (spans.ok) {
          for (const span of spans.value) {
            if (span.quoted && names.includes(span.name)) points.push(insertionOf(text, offset + span.valueStart, offset + span.valueEnd));
          }
        }
      }
    }
    offset += line.body.length + line.eol.length;
  }
  points.sort((a, b) => a.at - b.at);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point.at));
    from = point.at;
  }
  pieces.push(text.slice(from));
  return { pieces, joiners: points.map((p) => p.joiner) };
}

/** The playlist with `query` (no leading '?') added to every URI. */
export function fillUriTemplate(template: UriTemplate, query: string): string {
  const { pieces, joiners } = template;
  let text = pieces[0]!;
  for (let i = 0; i < joiners.length; i++) text += joiners[i]! + query + pieces[i + 1]!;
  return text;
}
