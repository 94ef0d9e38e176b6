/**
 * URL arithmetic of the rewriter: which origin URLs belong to the origin, how a
 * rewriter path maps to an origin path, relative references between rewriter
 * paths, and joining bases with paths. WHATWG URL throughout; no dirname or
 * regex joining, which breaks on queries holding '/' (REFERENCE: HLS playlists).
 */

/** Origin base path without its trailing '/': '' for `http://o:8080/`, '/store' for `http://o/store/`. */
export function basePathPrefix(base: URL): string {
  return base.pathname.replace(/\/+$/, '');
}

/**
 * The rewriter path (always starting with '/') of an origin URL, or undefined when the URL
 * is not under the origin base (another host, another port, outside the base path):
 * such URIs are left absolute, never proxied.
 */
export function rewriterPathOf(resolved: URL, originBase: URL): string | undefined {
  if (resolved.origin !== originBase.origin) return undefined;
  const prefix = basePathPrefix(originBase);
  if (!resolved.pathname.startsWith(`${prefix}/`)) return undefined;
  return resolved.pathname.slice(prefix.length);
}

/** The origin path for a rewriter path: what edges request from the origin, and the key edges cache under. */
export function originPathOf(rewriterPath: string, originBase: URL): string {
  return basePathPrefix(originBase) + rewriterPath;
}

/** `base` (an absolute URL, with or without a trailing '/' or a path) followed by an absolute path and a query. */
export function joinBase(base: string, pathAndQuery: string): string {
  return base.replace(/\/+$/, '') + pathAndQuery;
}

/**
 * A relative reference that resolves, against `fromPath`, to `toPath` (both absolute,
 * encoded paths). Relative rather than root-relative, so the rewriter still works
 * behind a proxy that mounts it under a path prefix.
 */
export function relativeReference(fromPath: string, toPath: string): string {
  const fromDirectory = fromPath.split('/').slice(1, -1);
  const target = toPath.split('/').slice(1);
  let common = 0;
  while (common < fromDirectory.length && common < target.length - 1 && fromDirectory[common] === target[common]) common += 1;
  const reference = '../'.repeat(fromDirectory.length - common) + target.slice(common).join('/');
  if (reference === '') return './';
  // RFC 3986 4.2: a first segment with ':' would read as a scheme ("a:b.ts").
  const firstSegment = reference.split('/')[0] ?? '';
  return firstSegment.includes(':') ? `./${reference}` : reference;
}

/** Appends `extra` (`name=value&...`, no '?') to a search string (`''` or `'?...'`). */
export function appendQuery(search: string, extra: string): string {
  if (extra === '') return search;
  if (search === '' || search === '?') return `?${extra}`;
  return `${search}&${extra}`;
}
