/**
 * HLS Content Steering additions to a master playlist (Apple HLS Content Steering
 * Specification): the EXT-X-CONTENT-STEERING tag and a PATHWAY-ID on every variant.
 * Variants without PATHWAY-ID belong to pathway "." so they must be labelled
 * explicitly to join the rewriter's pathway.
 */

import { hasAttribute, type AttributeSpan } from './attributes.js';
import { playlistError, type PlaylistError } from './errors.js';
import type { SteeringOptions } from './rewrite-types.js';
import type { TextEdit } from './text-edits.js';

// Content Steering spec: PATHWAY-ID "MUST only contain characters from [a-z], [A-Z], [0-9], '.', '-', and '_'".
const PATHWAY_ID = /^[a-zA-Z0-9._-]+$/;
// A quoted-string may not hold '"', CR or LF (RFC 8216 4.2).
const QUOTED_STRING_SAFE = /^[^"\r\n]*$/;

/** Tags that receive a PATHWAY-ID when steering is on. */
export const PATHWAY_TAGS: ReadonlySet<string> = new Set(['EXT-X-STREAM-INF', 'EXT-X-I-FRAME-STREAM-INF']);

export const STEERING_TAG = 'EXT-X-CONTENT-STEERING';

export function validateSteering(steering: SteeringOptions): PlaylistError | undefined {
  if (!PATHWAY_ID.test(steering.pathwayId)) {
    return playlistError('malformed', `steering pathwayId "${steering.pathwayId}" is not [a-zA-Z0-9._-]+`);
  }
  if (!QUOTED_STRING_SAFE.test(steering.serverUri)) {
    return playlistError('malformed', 'steering serverUri may not contain a double quote or a line break');
  }
  return undefined;
}

export function steeringTagLine(steering: SteeringOptions): string {
  return `#${STEERING_TAG}:SERVER-URI="${steering.serverUri}",PATHWAY-ID="${steering.pathwayId}"`;
}

/**
 * The edit that appends `PATHWAY-ID="<id>"` to a variant tag, or undefined when the
 * tag already names a pathway. It goes after the last attribute, before any
 * trailing white space, and adds the `:` or `,` separator only when needed.
 */
export function pathwayIdEdit(
  body: string,
  valueStart: number | undefined,
  spans: readonly AttributeSpan[],
  pathwayId: string,
): TextEdit | undefined {
  if (hasAttribute(spans, 'PATHWAY-ID')) return undefined;
  let end = body.length;
  while (end > 0 && (body[end - 1] === ' ' || body[end - 1] === '\t')) end -= 1;
  const attribute = `PATHWAY-ID="${pathwayId}"`;
  let separator: string;
  if (valueStart === undefined) separator = ':';
  else if (end <= valueStart || body[end - 1] === ',') separator = '';
  else separator = ',';
  return { start: end, end, text: separator + attribute };
}
