/**
 * Property tests: generated media and master playlists (random tags including
 * unknown ones, varied duration formatting, CRLF/LF per line, relative and absolute
 * URIs, byte ranges, keys, maps, parts) must come out with the same structure and
 * every URI replaced by its mapped form, and nothing but URIs may ever change.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewritePlaylist } from './rewrite-playlist.js';
import type { RewriteContext, RewriteResult } from './rewrite-types.js';
import { PROPERTY_BASE, masterPlaylist, mediaPlaylist } from './test-support/playlist-arbitraries.js';
import { readableMapUri } from './test-support/readable-map-uri.js';

const RUNS = { numRuns: 300 };

function rewriteOk(text: string, ctx: Partial<RewriteContext> = {}): Extract<RewriteResult, { ok: true }> {
  const result = rewritePlaylist(text, { playlistUrl: PROPERTY_BASE, mapUri: readableMapUri, ...ctx });
  if (!result.ok) throw new Error(`${result.error.code} on line ${result.error.line}: ${result.error.message}`);
  return result;
}

/** An independent, deliberately naive reading of the structure (no engine code involved). */
function structureOf(text: string) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return {
    tagNames: lines.filter((line) => line.startsWith('#EXT')).map((line) => line.split(':')[0]),
    extinfLines: lines.filter((line) => line.startsWith('#EXTINF:')),
    uriLineCount: lines.filter((line) => line.trim() !== '' && !line.startsWith('#')).length,
    lineEndings: text.match(/\r?\n/g) ?? [],
  };
}

const playlists = fc.oneof(mediaPlaylist, masterPlaylist);

describe('rewritePlaylist properties', () => {
  it('produces exactly the oracle output, kind and URI count', () => {
    fc.assert(
      fc.property(playlists, (generated) => {
        const result = rewriteOk(generated.input);
        expect(result.text).toBe(generated.expected);
        expect(result.kind).toBe(generated.kind);
        expect(result.uriCount).toBe(generated.uriCount);
      }),
      RUNS,
    );
  });

  it('keeps the structure: tag order, EXTINF durations as text, segment count, line endings', () => {
    fc.assert(
      fc.property(playlists, (generated) => {
        const before = structureOf(generated.input);
        const after = structureOf(rewriteOk(generated.input).text);
        expect(after).toEqual(before);
      }),
      RUNS,
    );
  });

  it('maps every URI line and every known URI attribute', () => {
    fc.assert(
      fc.property(playlists, (generated) => {
        const lines = rewriteOk(generated.input)
          .text.replace(/^\uFEFF/, '')
          .split(/\r?\n/);
        const uriLinePrefix = generated.kind === 'master' ? 'https://rw.test/variant/' : 'https://edge.test/segment/';
        for (const line of lines) {
          if (line.trim() !== '' && !line.startsWith('#')) expect(line.trim().startsWith(uriLinePrefix)).toBe(true);
          const knownTag = /^#EXT-X-(MAP|KEY|PART|PRELOAD-HINT|DATERANGE|MEDIA|I-FRAME-STREAM-INF|SESSION-KEY|SESSION-DATA):/.test(line);
          for (const match of knownTag ? line.matchAll(/(?:^|,)(?:URI|X-ASSET-URI)="([^"]*)"/g) : []) {
            const value = match[1] ?? '';
            if (!value.startsWith('skd://')) expect(value).toMatch(/^https:\/\/(edge|rw)\.test\//);
          }
        }
      }),
      RUNS,
    );
  });

  it('leaves no URI pointing at the origin host outside rendition reports', () => {
    fc.assert(
      fc.property(playlists, (generated) => {
        const leaking = rewriteOk(generated.input, { mapUri: () => 'https://edge.test/x' })
          .text.split(/\r?\n/)
          .filter((line) => line.includes('origin.test') && !line.startsWith('#EXT-X-RENDITION-REPORT:'));
        expect(leaking).toEqual([]);
      }),
      RUNS,
    );
  });

  it('changes nothing when mapUri returns the original text', () => {
    fc.assert(
      fc.property(playlists, (generated) => {
        expect(rewriteOk(generated.input, { mapUri: (uri) => uri.original }).text).toBe(generated.input);
      }),
      RUNS,
    );
  });

  it('with steering, only adds the steering line and PATHWAY-IDs to a master', () => {
    const steering = { serverUri: 'https://rw.test/steer.json', pathwayId: 'p1' };
    fc.assert(
      fc.property(masterPlaylist, (generated) => {
        const plain = rewriteOk(generated.input).text;
        const steered = rewriteOk(generated.input, { steering }).text;
        const variantTags = plain.match(/^#EXT-X-(I-FRAME-)?STREAM-INF:/gm) ?? [];
        expect(steered.match(/PATHWAY-ID="p1"/g)).toHaveLength(variantTags.length + 1);
        const firstEol = /\r?\n/.exec(generated.input)?.[0] ?? '\n';
        const steeringLine = '#EXT-X-CONTENT-STEERING:SERVER-URI="https://rw.test/steer.json",PATHWAY-ID="p1"';
        expect(steered.replace(steeringLine + firstEol, '').replaceAll(',PATHWAY-ID="p1"', '')).toBe(plain);
      }),
      RUNS,
    );
  });
});

/** Playlist-flavoured noise: tokens that stress the scanner, plus arbitrary characters. */
const noise = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\r\n',
        '\r',
        ' ',
        ',',
        '"',
        '=',
        ':',
        '#',
        '#EXT',
        '#EXTINF:',
        '#EXT-X-KEY:',
        '#EXT-X-MAP:',
        'URI=',
        'URI="',
        '#EXT-X-STREAM-INF:',
        '#EXT-X-PART:',
        'X-ASSET-URI=',
        'a.ts',
        '../',
        '//',
        'skd://',
        'data:',
        'http://',
        '[',
        '?q=/',
      ),
      fc.string({ unit: 'binary', maxLength: 3 }),
    ),
    { maxLength: 60 },
  )
  .map((tokens) => tokens.join(''));

describe('rewritePlaylist on arbitrary text', () => {
  it('never throws, and with an identity mapUri either fails with a code or returns the input unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom('#EXTM3U\n', '#EXTM3U\r\n', '\uFEFF#EXTM3U\n', ''), noise, (header, body) => {
        const text = header + body;
        const result = rewritePlaylist(text, { playlistUrl: PROPERTY_BASE, mapUri: (uri) => uri.original });
        if (result.ok) expect(result.text).toBe(text);
        else expect(['malformed', 'oversized']).toContain(result.error.code);
      }),
      { numRuns: 1000 },
    );
  });
});
