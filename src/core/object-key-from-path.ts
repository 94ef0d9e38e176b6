/**
 * Turns a raw request path into an object key. It reads the path as it came on
 * the wire, before URL normalization removes "..", so a traversal attempt is
 * answered 400 instead of silently becoming another key.
 */
import { checkObjectKey } from './object-key.js';
import { err, ok, type Result } from './result.js';

export function objectKeyFromRawPath(rawPath: string): Result<string, string> {
  const path = rawPath.split('?')[0] ?? '';
  if (!path.startsWith('/')) return err('the request path must start with "/"');
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return err(`the path segment ${JSON.stringify(raw)} is not valid percent-encoding`);
    }
    // An encoded "/" or "\" would let one segment smuggle a path.
    if (segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\')) {
      return err('path traversal is not allowed (".", ".." or an encoded separator in the path)');
    }
    segments.push(segment);
  }
  const checked = checkObjectKey(segments.join('/'));
  return checked.ok ? ok(checked.value) : err(checked.error.message);
}
