/** Reads If-None-Match / If-Modified-Since / If-Range into the store's GetOptions (RFC 9110 13.1). */
import type { GetOptions } from '../object-store.js';

export function parseIfNoneMatch(header: string | undefined): string[] | undefined {
  if (!header) return undefined;
  const tags = header
    .split(',')
    .map((t) => t.trim())
    // If-None-Match uses weak comparison: W/"x" matches "x".
    .map((t) => (t.startsWith('W/') ? t.slice(2) : t))
    .filter(Boolean);
  return tags.length > 0 ? tags : undefined;
}

export function parseHttpDate(header: string | undefined): Date | undefined {
  if (!header) return undefined;
  const time = Date.parse(header);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function conditionalGetOptions(headers: {
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}): Pick<GetOptions, 'ifNoneMatch' | 'ifModifiedSince'> {
  const ifNoneMatch = parseIfNoneMatch(headers.ifNoneMatch);
  // RFC 9110 13.1.3: If-Modified-Since is ignored when If-None-Match is present.
  const ifModifiedSince = ifNoneMatch ? undefined : parseHttpDate(headers.ifModifiedSince);
  return { ...(ifNoneMatch && { ifNoneMatch }), ...(ifModifiedSince && { ifModifiedSince }) };
}

/** If-Range: the range applies only while the client's validator still names this version. */
export function ifRangeAllows(header: string | undefined, current: { etag: string; lastModified: Date }): boolean {
  if (!header) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === current.etag;
  const date = parseHttpDate(value);
  return date !== undefined && Math.floor(current.lastModified.getTime() / 1000) <= Math.floor(date.getTime() / 1000);
}
