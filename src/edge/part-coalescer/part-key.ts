/**
 * Which requests share one origin fetch. nginx caches parts under `$uri` (the path
 * without the query), so the coalescer keys them the same way: viewers' tokens in the
 * query must not split a part into one origin fetch per viewer.
 */

/**
 * The coalescing key of an origin-form request target (`/live/360p/part7.m4s?tok=1`):
 * its path, or undefined when the target is not origin-form.
 */
export function partRequestKey(target: string): string | undefined {
  // The target goes to the origin as a request path (never resolved as a URL), so a
  // leading "//" is just a path, as nginx passed it.
  if (!target.startsWith('/')) return undefined;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}
