/**
 * The playlist rewriting engine: (text, context) -> text, one line at a time.
 * Only URIs change; every other byte (unknown tags, comments, blank lines,
 * attribute order, number formatting, per-line CRLF/LF, BOM, final newline) is
 * copied through. Rebuilding from a parse tree would lose those, which is why the
 * best rewriter in the field (kaltura nginx-secure-token-module) is a line machine too.
 */

import { scanAttributes } from './attributes.js';
import { playlistError, type PlaylistError, type Result } from './errors.js';
import { classifyLine, type LineKind, type PlaylistLine } from './line-kinds.js';
import { readPlaylist } from './read-playlist.js';
import { resolveUri } from './resolve-uri.js';
import type { PlaylistKind, RewriteContext, RewriteResult, SteeringOptions, UriRole } from './rewrite-types.js';
import { PATHWAY_TAGS, STEERING_TAG, pathwayIdEdit, steeringTagLine, validateSteering } from './steering.js';
import { applyEdits, type TextEdit } from './text-edits.js';
import { uriAttributesOf } from './uri-attributes.js';

type LineResult = Result<string, PlaylistError>;

/** What every line of one rewrite shares. */
interface LineRewriter {
  base: URL;
  kind: PlaylistKind;
  mapUri: RewriteContext['mapUri'];
  /** Set only for master playlists. */
  steering: SteeringOptions | undefined;
  /** Incremented for each URI handed to mapUri. */
  uriCount: number;
}

interface MapOneOptions {
  original: string;
  role: UriRole;
  line: number;
}

/** The replacement text for one URI, or undefined when it stays as written. */
function mapOne(rw: LineRewriter, options: MapOneOptions): Result<string | undefined, PlaylistError> {
  const resolved = resolveUri(options.original, rw.base);
  if (resolved.kind === 'opaque') return { ok: true, value: undefined };
  if (resolved.kind === 'invalid') {
    return {
      ok: false,
      error: playlistError('malformed', `unparseable URI "${options.original}"`, options.line),
    };
  }
  rw.uriCount += 1;
  const value = rw.mapUri({ role: options.role, resolved: resolved.url, original: options.original, line: options.line });
  return { ok: true, value };
}

function rewriteUriLine(rw: LineRewriter, line: PlaylistLine, kind: Extract<LineKind, { kind: 'uri' }>): LineResult {
  // In a master every URI line is a variant playlist (RFC 8216 4.3.4.2); in a media playlist, a segment.
  const role: UriRole = rw.kind === 'master' ? 'variant' : 'segment';
  const mapped = mapOne(rw, { original: line.body.slice(kind.start, kind.end), role, line: line.number });
  if (!mapped.ok) return mapped;
  if (mapped.value === undefined) return { ok: true, value: line.body };
  return { ok: true, value: applyEdits(line.body, [{ start: kind.start, end: kind.end, text: mapped.value }]) };
}

function rewriteTagLine(rw: LineRewriter, line: PlaylistLine, kind: Extract<LineKind, { kind: 'tag' }>): LineResult {
  if (rw.steering !== undefined && kind.name === STEERING_TAG) {
    return { ok: true, value: steeringTagLine(rw.steering) };
  }
  const uriAttributes = uriAttributesOf(kind.name);
  const addsPathway = rw.steering !== undefined && PATHWAY_TAGS.has(kind.name);
  if (uriAttributes.length === 0 && !addsPathway) return { ok: true, value: line.body };

  const scanned =
    kind.valueStart === undefined
      ? { ok: true as const, value: [] }
      : scanAttributes(line.body, { from: kind.valueStart, line: line.number });
  if (!scanned.ok) return scanned;

  const edits: TextEdit[] = [];
  for (const span of scanned.value) {
    const uriAttribute = uriAttributes.find((candidate) => candidate.attribute === span.name);
    if (uriAttribute === undefined) continue;
    if (!span.quoted) {
      // RFC 8216 4.3: URI attributes are quoted-strings. An unquoted one cannot be
      // replaced safely, and leaving it would send viewers to the origin.
      return {
        ok: false,
        error: playlistError('malformed', `${kind.name} ${span.name} is not a quoted string`, line.number),
      };
    }
    const original = line.body.slice(span.valueStart, span.valueEnd);
    const mapped = mapOne(rw, { original, role: uriAttribute.role, line: line.number });
    if (!mapped.ok) return mapped;
    if (mapped.value !== undefined) edits.push({ start: span.valueStart, end: span.valueEnd, text: mapped.value });
  }
  if (addsPathway && rw.steering !== undefined) {
    const edit = pathwayIdEdit(line.body, kind.valueStart, scanned.value, rw.steering.pathwayId);
    if (edit !== undefined) edits.push(edit);
  }
  return { ok: true, value: applyEdits(line.body, edits) };
}

function rewriteLine(rw: LineRewriter, line: PlaylistLine): LineResult {
  const kind = classifyLine(line.body);
  if (kind.kind === 'uri') return rewriteUriLine(rw, line, kind);
  if (kind.kind === 'tag') return rewriteTagLine(rw, line, kind);
  return { ok: true, value: line.body };
}

function hasSteeringTag(lines: readonly PlaylistLine[]): boolean {
  return lines.some((line) => {
    const kind = classifyLine(line.body);
    return kind.kind === 'tag' && kind.name === STEERING_TAG;
  });
}

/**
 * Rewrites a playlist fetched from `ctx.playlistUrl`. Never throws for bad input:
 * oversized or malformed playlists come back as `{ ok: false, error }`.
 * `UriContext.line` numbers refer to the input, before any inserted steering tag.
 */
export function rewritePlaylist(text: string, ctx: RewriteContext): RewriteResult {
  const read = readPlaylist(text, ctx.limits);
  if (!read.ok) return read;
  let base: URL;
  try {
    base = new URL(ctx.playlistUrl);
  } catch {
    return { ok: false, error: playlistError('malformed', `playlistUrl "${ctx.playlistUrl}" is not an absolute URL`) };
  }
  const { bom, lines, kind } = read.value;
  const steering = kind === 'master' ? ctx.steering : undefined;
  if (steering !== undefined) {
    const invalid = validateSteering(steering);
    if (invalid !== undefined) return { ok: false, error: invalid };
  }
  const insertSteeringTag = steering !== undefined && !hasSteeringTag(lines);
  const rw: LineRewriter = { base, kind, mapUri: ctx.mapUri, steering, uriCount: 0 };

  const out: string[] = [bom];
  for (const line of lines) {
    const body = rewriteLine(rw, line);
    if (!body.ok) return body;
    out.push(body.value, line.eol);
    if (line.number === 1 && insertSteeringTag && steering !== undefined) {
      // A master has variants after #EXTM3U, so the first line always has a terminator to reuse.
      out.push(steeringTagLine(steering), line.eol);
    }
  }
  return { ok: true, text: out.join(''), kind, uriCount: rw.uriCount };
}
