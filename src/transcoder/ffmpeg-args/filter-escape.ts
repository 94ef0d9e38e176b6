/**
 * Escaping for values placed inside an ffmpeg filtergraph string. A value goes through
 * two parsers: the filter's option parser (":" separates options) and the graph parser
 * ("," ";" "[" "]" separate filters and pads). ffmpeg-filters(1) "Notes on filtergraph
 * escaping" describes the two levels; each escapes its specials and "\" "'" with "\".
 */

/** First level: a value of one filter option. */
export function escapeFilterOption(value: string): string {
  return value.replace(/[\\':]/g, (c) => `\\${c}`);
}

/** Second level: text placed in a filtergraph description. */
export function escapeFilterGraph(text: string): string {
  return text.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** An arbitrary string (a file path) as a filter option value inside a filtergraph. */
export function filterValue(value: string): string {
  return escapeFilterGraph(escapeFilterOption(value));
}
