/**
 * A real store that checks the uploader's ordering promise on every playlist put: each
 * URI the playlist lists (segments, EXT-X-MAP init segments, variant playlists of a
 * master) must already be in the store. Violations are recorded, not thrown, so a
 * test can assert on all of them at the end.
 */
import { posix } from 'node:path';
import type { ObjectStore, PutBody } from '../../origin-store/index.js';

export interface VerifyingStore extends ObjectStore {
  /** One message per listed object that was missing when its playlist was put. */
  readonly violations: string[];
  /** Keys in the order they were put. */
  readonly puts: string[];
  /** Playlist puts checked so far. */
  checkedPlaylists(): number;
}

export function verifyingStore(inner: ObjectStore): VerifyingStore {
  const violations: string[] = [];
  const puts: string[] = [];
  let checked = 0;
  const put = async (key: string, body: PutBody, options?: Parameters<ObjectStore['put']>[2]) => {
    if (key.endsWith('.m3u8') && typeof body === 'string') {
      checked += 1;
      const dir = key.slice(0, key.lastIndexOf('/') + 1);
      for (const uri of listedUris(body)) {
        // Rendition reports name sibling playlists as ../<rung>/index.m3u8.
        const target = posix.normalize(`${dir}${uri}`);
        if ((await inner.head(target)) === undefined) violations.push(`${key} listed ${uri} before it was in the store`);
      }
    }
    puts.push(key);
    return inner.put(key, body, options);
  };
  return {
    description: inner.description,
    put,
    get: (key, options) => inner.get(key, options),
    head: (key) => inner.head(key),
    list: (prefix, options) => inner.list(prefix, options),
    delete: (key) => inner.delete(key),
    check: () => inner.check(),
    close: () => inner.close(),
    violations,
    puts,
    checkedPlaylists: () => checked,
  };
}

/**
 * Relative URIs a playlist references: URI lines and URI="..." attributes, except a
 * preload hint's, which names a part that need not exist yet (RFC 8216bis 4.4.5.3).
 */
export function listedUris(text: string): string[] {
  const uris: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#EXT-X-PRELOAD-HINT:')) continue;
    if (!line.startsWith('#')) uris.push(line);
    const attribute = /URI="([^"]+)"/.exec(line);
    if (line.startsWith('#') && attribute?.[1]) uris.push(attribute[1]);
  }
  return uris;
}
