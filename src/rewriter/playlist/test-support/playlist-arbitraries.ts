/**
 * fast-check generators of media and master playlists that carry their own oracle:
 * each generated line knows the text the rewrite must produce for it, computed
 * with WHATWG `new URL(ref, base)` and the readable mapUri of the golden corpus.
 */

import fc from 'fast-check';
import type { PlaylistKind, UriRole } from '../rewrite-types.js';
import { readableMapUri } from './readable-map-uri.js';

export const PROPERTY_BASE = 'https://origin.test/live/show/720p/index.m3u8';

export interface GeneratedLine {
  text: string;
  expected: string;
}

export interface GeneratedPlaylist {
  kind: PlaylistKind;
  input: string;
  expected: string;
  /** URIs the rewrite must hand to mapUri. */
  uriCount: number;
}

function mapped(ref: string, role: UriRole): string {
  return readableMapUri({ role, resolved: new URL(ref, PROPERTY_BASE), original: ref, line: 0 });
}

function kept(text: string): GeneratedLine {
  return { text, expected: text };
}

/** A tag line whose single quoted URI attribute is rewritten. */
function withUri(before: string, ref: string, after: string, role: UriRole): GeneratedLine {
  return { text: `${before}"${ref}"${after}`, expected: `${before}"${mapped(ref, role)}"${after}` };
}

const word = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,7}$/);

/** Relative, root-relative, protocol-relative and absolute http(s) references, some with '/' in the query. */
export const httpRef: fc.Arbitrary<string> = fc.oneof(
  word.map((w) => `${w}.ts`),
  fc.tuple(word, word).map(([dir, w]) => `${dir}/${w}.m4s`),
  word.map((w) => `./${w}.aac`),
  word.map((w) => `../${w}/seg.ts`),
  word.map((w) => `../../../${w}.mp4`),
  word.map((w) => `/root/${w}.ts`),
  word.map((w) => `https://origin.test/abs/${w}.ts`),
  word.map((w) => `http://origin.test:8080/${w}.ts`),
  word.map((w) => `//origin.test/proto/${w}.ts`),
  fc.tuple(word, word).map(([w, q]) => `${w}.ts?token=${q}/${q}&exp=1`),
);

/** Decimal durations formatted the many ways packagers write them. */
const duration = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom('', '.', '.0', '.000', '.5', '.006000', '.97600'))
  .map(([whole, fraction]) => `${whole}${fraction}`);

const byteRange = fc.tuple(fc.nat(99_999), fc.option(fc.nat(99_999))).map(([n, o]) => (o === null ? `${n}` : `${n}@${o}`));

const hex128 = fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `0x${hex}`);

const comment: fc.Arbitrary<GeneratedLine> = word.map((w) => kept(`# ${w}, URI="not-a-tag.ts"`));
const blank: fc.Arbitrary<GeneratedLine> = fc.constantFrom('', ' ', '\t').map(kept);

/** Tags nobody registered; URI-looking attributes inside them must stay as they are. */
const unknownTag: fc.Arbitrary<GeneratedLine> = fc.oneof(
  fc.tuple(word, word).map(([name, w]) => kept(`#EXT-X-ZZ-${name.toUpperCase()}:URI="${w}.ts",LIST="a,b"`)),
  fc
    .constantFrom(
      '#EXT-X-CUE-OUT:30.000',
      '#EXT-X-CUE-IN',
      '#EXT-OATCLS-SCTE35:/DAlAAAAAAAAAP/wFAUAAAPpf+/+zHRq6H4AKTLgAAEBAQAAWZ6JXQ==',
      '#EXT-X-CUE-OUT-CONT:ElapsedTime=2,Duration=30',
      '#EXTVENDOR',
    )
    .map(kept),
);

const betweenExtinfAndUri: fc.Arbitrary<GeneratedLine> = fc.oneof(
  fc
    .constantFrom('#EXT-X-DISCONTINUITY', '#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z', '#EXT-X-GAP', '#EXT-X-BITRATE:1200')
    .map(kept),
  byteRange.map((range) => kept(`#EXT-X-BYTERANGE:${range}`)),
  comment,
  blank,
);

const segment: fc.Arbitrary<GeneratedLine[]> = fc
  .record({
    duration,
    title: fc.constantFrom('', 'title', 'a, b', 'Café'),
    between: fc.array(betweenExtinfAndUri, { maxLength: 3 }),
    ref: httpRef,
  })
  .map(({ duration: d, title, between, ref }) => [
    kept(`#EXTINF:${d},${title}`),
    ...between,
    { text: ref, expected: mapped(ref, 'segment') },
  ]);

const mediaTag: fc.Arbitrary<GeneratedLine> = fc.oneof(
  fc
    .record({ ref: httpRef, iv: hex128, ivFirst: fc.boolean() })
    .map(({ ref, iv, ivFirst }) =>
      ivFirst
        ? withUri(`#EXT-X-KEY:METHOD=AES-128,IV=${iv},URI=`, ref, ',KEYFORMAT="identity"', 'key')
        : withUri('#EXT-X-KEY:METHOD=AES-128,URI=', ref, `,IV=${iv}`, 'key'),
    ),
  word.map((w) => kept(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://${w}",KEYFORMAT="com.apple.streamingkeydelivery"`)),
  fc
    .record({ ref: httpRef, range: fc.option(byteRange) })
    .map(({ ref, range }) => withUri('#EXT-X-MAP:URI=', ref, range === null ? '' : `,BYTERANGE="${range}"`, 'init')),
  fc
    .record({ ref: httpRef, d: duration, independent: fc.boolean() })
    .map(({ ref, d, independent }) => withUri(`#EXT-X-PART:DURATION=${d},URI=`, ref, independent ? ',INDEPENDENT=YES' : '', 'part')),
  httpRef.map((ref) => withUri('#EXT-X-PRELOAD-HINT:TYPE=PART,URI=', ref, '', 'preload-hint')),
  httpRef.map((ref) =>
    withUri(
      '#EXT-X-DATERANGE:ID="ad",CLASS="com.apple.hls.interstitial",START-DATE="2024-01-01T00:00:00Z",X-ASSET-URI=',
      ref,
      ',X-SNAP="OUT"',
      'asset',
    ),
  ),
  httpRef.map((ref) => kept(`#EXT-X-RENDITION-REPORT:URI="${ref}",LAST-MSN=10,LAST-PART=1`)),
  fc.nat(50).map((n) => kept(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${n}`)),
  unknownTag,
  comment,
  blank,
);

const variant: fc.Arbitrary<GeneratedLine[]> = fc
  .record({ bandwidth: fc.nat(9_999_999), between: fc.array(fc.oneof(comment, blank), { maxLength: 2 }), ref: httpRef })
  .map(({ bandwidth, between, ref }) => [
    kept(`#EXT-X-STREAM-INF:BANDWIDTH=${bandwidth},CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720`),
    ...between,
    { text: ref, expected: mapped(ref, 'variant') },
  ]);

const masterTag: fc.Arbitrary<GeneratedLine> = fc.oneof(
  httpRef.map((ref) => withUri('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, stereo",URI=', ref, ',DEFAULT=YES', 'rendition')),
  fc.constant(kept('#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC",INSTREAM-ID="CC1"')),
  httpRef.map((ref) => withUri('#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,CODECS="avc1.64001f",URI=', ref, '', 'iframe-playlist')),
  httpRef.map((ref) => withUri('#EXT-X-SESSION-KEY:METHOD=AES-128,URI=', ref, ',IV=0x01', 'session-key')),
  httpRef.map((ref) => withUri('#EXT-X-SESSION-DATA:DATA-ID="com.example.d",URI=', ref, ',LANGUAGE="en"', 'session-data')),
  unknownTag,
  comment,
  blank,
);

const eol = fc.constantFrom('\n', '\r\n');

/** Joins lines with random per-line endings, an optional BOM and an optional final newline. */
function assemble(kind: PlaylistKind, lines: GeneratedLine[]): fc.Arbitrary<GeneratedPlaylist> {
  return fc
    .record({
      eols: fc.array(eol, { minLength: lines.length, maxLength: lines.length }),
      finalNewline: fc.boolean(),
      bom: fc.boolean(),
    })
    .map(({ eols, finalNewline, bom }) => {
      const join = (pick: (line: GeneratedLine) => string): string =>
        (bom ? '\uFEFF' : '') + lines.map((line, i) => pick(line) + (i === lines.length - 1 && !finalNewline ? '' : eols[i])).join('');
      return {
        kind,
        input: join((line) => line.text),
        expected: join((line) => line.expected),
        uriCount: lines.filter((line) => line.text !== line.expected).length,
      };
    });
}

export const mediaPlaylist: fc.Arbitrary<GeneratedPlaylist> = fc
  .record({
    targetDuration: fc.integer({ min: 1, max: 12 }),
    sequence: fc.option(fc.nat(100_000)),
    items: fc.array(fc.oneof({ arbitrary: segment, weight: 3 }, { arbitrary: mediaTag.map((line) => [line]), weight: 2 }), {
      maxLength: 25,
    }),
    endList: fc.boolean(),
  })
  .chain(({ targetDuration, sequence, items, endList }) =>
    assemble('media', [
      kept('#EXTM3U'),
      kept(`#EXT-X-TARGETDURATION:${targetDuration}`),
      ...(sequence === null ? [] : [kept(`#EXT-X-MEDIA-SEQUENCE:${sequence}`)]),
      ...items.flat(),
      ...(endList ? [kept('#EXT-X-ENDLIST')] : []),
    ]),
  );

export const masterPlaylist: fc.Arbitrary<GeneratedPlaylist> = fc
  .record({
    first: variant,
    items: fc.array(
      fc.oneof(
        variant,
        masterTag.map((line) => [line]),
      ),
      { maxLength: 15 },
    ),
  })
  .chain(({ first, items }) => assemble('master', [kept('#EXTM3U'), kept('#EXT-X-INDEPENDENT-SEGMENTS'), ...first, ...items.flat()]));
