/**
 * The Delivery Directives of a playlist request (RFC 8216bis 6.2.5) and the
 * Blocking Playlist Reload rules (6.2.5.2): reading `_HLS_msn`, `_HLS_part`
 * and `_HLS_skip`, deciding whether a request is refused, ignored or held, and
 * whether a given version of the playlist satisfies it. Pure.
 */
import { fail, ok, type CodedProblem, type Result } from '../../core/result.js';
import { decimalInteger, lastListedPart, type PlaylistProgress } from './playlist-progress.js';

/** A blocking reload: hold until the playlist has segment `msn` (and Part Index `part` of it) or later. */
export interface BlockingRequest {
  msn: number;
  part?: number;
}

export type SkipDirective = 'YES' | 'v2';

export type DirectiveProblem = CodedProblem<'invalid-directive' | 'part-without-msn'>;

export interface DeliveryDirectives {
  /** The blocking reload asked for (undefined: none), or why the request is malformed. */
  blocking: Result<BlockingRequest | undefined, DirectiveProblem>;
  /** `_HLS_skip`; an unknown value is no directive (clients MUST ignore what they do not know, the server does too). */
  skip: SkipDirective | undefined;
}

export const directiveParams = ['_HLS_msn', '_HLS_part', '_HLS_skip'] as const;

/** True when the query has any `_HLS_*` directive the origin acts on. */
export function hasDeliveryDirectives(query: URLSearchParams): boolean {
  return directiveParams.some((name) => query.has(name));
}

export function readDeliveryDirectives(query: URLSearchParams): DeliveryDirectives {
  const skipValue = query.get('_HLS_skip');
  const skip = skipValue === 'YES' || skipValue === 'v2' ? skipValue : undefined;
  return { blocking: readBlocking(query), skip };
}

function readBlocking(query: URLSearchParams): Result<BlockingRequest | undefined, DirectiveProblem> {
  const msns = query.getAll('_HLS_msn');
  const parts = query.getAll('_HLS_part');
  if (msns.length > 1 || parts.length > 1) return fail('invalid-directive', '_HLS_msn and _HLS_part may each appear once');
  const [msnText] = msns;
  const [partText] = parts;
  // 6.2.5.2: "If the Playlist URI contains an _HLS_part directive but no _HLS_msn directive, the Server MUST return Bad Request".
  if (msnText === undefined)
    return partText === undefined ? ok(undefined) : fail('part-without-msn', '_HLS_part needs an _HLS_msn (RFC 8216bis 6.2.5.2)');
  const msn = decimalInteger(msnText);
  if (msn === undefined) return fail('invalid-directive', `_HLS_msn must be a decimal integer, got ${JSON.stringify(msnText)}`);
  if (partText === undefined) return ok({ msn });
  const part = decimalInteger(partText);
  if (part === undefined) return fail('invalid-directive', `_HLS_part must be a decimal integer, got ${JSON.stringify(partText)}`);
  return ok({ msn, part });
}

export type BlockingProblem = DirectiveProblem | CodedProblem<'too-far-ahead'>;

export type BlockingDecision =
  /** Answer the playlist as it is: no `_HLS_msn`, or a playlist that does not offer blocking reload or has ended. */
  | { kind: 'ignore' }
  /** Answer 400 at once. */
  | { kind: 'reject'; problem: BlockingProblem }
  /** Answer once `isSatisfied` holds (which it may already). */
  | { kind: 'block'; request: BlockingRequest };

/**
 * 6.2.5.2 against the playlist as it is now. The directives are only read
 * when the playlist advertises CAN-BLOCK-RELOAD=YES (a server that does not
 * offer the service has no directives to enforce) and has no EXT-X-ENDLIST
 * ("A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an
 * EXT-X-ENDLIST tag").
 */
export function decideBlocking(progress: PlaylistProgress, blocking: DeliveryDirectives['blocking']): BlockingDecision {
  if (!progress.canBlockReload || progress.endList) return { kind: 'ignore' };
  if (!blocking.ok) return { kind: 'reject', problem: blocking.error };
  const request = blocking.value;
  if (request === undefined) return { kind: 'ignore' };
  // "If the _HLS_msn is greater than the Media Sequence Number of the last Media Segment in the current
  // Playlist plus two ... the server SHOULD immediately return Bad Request". A Media Segment is one with
  // a URI line: the segment in progress (parts only) does not count.
  if (request.msn > progress.lastCompleteMsn + 2) {
    return reject(
      `_HLS_msn=${request.msn} is more than two segments past the last one (${progress.lastCompleteMsn}) (RFC 8216bis 6.2.5.2)`,
    );
  }
  const partsAhead = partsBeyondLastListed(progress, request);
  const limit = progress.partTargetSec === undefined ? undefined : advancePartLimit(progress.partTargetSec);
  if (partsAhead !== undefined && limit !== undefined && partsAhead > limit) {
    return reject(
      `_HLS_part=${request.part} is ${partsAhead} parts past the last listed part, beyond the Advance Part Limit of ${limit} (RFC 8216bis 6.2.5.2)`,
    );
  }
  return { kind: 'block', request };
}

function reject(message: string): BlockingDecision {
  return { kind: 'reject', problem: { code: 'too-far-ahead', message } };
}

/**
 * 6.2.5.2: "The Advance Part Limit is three divided by the Part Target Duration if
 * the Part Target Duration is less than one second, or three otherwise."
 */
export function advancePartLimit(partTargetSec: number): number {
  return partTargetSec < 1 ? 3 / partTargetSec : 3;
}

/**
 * How many parts the request is past the last listed one, counted only where it
 * is certain: in the same segment exactly, in a later segment at least
 * `part + 1` (its parts plus whatever the current segment still adds). A wrong
 * 400 breaks a player while a wrong hold only costs a timeout, so this errs low.
 */
function partsBeyondLastListed(progress: PlaylistProgress, request: BlockingRequest): number | undefined {
  if (request.part === undefined) return undefined;
  const last = lastListedPart(progress);
  if (last === undefined) return undefined;
  const { msn, part } = rollPastFinalPart(progress, request.msn, request.part);
  if (msn < last.msn) return undefined;
  return msn === last.msn ? part - last.part : part + 1;
}

/**
 * 6.2.5.2: "If the Client requests a Part Index greater than that of the final
 * Partial Segment of the Parent Segment, the Server MUST treat the request as
 * one for Part Index 0 of the following Parent Segment." Only a complete
 * segment has a known final part, and only while its parts are still listed.
 */
function rollPastFinalPart(progress: PlaylistProgress, msn: number, part: number): { msn: number; part: number } {
  const segment = segmentAt(progress, msn);
  if (segment?.complete && segment.parts > 0 && part >= segment.parts) return { msn: msn + 1, part: 0 };
  return { msn, part };
}

/** Does this version of the playlist satisfy the blocking request (6.2.5.2)? */
export function isSatisfied(progress: PlaylistProgress, request: BlockingRequest): boolean {
  // _HLS_msn alone: "until the Playlist contains a Media Segment with a Media Sequence Number of M or later".
  if (request.part === undefined) return progress.lastCompleteMsn >= request.msn;
  const { msn, part } = rollPastFinalPart(progress, request.msn, request.part);
  // A complete segment M: every part of it exists (its parts may no longer be listed, 6.2.2, or it had none).
  // A part index past its last listed part was rolled to the next segment above.
  if (msn <= progress.lastCompleteMsn) return true;
  const segment = segmentAt(progress, msn);
  return segment !== undefined && part < segment.parts;
}

/** 6.2.5.2: "A Server that cannot provide the requested Playlist after blocking for more than three Target Durations SHOULD return Service Unavailable". */
export function blockingTimeoutMs(progress: PlaylistProgress): number {
  return 3 * progress.targetDurationSec * 1000;
}

function segmentAt(progress: PlaylistProgress, msn: number) {
  return progress.segments[msn - progress.mediaSequence];
}
