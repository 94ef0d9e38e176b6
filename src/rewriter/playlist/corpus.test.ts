/**
 * Golden corpus: every playlist under corpus/ rewritten with the readable mapUri
 * must equal its reviewed `.expected.m3u8` byte for byte, and, with any mapUri,
 * nothing but the URIs may change.
 */

import { describe, expect, it } from 'vitest';
import { rewritePlaylist } from './rewrite-playlist.js';
import type { UriContext } from './rewrite-types.js';
import { CORPUS_CASES, corpusInputNames, readCorpusFile } from './test-support/corpus-cases.js';
import { readableMapUri } from './test-support/readable-map-uri.js';

describe('golden corpus', () => {
  it('lists every playlist in corpus/ exactly once', () => {
    const listed = CORPUS_CASES.map((c) => c.name).sort();
    expect(listed).toEqual(corpusInputNames());
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.length).toBeGreaterThanOrEqual(16);
  });

  for (const corpusCase of CORPUS_CASES) {
    it(`${corpusCase.name}: output equals the golden file byte for byte`, () => {
      const input = readCorpusFile(`${corpusCase.name}.m3u8`);
      const expected = readCorpusFile(`${corpusCase.name}.expected.m3u8`);
      const result = rewritePlaylist(input, {
        playlistUrl: corpusCase.playlistUrl,
        mapUri: readableMapUri,
        steering: corpusCase.steering,
      });
      expect(result).toEqual({ ok: true, text: expected, kind: corpusCase.kind, uriCount: corpusCase.uriCount });
    });
  }
});

/** Splits after each LF so every piece keeps its own terminator (and a BOM stays on line 1). */
function linesWithEndings(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Rebuilds the expected output from the input alone: on each line, the URIs that
 * mapUri saw are swapped, in order, for their markers. URI lines hold only the URI
 * (plus tolerated white space); in tags the URI sits inside `="..."`.
 */
function swapUris(inputLine: string, calls: readonly { uri: UriContext; marker: string }[]): string {
  let line = inputLine;
  let from = 0;
  for (const { uri, marker } of calls) {
    const isTag = line.trimStart().startsWith('#');
    const needle = isTag ? `="${uri.original}"` : uri.original;
    const at = line.indexOf(needle, from);
    expect(at, `URI ${uri.original} on line ${uri.line}`).toBeGreaterThanOrEqual(0);
    const replacement = isTag ? `="${marker}"` : marker;
    line = line.slice(0, at) + replacement + line.slice(at + needle.length);
    from = at + replacement.length;
  }
  return line;
}

describe('only URIs change (every corpus file, markers as mapUri)', () => {
  for (const corpusCase of CORPUS_CASES.filter((c) => c.steering === undefined)) {
    it(`${corpusCase.name}: bytes outside URI regions are identical`, () => {
      const input = readCorpusFile(`${corpusCase.name}.m3u8`);
      const calls: { uri: UriContext; marker: string }[] = [];
      const result = rewritePlaylist(input, {
        playlistUrl: corpusCase.playlistUrl,
        mapUri: (uri) => {
          const marker = `<<uri-${calls.length}>>`;
          calls.push({ uri, marker });
          return marker;
        },
      });
      if (!result.ok) throw new Error(result.error.message);

      const inputLines = linesWithEndings(input);
      const outputLines = linesWithEndings(result.text);
      expect(outputLines.length).toBe(inputLines.length);
      inputLines.forEach((inputLine, index) => {
        const onLine = calls.filter((call) => call.uri.line === index + 1);
        expect(outputLines[index]).toBe(swapUris(inputLine, onLine));
      });
    });

    it(`${corpusCase.name}: no origin host is left outside rendition reports`, () => {
      const input = readCorpusFile(`${corpusCase.name}.m3u8`);
      const result = rewritePlaylist(input, { playlistUrl: corpusCase.playlistUrl, mapUri: () => 'mapped' });
      if (!result.ok) throw new Error(result.error.message);
      const leaking = linesWithEndings(result.text).filter(
        (line) => /origin\.test/i.test(line) && !line.startsWith('#EXT-X-RENDITION-REPORT:'),
      );
      expect(leaking).toEqual([]);
    });
  }
});
