/**
 * An independent reader of playlists for tests: m3u8-parser (video.js's parser,
 * not ours) turns a playlist into the facts a player acts on, so a test can
 * check that a rewrite or an upload kept them: the same segments with the same
 * durations, sequence numbers, discontinuities, parts and variants. URIs are
 * resolved against the playlist's URL (WHATWG rules, as players do) and compared
 * by their decoded file name, since rewriting moves them to other hosts and
 * query strings.
 */
import { Parser } from 'm3u8-parser';

export interface PlaylistFacts {
  targetDuration: number | undefined;
  mediaSequence: number | undefined;
  discontinuitySequence: number | undefined;
  endList: boolean;
  segments: { duration: number | undefined; name: string | undefined; discontinuity: boolean; parts: number }[];
  variants: { bandwidth: unknown; resolution: unknown; name: string | undefined }[];
}

export function playlistFacts(text: string, playlistUrl = 'https://origin.test/index.m3u8'): PlaylistFacts {
  const name = (uri: string | undefined) => fileNameOf(uri, playlistUrl);
  const parser = new Parser();
  parser.push(text);
  parser.end();
  const m = parser.manifest;
  return {
    targetDuration: m.targetDuration,
    mediaSequence: m.mediaSequence,
    discontinuitySequence: m.discontinuitySequence,
    endList: m.endList === true,
    segments: m.segments.map((s) => ({
      duration: s.duration,
      name: name(s.uri),
      discontinuity: s.discontinuity === true,
      parts: s.parts?.length ?? 0,
    })),
    variants: (m.playlists ?? []).map((p) => ({
      bandwidth: p.attributes?.BANDWIDTH,
      resolution: p.attributes?.RESOLUTION,
      name: name(p.uri),
    })),
  };
}

/** The decoded file name a URI resolves to: what stays the same when a URI is moved to an edge or signed. */
export function fileNameOf(uri: string | undefined, playlistUrl: string): string | undefined {
  if (uri === undefined) return undefined;
  const { pathname } = new URL(uri.trim(), playlistUrl);
  return decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
}
