/**
 * Byte ranges of GET requests (RFC 9110 14.1.2): checking what a caller asks
 * for, resolving it against an object's size, and the `Range` /
 * `Content-Range` forms the S3 driver speaks. Pure: no I/O.
 */
import { HlscdnError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { ByteRange } from './object-store.js';

/** First and last byte offsets, both inclusive, as in `Content-Range`. */
export interface ResolvedRange {
  start: number;
  end: number;
}

const isOffset = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function checkByteRange(range: ByteRange): Result<ByteRange, { message: string }> {
  if ('suffix' in range) {
    if (!isOffset(range.suffix)) return err({ message: `byte range suffix must be a non-negative integer, got ${String(range.suffix)}` });
    return ok(range);
  }
  if (!isOffset(range.start)) return err({ message: `byte range start must be a non-negative integer, got ${String(range.start)}` });
  if (range.end !== undefined) {
    if (!isOffset(range.end)) return err({ message: `byte range end must be a non-negative integer, got ${String(range.end)}` });
    // RFC 9110 14.1.1: a last-pos below first-pos makes the range invalid, not unsatisfiable.
    if (range.end < range.start) return err({ message: `byte range end ${range.end} is before its start ${range.start}` });
  }
  return ok(range);
}

/** The drivers' guard: a malformed range is the caller's bug (`invalid-input`). */
export function assertByteRange(range: ByteRange): ByteRange {
  const checked = checkByteRange(range);
  if (!checked.ok) throw new HlscdnError('invalid-input', checked.error.message);
  return checked.value;
}

/**
 * The bytes a valid range selects from an object of `size` bytes, or
 * `undefined` when none can be (RFC 9110 14.1.2: the first byte lies past the
 * end, a zero suffix, or an empty object). The end is clamped to the last byte.
 */
export function resolveByteRange(range: ByteRange, size: number): ResolvedRange | undefined {
  if (size <= 0) return undefined;
  if ('suffix' in range) {
    if (range.suffix === 0) return undefined;
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) return undefined;
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/**
 * The `Range` header for a range, or `undefined` for a zero suffix: RFC 9110
 * calls `bytes=-0` unsatisfiable but servers disagree on it, so the caller
 * fetches without a range and resolves locally.
 */
export function rangeHeaderFor(range: ByteRange): string | undefined {
  if ('suffix' in range) return range.suffix === 0 ? undefined : `bytes=-${range.suffix}`;
  return range.end === undefined ? `bytes=${range.start}-` : `bytes=${range.start}-${range.end}`;
}

/** `Content-Range: bytes 0-99/1234` (RFC 9110 14.4); `undefined` for an unsatisfied-range form or anything else. */
export function parseContentRange(value: string): (ResolvedRange & { size: number }) | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) return undefined;
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start) return undefined;
  return { start, end, size };
}

/** What to do with a response to a ranged request, given the range the server actually returned. */
export type RangedBodyPlan =
  { kind: 'serve'; range: ResolvedRange; skip: number } | { kind: 'unsatisfiable' } | { kind: 'refetch'; range: ResolvedRange };

/**
 * Decides how to serve `requested` from a response that carried `returned`
 * (`undefined`: the whole object, a 200). Real S3 returns exactly the range
 * asked for; some S3-compatible servers return more (s3rver 3.7 answers
 * `bytes=0-0` with the whole object) or other bytes (it reads `bytes=-5` as
 * `0-5`). More is trimmed (`skip` bytes, then the range's length); other bytes
 * mean asking again with explicit offsets.
 */
export function planRangedBody(requested: ByteRange, returned: ResolvedRange | undefined, size: number): RangedBodyPlan {
  const wanted = resolveByteRange(requested, size);
  if (wanted === undefined) return { kind: 'unsatisfiable' };
  const got = returned ?? { start: 0, end: size - 1 };
  if (got.start <= wanted.start && got.end >= wanted.end) return { kind: 'serve', range: wanted, skip: wanted.start - got.start };
  return { kind: 'refetch', range: wanted };
}
