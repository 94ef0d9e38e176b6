/**
 * Tests of the part packager. Every playlist it renders here goes through the project's
 * RFC 8216bis rule checker and through m3u8-parser (video.js's parser, an outside
 * reader), which must see the segments, parts, preload hint and rendition reports the
 * packager meant. The long test drives two rungs through 48 parts with a late keyframe
 * and an early one, and checks numbering, expiry (against what the parser stopped
 * seeing) and the reports at every step.
 */
import { Parser } from 'm3u8-parser';
import type { ParsedManifest } from 'm3u8-parser';
import { describe, expect, it } from 'vitest';
import { playlistFacts } from '../../../test/support/playlist-oracle.js';
import { checkLowLatencyPlaylist } from '../../rewriter/playlist/low-latency-rules.js';
import { PartPackager, partUri, segmentUri } from './part-packager.js';
import type { PartPackagerOptions, PartStep, RenditionReport } from './part-packager.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
const BASE: PartPackagerOptions = {
  partTargetSec: 0.4,
  segmentTargetSec: 2,
  windowSegments: 3,
  initUri: 'init.mp4',
  firstMsn: 0,
  firstPartNumber: 0,
};

/** Part n of a stream: two bytes that name it, 0.4 s, a keyframe every fifth part unless told otherwise. */
function part(n: number, options: { independent?: boolean; durationSec?: number } = {}) {
  return {
    bytes: new Uint8Array([n & 0xff, n >> 8]),
    durationSec: options.durationSec ?? 0.4,
    independent: options.independent ?? n % 5 === 0,
    programDateTimeMs: T0 + n * 400,
  };
}

/** m3u8-parser's fields for low-latency playlists that the project's declaration leaves out. */
interface LowLatencyManifest extends ParsedManifest {
  serverControl?: { canBlockReload?: boolean; partHoldBack?: number; canSkipUntil?: number };
  partTargetDuration?: number;
  renditionReports?: { uri: string; lastMsn: number; lastPart?: number }[];
  skip?: { skippedSegments: number };
  preloadSegment?: ParsedManifest['segments'][number] & { preloadHints?: { type: string; uri: string }[] };
}

/**
 * Checks a rendered playlist (no rule broken, no parser warning) and returns what
 * m3u8-parser read: segment URIs with their part URIs, the parts in progress, the hint.
 */
function read(text: string) {
  expect(checkLowLatencyPlaylist(text)).toEqual([]);
  const parser = new Parser() as Parser & { on(event: 'warn', listener: (warning: { message: string }) => void): void };
  const warnings: string[] = [];
  parser.on('warn', (warning) => warnings.push(warning.message));
  parser.push(text);
  parser.end();
  expect(warnings).toEqual([]);
  const manifest = parser.manifest as LowLatencyManifest;
  const listedParts = [...manifest.segments.flatMap((s) => s.parts ?? []), ...(manifest.preloadSegment?.parts ?? [])];
  return {
    manifest,
    facts: playlistFacts(text),
    segments: manifest.segments.map((segment) => ({ uri: segment.uri, parts: (segment.parts ?? []).map((p) => p.uri) })),
    pending: (manifest.preloadSegment?.parts ?? []).map((p) => p.uri),
    hint: manifest.preloadSegment?.preloadHints?.[0]?.uri,
    /** Every URI a client can take from this playlist. */
    listed: new Set([...manifest.segments.map((s) => s.uri!), ...listedParts.map((p) => p.uri!)]),
    listedPartsSec: listedParts.reduce((sum, p) => sum + (p.duration ?? 0), 0),
  };
}

describe('names', () => {
  it('parts by stream-wide number, segments by media sequence number as ffmpeg names them', () => {
    expect(partUri(0)).toBe('part0.m4s');
    expect(partUri(1234)).toBe('part1234.m4s');
    expect(segmentUri(42)).toBe('seg_00042.m4s');
    expect(segmentUri(123456)).toBe('seg_123456.m4s');
  });
});

describe('PartPackager playlists', () => {
  it('renders the first part: header, the part under its program date-time, the hint for the next part', () => {
    const packager = new PartPackager(BASE);
    const step = packager.addPart(part(0));
    expect(step).toEqual({ partUri: 'part0.m4s', partNumber: 0, msn: 0, partIndex: 0, expiredUris: [], problems: [] });
    const text = packager.playlist();
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12',
        '#EXT-X-PART-INF:PART-TARGET=0.4',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MAP:URI="init.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:05.600Z',
        '#EXT-X-PART:DURATION=0.4,URI="part0.m4s",INDEPENDENT=YES',
        '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part1.m4s"',
        '',
      ].join('\n'),
    );
    expect(read(text)).toMatchObject({ segments: [], pending: ['part0.m4s'], hint: 'part1.m4s' });
  });

  it('completes a segment with the first part of the next one: its bytes are its parts, in order', () => {
    const packager = new PartPackager(BASE);
    const steps = Array.from({ length: 6 }, (_, n) => packager.addPart(part(n)));
    expect(steps.slice(0, 5).every((step) => step.completedSegment === undefined)).toBe(true);
    const completed = steps[5]!.completedSegment!;
    expect(completed).toMatchObject({ msn: 0, uri: 'seg_00000.m4s', independent: true });
    expect(completed.durationSec).toBeCloseTo(2, 9);
    expect([...completed.bytes]).toEqual([0, 0, 1, 0, 2, 0, 3, 0, 4, 0]);
    expect(completed.partUris).toEqual(['part0.m4s', 'part1.m4s', 'part2.m4s', 'part3.m4s', 'part4.m4s']);
    expect([steps[5]!.msn, steps[5]!.partIndex]).toEqual([1, 0]);

    const text = packager.playlist();
    expect(text).toContain(
      [
        '#EXT-X-PART:DURATION=0.4,URI="part4.m4s"',
        '#EXTINF:2,',
        'seg_00000.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:07.600Z',
        '#EXT-X-PART:DURATION=0.4,URI="part5.m4s",INDEPENDENT=YES',
        '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part6.m4s"',
      ].join('\n'),
    );
    expect(read(text)).toMatchObject({
      segments: [{ uri: 'seg_00000.m4s', parts: ['part0.m4s', 'part1.m4s', 'part2.m4s', 'part3.m4s', 'part4.m4s'] }],
      pending: ['part5.m4s'],
      hint: 'part6.m4s',
    });
  });

  it('a part without a keyframe never opens a segment; a keyframe before the cut stays inside, marked INDEPENDENT', () => {
    const packager = new PartPackager(BASE);
    // Keyframes at 0, 2 (early: 0.8 s in) and 9 (late: 3.6 s in, after seven parts without one).
    const keyframes = new Set([0, 2, 9]);
    const steps = Array.from({ length: 11 }, (_, n) => packager.addPart(part(n, { independent: keyframes.has(n) })));
    expect(steps.filter((step) => step.completedSegment).map((step) => step.partNumber)).toEqual([9]);
    expect(steps[9]!.completedSegment?.durationSec).toBeCloseTo(3.6, 9);
    // 3.6 s rounds to 4: the one way to keep every EXTINF within the target duration.
    expect(steps[9]!.problems.map((problem) => problem.code)).toEqual(['target-duration-raised']);
    const text = packager.playlist();
    expect(text).toContain('#EXT-X-PART:DURATION=0.4,URI="part2.m4s",INDEPENDENT=YES');
    expect(text).toContain('#EXT-X-TARGETDURATION:4\n');
    expect(read(text).segments[0]?.parts).toHaveLength(9);
  });

  it('writes PART-TARGET rounded up to 5 decimals so no part exceeds it, and PART-HOLD-BACK three of them', () => {
    const packager = new PartPackager({ ...BASE, partTargetSec: 1 / 3 });
    for (let n = 0; n < 8; n++) packager.addPart(part(n, { durationSec: 1 / 3, independent: n % 6 === 0 }));
    const text = packager.playlist();
    expect(text).toContain(
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.00002,CAN-SKIP-UNTIL=12\n#EXT-X-PART-INF:PART-TARGET=0.33334\n',
    );
    expect(text).toContain('#EXT-X-PART:DURATION=0.33333,URI="part1.m4s"\n');
    expect(text).toContain('#EXTINF:2,\nseg_00000.m4s\n');
    expect(read(text).manifest.partTargetDuration).toBe(0.33334);
  });

  it('raises PART-TARGET (and PART-HOLD-BACK) for a part longer than the target, and says so', () => {
    const packager = new PartPackager(BASE);
    packager.addPart(part(0));
    const step = packager.addPart(part(1, { durationSec: 0.45 }));
    expect(step.problems.map((problem) => problem.code)).toEqual(['part-target-raised']);
    packager.addPart(part(2, { durationSec: 0.4 }));
    const text = packager.playlist();
    expect(text).toContain('PART-HOLD-BACK=1.35,');
    expect(text).toContain('#EXT-X-PART-INF:PART-TARGET=0.45\n');
    read(text);
  });

  it('accepts a stream that does not start on a keyframe, and flags the segment it opens', () => {
    const packager = new PartPackager(BASE);
    const first = packager.addPart(part(0, { independent: false }));
    expect(first.problems.map((problem) => problem.code)).toEqual(['segment-without-keyframe']);
    const steps = [1, 2, 3, 4, 5].map((n) => packager.addPart(part(n)));
    expect(steps[4]!.completedSegment?.independent).toBe(false);
    // The playlist shows it as it is: the rule checker names the segment, and nothing else.
    expect(checkLowLatencyPlaylist(packager.playlist()).map((finding) => finding.rule)).toEqual(['independent-first-part']);
  });

  it('marks the first segment of a restarted run with EXT-X-DISCONTINUITY and counts it out when it leaves', () => {
    const packager = new PartPackager({ ...BASE, firstMsn: 40, firstPartNumber: 205, discontinuity: true, discontinuitySequence: 2 });
    packager.addPart(part(0));
    let text = packager.playlist();
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:40\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n');
    expect(text).toContain('#EXT-X-MAP:URI="init.mp4"\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:');
    expect(text).toContain('URI="part205.m4s"');
    for (let n = 1; n < 26; n++) packager.addPart(part(n));
    text = packager.playlist();
    const { facts } = read(text);
    expect(facts.mediaSequence).toBe(42);
    expect(facts.discontinuitySequence).toBe(3);
    expect(facts.segments.every((segment) => !segment.discontinuity)).toBe(true);
    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('never lets the window fall under three target durations, whatever windowSegments says', () => {
    const packager = new PartPackager({ ...BASE, windowSegments: 1 });
    for (let n = 0; n < 41; n++) packager.addPart(part(n));
    const { facts } = read(packager.playlist());
    expect(facts.segments.map((segment) => segment.name)).toEqual(['seg_00005.m4s', 'seg_00006.m4s', 'seg_00007.m4s']);
  });

  it('keeps the target duration it raised for a long segment after that segment left (6.2.1: it MUST NOT change)', () => {
    const packager = new PartPackager(BASE);
    // Segment 1 waits two parts for its keyframe: 2.8 s rounds to 3.
    const keyframe = (n: number) => n === 0 || n === 5 || (n >= 12 && (n - 12) % 5 === 0);
    const problems = Array.from({ length: 60 }, (_, n) => packager.addPart(part(n, { independent: keyframe(n) })).problems).flat();
    expect(problems.map((problem) => problem.code)).toEqual(['target-duration-raised']);
    const text = packager.playlist();
    expect(text).toContain('#EXT-X-TARGETDURATION:3\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=18\n');
    expect(read(text).facts.segments.every((segment) => segment.duration === 2)).toBe(true);
  });
});

describe('PartPackager end of stream', () => {
  it('flushes the parts in progress into a last segment; the final playlist ends the list, without a hint', () => {
    const packager = new PartPackager(BASE);
    for (let n = 0; n < 13; n++) packager.addPart(part(n));
    const flushed = packager.flush()!;
    expect(flushed.completedSegment).toMatchObject({ msn: 2, uri: 'seg_00002.m4s', partUris: ['part10.m4s', 'part11.m4s', 'part12.m4s'] });
    expect(flushed.completedSegment.durationSec).toBeCloseTo(1.2, 9);
    expect([...flushed.completedSegment.bytes]).toEqual([10, 0, 11, 0, 12, 0]);
    expect(packager.flush()).toBeUndefined();

    const text = packager.finalPlaylist();
    expect(text.endsWith('#EXTINF:1.2,\nseg_00002.m4s\n#EXT-X-ENDLIST\n')).toBe(true);
    expect(text).not.toContain('PRELOAD-HINT');
    const { facts, pending, hint } = read(text);
    expect(facts.endList).toBe(true);
    expect(facts.segments.map((segment) => [segment.name, segment.parts])).toEqual([
      ['seg_00000.m4s', 5],
      ['seg_00001.m4s', 5],
      ['seg_00002.m4s', 3],
    ]);
    expect([pending, hint]).toEqual([[], undefined]);
    expect(packager.report('x.m3u8')).toEqual({ uri: 'x.m3u8', lastMsn: 2, lastPart: 2 });
  });

  it('a final playlist without flush leaves out the parts whose segment nobody stored', () => {
    const packager = new PartPackager(BASE);
    for (let n = 0; n < 7; n++) packager.addPart(part(n));
    const { facts, pending } = read(packager.finalPlaylist());
    expect(facts.segments.map((segment) => segment.name)).toEqual(['seg_00000.m4s']);
    expect(pending).toEqual([]);
  });

  it('after a flush the next part opens a new segment', () => {
    const packager = new PartPackager(BASE);
    for (let n = 0; n < 3; n++) packager.addPart(part(n));
    packager.flush();
    const step = packager.addPart(part(3, { independent: true }));
    expect([step.msn, step.partIndex, step.problems]).toEqual([1, 0, []]);
    expect(read(packager.playlist()).pending).toEqual(['part3.m4s']);
  });
});

describe('PartPackager delta updates', () => {
  it('skips the segments that end more than CAN-SKIP-UNTIL before the newest complete one, at version 9', () => {
    const packager = new PartPackager({ ...BASE, windowSegments: 10 });
    for (let n = 0; n < 67; n++) packager.addPart(part(n));
    // Complete segments 3..12 (2 s each, 13 in progress); skipped: those with more than 12 s after them.
    const full = read(packager.playlist());
    expect(full.facts.segments.map((segment) => segment.name)).toHaveLength(10);
    const delta = packager.deltaPlaylist();
    expect(delta).toContain('#EXT-X-VERSION:9\n');
    expect(delta).toContain('#EXT-X-MAP:URI="init.mp4"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n');
    const read9 = read(delta);
    expect(read9.manifest.skip).toEqual({ skippedSegments: 3 });
    expect(read9.segments.map((segment) => segment.uri)).toEqual(full.segments.slice(3).map((segment) => segment.uri));
    expect(read9.pending).toEqual(full.pending);
  });
});

describe('PartPackager reports and position', () => {
  it('reports nothing before the first part, then the segment and index of the last part listed', () => {
    const packager = new PartPackager({ ...BASE, firstMsn: 7 });
    expect(packager.report('../a/index.m3u8')).toBeUndefined();
    expect(packager.position()).toEqual({ mediaSequence: 7, lastCompleteMsn: undefined, segments: 0, nextMsn: 7, nextPartNumber: 0 });
    for (let n = 0; n < 7; n++) packager.addPart(part(n));
    expect(packager.report('../a/index.m3u8')).toEqual({ uri: '../a/index.m3u8', lastMsn: 8, lastPart: 1 });
    expect(packager.position()).toEqual({ mediaSequence: 7, lastCompleteMsn: 7, segments: 1, nextMsn: 8, nextPartNumber: 7 });
  });

  it('renders reports after the preload hint, LAST-PART left out when a report has none', () => {
    const packager = new PartPackager(BASE);
    packager.addPart(part(0));
    const reports: RenditionReport[] = [
      { uri: '../720p/index.m3u8', lastMsn: 3, lastPart: 4 },
      { uri: '../1080p/index.m3u8', lastMsn: 3, lastPart: 0 },
    ];
    const text = packager.playlist(reports);
    expect(text).toContain(
      'URI="part1.m4s"\n#EXT-X-RENDITION-REPORT:URI="../720p/index.m3u8",LAST-MSN=3,LAST-PART=4\n#EXT-X-RENDITION-REPORT:URI="../1080p/index.m3u8",LAST-MSN=3,LAST-PART=0\n',
    );
    expect(read(text).manifest.renditionReports).toEqual(reports);
    // A rendition without parts has no LAST-PART (4.4.5.4); m3u8-parser warns about it, so only the text is checked.
    expect(packager.playlist([{ uri: '../audio/index.m3u8', lastMsn: 3 }])).toContain(
      '#EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8",LAST-MSN=3\n',
    );
  });

  it('refuses options no playlist can honour', () => {
    expect(() => new PartPackager({ ...BASE, partTargetSec: 0 })).toThrow(/targets/);
    expect(() => new PartPackager({ ...BASE, segmentTargetSec: 0.2 })).toThrow(/targets/);
    expect(() => new PartPackager({ ...BASE, windowSegments: 0 })).toThrow(/windowSegments/);
    expect(() => new PartPackager({ ...BASE, windowSegments: Number.NaN })).toThrow(/windowSegments/);
    expect(() => new PartPackager({ ...BASE, firstMsn: -1 })).toThrow(/firstMsn/);
    expect(() => new PartPackager({ ...BASE, firstPartNumber: 1.5 })).toThrow(/firstPartNumber/);
    expect(() => new PartPackager(BASE).addPart(part(0, { durationSec: Number.NaN }))).toThrow(/NaN/);
  });
});

describe('PartPackager over 48 parts of two rungs, with a late keyframe and an early one', () => {
  // Keyframes every fifth part, except that the one due at part 15 comes at 16 (and the
  // cadence follows it), plus an early one at 33 inside a segment.
  const KEYFRAMES = new Set([0, 5, 10, 16, 21, 26, 31, 33, 36, 41, 46]);
  // Where each part lands: segment 2 is parts 10..15 (2.4 s), the others five parts.
  const SEGMENT_STARTS = [0, 5, 10, 16, 21, 26, 31, 36, 41, 46];
  const msnOf = (n: number) => SEGMENT_STARTS.filter((start) => start <= n).length - 1;
  const indexOf = (n: number) => n - SEGMENT_STARTS[msnOf(n)]!;

  it('numbers parts and segments, expires exactly what stops being listed, and reports each rung', () => {
    const rungs = ['720p', '360p'].map((name) => ({
      name,
      packager: new PartPackager(BASE),
      listed: new Set<string>(),
      expired: new Set<string>(),
    }));
    const stepsOf = new Map<string, PartStep[]>(rungs.map((rung) => [rung.name, []]));

    for (let n = 0; n < 48; n++) {
      const independent = KEYFRAMES.has(n);
      for (const rung of rungs) {
        const step = rung.packager.addPart(part(n, { independent }));
        stepsOf.get(rung.name)!.push(step);
        expect([step.partNumber, step.partUri, step.msn, step.partIndex], `part ${n}`).toEqual([n, `part${n}.m4s`, msnOf(n), indexOf(n)]);
        expect(step.problems).toEqual([]);
        const opens = SEGMENT_STARTS.includes(n) && n > 0;
        expect(step.completedSegment?.msn, `part ${n}`).toBe(opens ? msnOf(n) - 1 : undefined);
        expect(rung.packager.report('r')).toEqual({ uri: 'r', lastMsn: msnOf(n), lastPart: indexOf(n) });
      }
      for (const rung of rungs) {
        const other = rungs.find((candidate) => candidate !== rung)!;
        const report = other.packager.report(`../${other.name}/index.m3u8`)!;
        const seen = read(rung.packager.playlist([report]));
        expect(seen.manifest.renditionReports).toEqual([{ uri: `../${other.name}/index.m3u8`, lastMsn: msnOf(n), lastPart: indexOf(n) }]);
        expect(seen.hint).toBe(`part${n + 1}.m4s`);
        expect(seen.pending.at(-1)).toBe(`part${n}.m4s`);

        // What m3u8-parser stopped seeing is exactly what this step expired; nothing comes back.
        const step = stepsOf.get(rung.name)!.at(-1)!;
        const gone = [...rung.listed].filter((uri) => !seen.listed.has(uri));
        expect(new Set(step.expiredUris), `part ${n}`).toEqual(new Set(gone));
        expect(step.expiredUris).toHaveLength(gone.length);
        for (const uri of seen.listed) expect(rung.expired.has(uri), uri).toBe(false);
        for (const uri of step.expiredUris) rung.expired.add(uri);
        rung.listed = seen.listed;

        // Parts are listed for the newest segments covering three target durations, and no more.
        const complete = seen.segments;
        const totalSec = 0.4 * (n + 1);
        if (totalSec >= 6) expect(seen.listedPartsSec).toBeGreaterThanOrEqual(6 - 1e-6);
        const oldestWithParts = complete.find((segment) => segment.parts.length > 0);
        if (oldestWithParts) expect(seen.listedPartsSec - 0.4 * oldestWithParts.parts.length).toBeLessThan(6 - 1e-6);
        expect(complete.filter((segment) => segment.parts.length === 0).every((segment, i) => complete[i] === segment)).toBe(true);
        // Three complete segments, unless fewer exist.
        expect(complete).toHaveLength(Math.min(3, msnOf(n)));
      }
    }

    const steps = stepsOf.get('720p')!;
    const longSegment = steps[16]!.completedSegment!;
    expect(longSegment).toMatchObject({ msn: 2, uri: 'seg_00002.m4s' });
    expect(longSegment.durationSec).toBeCloseTo(2.4, 9);
    expect(longSegment.partUris).toHaveLength(6);
    // Part 33 is a keyframe inside segment 6: INDEPENDENT=YES, no new segment.
    expect(steps[33]).toMatchObject({ msn: 6, partIndex: 2 });
    expect(rungs[0]!.packager.playlist()).toContain('URI="part33.m4s",INDEPENDENT=YES');
    // Segments 0..5 left the window, and their 31 parts with them or before them.
    expect([...rungs[0]!.expired].filter((uri) => uri.startsWith('seg_')).sort()).toEqual([0, 1, 2, 3, 4, 5].map(segmentUri));
    expect(
      [...rungs[0]!.expired].filter((uri) => uri.startsWith('part')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    ).toEqual(Array.from({ length: 31 }, (_, n) => partUri(n)));
    // With part 19, segment 3 in progress (1.6 s) and segments 1 and 2 (2 s, 2.4 s) cover 6 s: segment 0's parts go.
    expect(steps[19]!.expiredUris).toEqual(['part0.m4s', 'part1.m4s', 'part2.m4s', 'part3.m4s', 'part4.m4s']);
    expect(steps[24]!.expiredUris).toEqual(['part5.m4s', 'part6.m4s', 'part7.m4s', 'part8.m4s', 'part9.m4s']);
    // Part 21 completes segment 3, the fourth complete one: segment 0 leaves the window (its parts left at part 19).
    expect(steps[21]!.expiredUris).toEqual(['seg_00000.m4s']);

    const last = read(rungs[0]!.packager.playlist());
    expect(last.facts).toMatchObject({ targetDuration: 2, mediaSequence: 6, endList: false });
    // 0.8 s in progress and two segments make 4.8 s: segment 6 still needs its parts listed.
    expect(last.segments).toEqual([
      { uri: 'seg_00006.m4s', parts: ['part31.m4s', 'part32.m4s', 'part33.m4s', 'part34.m4s', 'part35.m4s'] },
      { uri: 'seg_00007.m4s', parts: ['part36.m4s', 'part37.m4s', 'part38.m4s', 'part39.m4s', 'part40.m4s'] },
      { uri: 'seg_00008.m4s', parts: ['part41.m4s', 'part42.m4s', 'part43.m4s', 'part44.m4s', 'part45.m4s'] },
    ]);
    expect(last.pending).toEqual(['part46.m4s', 'part47.m4s']);

    const flushed = rungs[0]!.packager.flush()!;
    expect(flushed.completedSegment.msn).toBe(9);
    const final = read(rungs[0]!.packager.finalPlaylist());
    expect(final.facts.endList).toBe(true);
    // Four complete segments: without segment 6 the playlist would last 4.8 s, under three target durations.
    expect(final.segments.map((segment) => segment.uri)).toEqual(['seg_00006.m4s', 'seg_00007.m4s', 'seg_00008.m4s', 'seg_00009.m4s']);
    expect(flushed.expiredUris).toEqual([]);
  });
});
