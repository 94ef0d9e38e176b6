/**
 * Conditional GET evaluation shared by the drivers (RFC 9110 13.1.2-13.1.3,
 * 13.2.2 order): If-None-Match first, with weak comparison; If-Modified-Since
 * only without it, at the one-second resolution of HTTP dates. Pure.
 */
import type { GetOptions, ObjectMeta } from './object-store.js';

/** Weak comparison (RFC 9110 8.8.3.2): opaque tags equal, `W/` prefixes ignored. */
export function etagsMatchWeakly(a: string, b: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return opaque(a) === opaque(b);
}

export function isNotModified(
  meta: Pick<ObjectMeta, 'etag' | 'lastModified'>,
  options: Pick<GetOptions, 'ifNoneMatch' | 'ifModifiedSince'>,
): boolean {
  const tags = options.ifNoneMatch;
  if (tags !== undefined && tags.length > 0) return tags.some((tag) => tag.trim() === '*' || etagsMatchWeakly(tag, meta.etag));
  const since = options.ifModifiedSince;
  if (since === undefined || Number.isNaN(since.getTime())) return false;
  // HTTP-date has no sub-second part: compare whole seconds, or a copy
  // modified 300 ms after its Last-Modified second would look modified forever.
  return Math.floor(meta.lastModified.getTime() / 1000) <= Math.floor(since.getTime() / 1000);
}
