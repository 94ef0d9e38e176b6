/**
 * Redundant variant streams for players that fail over by themselves (RFC 8216
 * 6.3.6, Apple's HLS authoring spec "Failover protection"): every variant of a
 * rewritten master is listed twice, once per pathway, with the same BANDWIDTH,
 * RESOLUTION and CODECS. The PRIMARY pathway's media playlists send each object
 * to its first-choice edge; the BACKUP pathway's (URIs marked with the backup
 * parameter) send it to the next edge of the same rendezvous ranking, so a
 * player that fails a segment on one edge fetches it from another, and caches
 * stay affine: a key only ever lives on its first two edges.
 *
 * hls.js (>= 1.5) groups variants by PATHWAY-ID and moves to another pathway when
 * every variant of the current one fails on a host; it starts on the first
 * variant's pathway, so the primary copy of each variant comes first (which
 * also suits AVPlayer, which tries redundant streams in playlist order).
 * Renditions (EXT-X-MEDIA) get a group of their own per pathway, or a player on
 * the backup pathway would still fetch audio from the primary edges.
 *
 * A master that already names pathways (the origin steers its own content) is
 * left as it is. Pure: text in, text out.
 */
import { scanAttributes, type AttributeSpan } from './attributes.js';
import { applyEdits, type TextEdit } from './text-edits.js';

export const PRIMARY_PATHWAY_ID = 'PRIMARY';
export const BACKUP_PATHWAY_ID = 'BACKUP';

/** Attributes of EXT-X-STREAM-INF / EXT-X-I-FRAME-STREAM-INF that name a rendition group. */
const GROUP_REFERENCES = new Set(['AUDIO', 'VIDEO', 'SUBTITLES', 'CLOSED-CAPTIONS']);

export interface BackupPathwayOptions {
  /** Turns a variant or rendition URI into its backup-pathway form (e.g. adds `hlscdn_backup=1`). */
  backupUri: (uri: string) => string;
}

interface Line {
  body: string;
  eol: string;
}

/** The master with a BACKUP copy of every variant, rendition and I-frame stream; unchanged if it names pathways already. */
export function addBackupPathways(text: string, options: BackupPathwayOptions): string {
  const lines = splitLines(text);
  if (lines.some((l) => l.body.startsWith('#EXT-X-CONTENT-STEERING') || (isVariantTag(l.body) && /(^|[:,])\s*PATHWAY-ID=/.test(l.body)))) {
    return text;
  }
  const out: Line[] = [];
  const eol = lines[0]?.eol || '\n';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.body.startsWith('#EXT-X-MEDIA:')) {
      out.push(line, { body: copyTag(line.body, 'media', options), eol: line.eol || eol });
    } else if (line.body.startsWith('#EXT-X-I-FRAME-STREAM-INF:')) {
      out.push({ body: copyTag(line.body, 'primary', options), eol: line.eol || eol });
      out.push({ body: copyTag(line.body, 'iframe', options), eol: line.eol || eol });
    } else if (line.body.startsWith('#EXT-X-STREAM-INF:')) {
      // The tag, whatever comments or unknown tags sit between, and its URI line.
      let end = i + 1;
      while (end < lines.length && (lines[end] as Line).body.startsWith('#')) end++;
      const block = lines.slice(i, end + 1);
      const uriLine = lines[end];
      out.push({ body: copyTag(line.body, 'primary', options), eol: line.eol || eol }, ...block.slice(1));
      if (uriLine !== undefined && uriLine.body.trim() !== '') {
        out.push({ body: copyTag(line.body, 'variant', options), eol: line.eol || eol }, ...block.slice(1, -1));
        out.push({ body: options.backupUri(uriLine.body.trim()), eol: uriLine.eol || eol });
      }
      i = end;
    } else {
      out.push(line);
    }
  }
  return out.map((l) => l.body + l.eol).join('');
}

function isVariantTag(body: string): boolean {
  return body.startsWith('#EXT-X-STREAM-INF:') || body.startsWith('#EXT-X-I-FRAME-STREAM-INF:');
}

/**
 * One tag, edited for a pathway: 'primary' only labels it PRIMARY; 'variant' and
 * 'iframe' label it BACKUP, point its groups at the backup renditions and (for
 * I-frame streams) its URI at the backup pathway; 'media' renames the rendition's
 * group and points its URI at the backup pathway.
 */
function copyTag(body: string, as: 'primary' | 'variant' | 'iframe' | 'media', options: BackupPathwayOptions): string {
  const from = body.indexOf(':') + 1;
  const scanned = scanAttributes(body, { from });
  // Unscannable attributes are left alone: the rewrite before this already accepted the line.
  if (!scanned.ok) return body;
  const spans = scanned.value;
  const edits: TextEdit[] = [];
  const quoted = (span: AttributeSpan) => body.slice(span.valueStart, span.valueEnd);
  for (const span of spans) {
    if (!span.quoted) continue;
    if (as !== 'primary' && span.name === 'URI') {
      edits.push({ start: span.valueStart, end: span.valueEnd, text: options.backupUri(quoted(span)) });
    } else if (as === 'media' && span.name === 'GROUP-ID') {
      edits.push({ start: span.valueEnd, end: span.valueEnd, text: `-${BACKUP_PATHWAY_ID}` });
    } else if ((as === 'variant' || as === 'iframe') && GROUP_REFERENCES.has(span.name)) {
      edits.push({ start: span.valueEnd, end: span.valueEnd, text: `-${BACKUP_PATHWAY_ID}` });
    }
  }
  const edited = applyEdits(body, edits);
  if (as === 'media') return edited;
  const pathway = as === 'primary' ? PRIMARY_PATHWAY_ID : BACKUP_PATHWAY_ID;
  let end = edited.length;
  while (end > 0 && (edited[end - 1] === ' ' || edited[end - 1] === '\t')) end--;
  const separator = end <= from || edited[end - 1] === ',' ? '' : ',';
  return `${edited.slice(0, end)}${separator}PATHWAY-ID="${pathway}"${edited.slice(end)}`;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0] === '') break;
    lines.push({ body: match[1] ?? '', eol: match[2] ?? '' });
  }
  return lines;
}
