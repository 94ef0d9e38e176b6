/**
 * The rewrite read by an independent parser (m3u8-parser, through
 * test/support/playlist-oracle.ts): every corpus playlist and every generated
 * one parses to the same segments, durations, sequence numbers,
 * discontinuities, parts and variants before and after the rewrite, with each
 * URI moved to an edge and signed. Our own line state machine is not involved
 * in reading the result, so a rewrite that loses or reorders a segment fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playlistFacts } from '../../../test/support/playlist-oracle.js';
import { rewritePlaylist } from './rewrite-playlist.js';
import type { UriContext } from './rewrite-types.js';
import { CORPUS_CASES, readCorpusFile } from './test-support/corpus-cases.js';
import { PROPERTY_BASE, masterPlaylist, mediaPlaylist } from './test-support/playlist-arbitraries.js';

/** Moves every object to an edge host under a signed query, as the rewriter does in absolute mode. */
function toSignedEdge(uri: UriContext): string {
  const { pathname } = uri.resolved;
  return `https://edge-2.cdn.test${pathname}?md5=x_Y-z&expires=1900000000`;
}

function rewritten(text: string, playlistUrl: string): string {
  const result = rewritePlaylist(text, { playlistUrl, mapUri: toSignedEdge });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.text;
}

describe('rewritePlaylist read by m3u8-parser', () => {
  it.each(CORPUS_CASES.map((c) => [c.name, c] as const))('%s keeps every fact a player acts on', (_name, c) => {
    const input = readCorpusFile(`${c.name}.m3u8`);
    const before = playlistFacts(input, c.playlistUrl);
    const after = playlistFacts(rewritten(input, c.playlistUrl), c.playlistUrl);
    expect(after).toEqual(before);
    // A corpus case with no segments and no variants would make the comparison empty.
    expect(before.segments.length + before.variants.length).toBeGreaterThan(0);
  });

  it('keeps them for generated media and master playlists', () => {
    fc.assert(
      fc.property(fc.oneof(mediaPlaylist, masterPlaylist), (generated) => {
        expect(playlistFacts(rewritten(generated.input, PROPERTY_BASE), PROPERTY_BASE)).toEqual(
          playlistFacts(generated.input, PROPERTY_BASE),
        );
      }),
      { numRuns: 200 },
    );
  });
});
