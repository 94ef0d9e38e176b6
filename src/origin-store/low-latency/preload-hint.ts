/**
 * Which not-yet-stored objects a request may wait for (RFC 8216bis 6.2.6): the
 * resources named by the EXT-X-PRELOAD-HINT tags of the media playlist beside
 * them, resolved against the playlist's own location (WHATWG URL rules, as
 * players resolve them), plus the next two parts after a hinted part. A client
 * that holds its hint request while the playlist moves on may ask for the part
 * after the hinted one before its own playlist shows it; two is the same
 * look-ahead 6.2.5.2 grants `_HLS_msn`. Everything else missing is a 404 at once
 * ("The server SHOULD respond with Not Found ... to a request for a resource that
 * it cannot find and that is not specified by an EXT-X-PRELOAD-HINT tag").
 * Pure.
 */
import type { PreloadHint } from './playlist-progress.js';

/** How many part numbers past a hinted part are also waited for. */
export const partsAheadOfHint = 2;

/** An origin that cannot be the playlist's: hints on another host are not objects of this store. */
const base = 'http://origin.invalid/';

/** Store keys the hints of the playlist at `playlistKey` allow a request to wait for. */
export function hintedKeys(playlistKey: string, hints: readonly PreloadHint[]): Set<string> {
  const keys = new Set<string>();
  const playlistUrl = new URL(encodeKeyPath(playlistKey), base);
  for (const hint of hints) {
    let url: URL;
    try {
      url = new URL(hint.uri, playlistUrl);
    } catch {
      continue;
    }
    if (url.origin !== playlistUrl.origin) continue;
    const key = decodeKey(url.pathname);
    if (key === undefined) continue;
    keys.add(key);
    if (hint.type === 'PART') for (const next of followingNumbers(key, partsAheadOfHint)) keys.add(next);
  }
  return keys;
}

/** `dir/part512.m4s` -> `dir/part513.m4s`, `dir/part514.m4s`; the digits' width is kept (`p0099` -> `p0100`). */
export function followingNumbers(key: string, count: number): string[] {
  const directory = key.slice(0, key.lastIndexOf('/') + 1);
  const name = key.slice(directory.length);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  const match = /^(.*?)(\d+)$/.exec(name.slice(0, name.length - extension.length));
  if (!match) return [];
  const prefix = directory + match[1]!;
  const digits = match[2]!;
  const start = Number(digits);
  if (!Number.isSafeInteger(start + count)) return [];
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i + 1).padStart(digits.length, '0')}${extension}`);
}

/** The key of the media playlist in the same directory as `key` (`live/720p/part9.m4s` -> `live/720p/index.m3u8`). */
export function playlistKeyBeside(key: string, playlistName = 'index.m3u8'): string {
  return `${key.slice(0, key.lastIndexOf('/') + 1)}${playlistName}`;
}

function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function decodeKey(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    return undefined;
  }
}
