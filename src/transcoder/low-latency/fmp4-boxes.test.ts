/**
 * Tests of the fMP4 reader: hand-built boxes for each way a part can say how long its
 * samples are and whether the first one is a keyframe (trun, tfhd and trex fallbacks,
 * optional tfhd fields, tfdt versions, several truns, trafs and moofs), every way a
 * file can be cut or lie about its sizes, and one test that runs real ffmpeg in
 * low-latency mode and reads the parts it writes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFragment, isSyncSampleFlags, readInitSegment } from './fmp4-boxes.js';
import type { InitTracks } from './fmp4-boxes.js';
import { checkLowLatencyPlaylist } from '../../rewriter/playlist/low-latency-rules.js';
import { PartPackager } from './part-packager.js';

// --- box builders -------------------------------------------------------------------

function concat(...chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
const u32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0);
  return bytes;
};
const u64 = (value: number) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
  return bytes;
};
const ascii = (text: string) => new TextEncoder().encode(text);
const zeros = (n: number) => new Uint8Array(n);
const box = (type: string, ...payload: Uint8Array[]) => {
  const body = concat(...payload);
  return concat(u32(8 + body.length), ascii(type), body);
};
const fullBox = (type: string, version: number, flags: number, ...payload: Uint8Array[]) =>
  box(type, u32(((version << 24) | flags) >>> 0), ...payload);

/** sample_depends_on = 2 (an I-frame), sync. */
const SYNC = 0x02000000;
/** sample_depends_on = 1, sample_is_non_sync_sample: what ffmpeg writes for P and B frames. */
const NON_SYNC = 0x01010000;

interface TrackSpec {
  trackId: number;
  handler: string;
  timescale: number;
  version?: 0 | 1;
  trex?: { duration: number; flags: number };
}

function trak({ trackId, handler, timescale, version = 0 }: TrackSpec): Uint8Array {
  const tkhd =
    version === 1
      ? fullBox('tkhd', 1, 3, u64(0), u64(0), u32(trackId), zeros(68))
      : fullBox('tkhd', 0, 3, u32(0), u32(0), u32(trackId), zeros(60));
  const mdhd =
    version === 1
      ? fullBox('mdhd', 1, 0, u64(0), u64(0), u32(timescale), u64(0), zeros(4))
      : fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), zeros(4));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), ascii(handler), zeros(12), ascii('handler\0'));
  return box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', box('stbl'))));
}

function initSegment(...tracks: TrackSpec[]): Uint8Array {
  const trexes = tracks
    .filter((track) => track.trex)
    .map((track) => fullBox('trex', 0, 0, u32(track.trackId), u32(1), u32(track.trex!.duration), u32(0), u32(track.trex!.flags)));
  return concat(box('ftyp', ascii('iso6'), u32(0)), box('moov', box('mvhd', zeros(100)), ...tracks.map(trak), box('mvex', ...trexes)));
}

interface SampleSpec {
  duration?: number;
  size?: number;
  flags?: number;
  compositionOffset?: number;
}
interface TrunSpec {
  /** Samples that take every default (no per-sample field). */
  count?: number;
  samples?: SampleSpec[];
  dataOffset?: number;
  firstSampleFlags?: number;
}
interface TrafSpec {
  trackId: number;
  baseDataOffset?: number;
  sampleDescriptionIndex?: number;
  defaultDuration?: number;
  defaultSize?: number;
  defaultFlags?: number;
  /** @defaultValue true, as ffmpeg writes */
  baseIsMoof?: boolean;
  tfdt?: { version: 0 | 1; time: number } | null;
  truns: TrunSpec[];
}

function trun(spec: TrunSpec): Uint8Array {
  const first = spec.samples?.[0] ?? {};
  let flags = 0;
  if (spec.dataOffset !== undefined) flags |= 0x1;
  if (spec.firstSampleFlags !== undefined) flags |= 0x4;
  if (first.duration !== undefined) flags |= 0x100;
  if (first.size !== undefined) flags |= 0x200;
  if (first.flags !== undefined) flags |= 0x400;
  if (first.compositionOffset !== undefined) flags |= 0x800;
  const fields: Uint8Array[] = [u32(spec.samples?.length ?? spec.count ?? 0)];
  if (spec.dataOffset !== undefined) fields.push(u32(spec.dataOffset));
  if (spec.firstSampleFlags !== undefined) fields.push(u32(spec.firstSampleFlags));
  for (const sample of spec.samples ?? []) {
    for (const value of [sample.duration, sample.size, sample.flags, sample.compositionOffset])
      if (value !== undefined) fields.push(u32(value));
  }
  return fullBox('trun', 0, flags, ...fields);
}

function traf(spec: TrafSpec): Uint8Array {
  let flags = spec.baseIsMoof === false ? 0 : 0x20000;
  const fields: Uint8Array[] = [u32(spec.trackId)];
  const optional: [number, number | undefined, (value: number) => Uint8Array][] = [
    [0x1, spec.baseDataOffset, u64],
    [0x2, spec.sampleDescriptionIndex, u32],
    [0x8, spec.defaultDuration, u32],
    [0x10, spec.defaultSize, u32],
    [0x20, spec.defaultFlags, u32],
  ];
  for (const [bit, value, encode] of optional) {
    if (value === undefined) continue;
    flags |= bit;
    fields.push(encode(value));
  }
  const tfdt = spec.tfdt === undefined ? { version: 1 as const, time: 0 } : spec.tfdt;
  const tfdtBox = tfdt === null ? [] : [fullBox('tfdt', tfdt.version, 0, tfdt.version === 1 ? u64(tfdt.time) : u32(tfdt.time))];
  return box('traf', fullBox('tfhd', 0, flags, ...fields), ...tfdtBox, ...spec.truns.map(trun));
}

const moof = (...trafs: TrafSpec[]) => box('moof', fullBox('mfhd', 0, 0, u32(1)), ...trafs.map(traf));
/** A part as ffmpeg lays it out: styp, one sidx per track, moof, mdat. */
const fragment = (...trafs: TrafSpec[]) =>
  concat(
    box('styp', ascii('msdh'), u32(0)),
    fullBox('sidx', 1, 0, zeros(40)),
    fullBox('sidx', 1, 0, zeros(40)),
    moof(...trafs),
    box('mdat', zeros(32)),
  );

const VIDEO: TrackSpec = { trackId: 1, handler: 'vide', timescale: 12800, trex: { duration: 0, flags: 0 } };
const AUDIO: TrackSpec = { trackId: 2, handler: 'soun', timescale: 48000, trex: { duration: 1024, flags: SYNC } };

function tracksOf(bytes: Uint8Array): InitTracks {
  const init = readInitSegment(bytes);
  if (!init.ok) throw new Error(init.error.message);
  return init.value;
}
const AV = tracksOf(initSegment(VIDEO, AUDIO));

function facts(bytes: Uint8Array, init: InitTracks = AV) {
  const result = describeFragment(bytes, init);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
function problem(bytes: Uint8Array, init: InitTracks = AV): string {
  const result = describeFragment(bytes, init);
  if (result.ok) throw new Error('expected malformed-mp4');
  expect(result.error.code).toBe('malformed-mp4');
  return result.error.message;
}

/** What ffmpeg 5.1 writes for a part: tfhd defaults (non-sync), trun sizes, first_sample_flags on a keyframe part. */
const ffmpegVideo = (keyframe: boolean, time = 0): TrafSpec => ({
  trackId: 1,
  defaultDuration: 512,
  defaultSize: 1000,
  defaultFlags: NON_SYNC,
  tfdt: { version: 1, time },
  truns: [{ dataOffset: 300, ...(keyframe ? { firstSampleFlags: SYNC } : {}), samples: Array.from({ length: 10 }, () => ({ size: 900 })) }],
});
const ffmpegAudio: TrafSpec = {
  trackId: 2,
  defaultDuration: 1024,
  defaultSize: 200,
  defaultFlags: SYNC,
  truns: [{ dataOffset: 9300, samples: Array.from({ length: 19 }, () => ({ size: 170 })) }],
};

// --- tests --------------------------------------------------------------------------

describe('readInitSegment', () => {
  it('reads each track: track_ID, handler, timescale and the trex defaults', () => {
    expect(AV.tracks).toEqual([
      { trackId: 1, handlerType: 'vide', timescale: 12800, defaultSampleDuration: 0, defaultSampleFlags: 0 },
      { trackId: 2, handlerType: 'soun', timescale: 48000, defaultSampleDuration: 1024, defaultSampleFlags: SYNC },
    ]);
  });

  it('reads version 1 tkhd and mdhd, and a track without trex gets zero defaults', () => {
    const init = tracksOf(initSegment({ trackId: 7, handler: 'vide', timescale: 90000, version: 1 }));
    expect(init.tracks).toEqual([{ trackId: 7, handlerType: 'vide', timescale: 90000, defaultSampleDuration: 0, defaultSampleFlags: 0 }]);
  });

  it('refuses what is not an init segment, a track of timescale 0, a cut trak and a duplicated track', () => {
    const code = (bytes: Uint8Array) => {
      const result = readInitSegment(bytes);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(code(fragment(ffmpegVideo(true)))).toBe('malformed-mp4');
    expect(code(initSegment({ ...VIDEO, timescale: 0 }))).toBe('malformed-mp4');
    expect(code(initSegment(VIDEO, VIDEO))).toBe('malformed-mp4');
    expect(code(box('moov', box('trak', box('mdia'))))).toBe('malformed-mp4');
    expect(code(box('moov'))).toBe('malformed-mp4');
    expect(code(new Uint8Array())).toBe('malformed-mp4');
  });
});

describe('isSyncSampleFlags', () => {
  it('needs sample_is_non_sync_sample clear and sample_depends_on other than 1', () => {
    expect(isSyncSampleFlags(SYNC)).toBe(true);
    expect(isSyncSampleFlags(0)).toBe(true); // depends_on unknown, sync
    expect(isSyncSampleFlags(NON_SYNC)).toBe(false);
    expect(isSyncSampleFlags(0x01000000)).toBe(false); // depends on others, sync bit clear
    expect(isSyncSampleFlags(0x02010000)).toBe(false); // an I-frame marked non-sync (an open-GOP I-frame)
  });
});

describe('describeFragment', () => {
  it('reads a keyframe part as ffmpeg writes it: first_sample_flags over tfhd defaults', () => {
    const result = facts(fragment(ffmpegVideo(true, 25600), ffmpegAudio));
    expect(result).toMatchObject({ independent: true, durationSec: 0.4, decodeTimeSec: 2, referenceTrackId: 1 });
    expect(result.tracks.map((track) => [track.trackId, track.sampleCount, track.durationTicks])).toEqual([
      [1, 10, 5120],
      [2, 19, 19456],
    ]);
  });

  it('a part without first_sample_flags takes the tfhd default flags: not independent', () => {
    expect(facts(fragment(ffmpegVideo(false, 5120), ffmpegAudio))).toMatchObject({
      independent: false,
      durationSec: 0.4,
      decodeTimeSec: 0.4,
    });
  });

  it('falls back to the trex defaults when tfhd has none', () => {
    const init = tracksOf(initSegment({ ...VIDEO, trex: { duration: 256, flags: SYNC } }));
    const bytes = fragment({ trackId: 1, truns: [{ count: 25 }] });
    expect(facts(bytes, init)).toMatchObject({ independent: true, durationSec: 0.5 });
    const nonSync = tracksOf(initSegment({ ...VIDEO, trex: { duration: 256, flags: NON_SYNC } }));
    expect(facts(bytes, nonSync).independent).toBe(false);
  });

  it('uses per-sample durations and flags when the trun has them, first_sample_flags over sample 0', () => {
    const samples = [
      { duration: 500, flags: SYNC },
      { duration: 524, flags: NON_SYNC },
      { duration: 512, flags: NON_SYNC },
    ];
    expect(facts(fragment({ trackId: 1, defaultDuration: 1, defaultFlags: NON_SYNC, truns: [{ samples }] }))).toMatchObject({
      independent: true,
      durationSec: 1536 / 12800,
    });
    expect(facts(fragment({ trackId: 1, truns: [{ firstSampleFlags: NON_SYNC, samples }] })).independent).toBe(false);
    const dependsOnOthers = [{ duration: 512, flags: 0x01000000 }];
    expect(facts(fragment({ trackId: 1, truns: [{ samples: dependsOnOthers }] })).independent).toBe(false);
  });

  it('reads the per-sample size and composition offset fields without mistaking them for durations', () => {
    const samples = Array.from({ length: 4 }, (_, i) => ({
      duration: 512,
      size: 7777,
      flags: i === 0 ? SYNC : NON_SYNC,
      compositionOffset: 1024,
    }));
    expect(facts(fragment({ trackId: 1, truns: [{ dataOffset: 8, samples }] }))).toMatchObject({
      independent: true,
      durationSec: 2048 / 12800,
    });
  });

  it('skips the optional tfhd fields (base_data_offset, sample_description_index) and reads tfdt version 0', () => {
    const bytes = fragment({
      trackId: 1,
      baseIsMoof: false,
      baseDataOffset: 123456789,
      sampleDescriptionIndex: 1,
      defaultDuration: 640,
      defaultSize: 5,
      defaultFlags: SYNC,
      tfdt: { version: 0, time: 128000 },
      truns: [{ count: 20 }],
    });
    expect(facts(bytes)).toMatchObject({ independent: true, durationSec: 1, decodeTimeSec: 10 });
  });

  it('sums several truns, trafs and moofs; the first sample is the first of the first non-empty trun', () => {
    const video = (time: number, firstSampleFlags?: number): TrafSpec => ({
      trackId: 1,
      defaultDuration: 512,
      defaultFlags: NON_SYNC,
      tfdt: { version: 1, time },
      truns: [{ count: 0 }, { count: 5, ...(firstSampleFlags === undefined ? {} : { firstSampleFlags }) }, { count: 5 }],
    });
    const bytes = concat(
      box('styp', ascii('msdh')),
      moof(video(0, SYNC), ffmpegAudio),
      box('mdat', zeros(8)),
      moof(video(5120)),
      box('mdat', zeros(8)),
    );
    const result = facts(bytes);
    expect(result).toMatchObject({ independent: true, durationSec: 0.8, decodeTimeSec: 0 });
    expect(result.tracks[0]?.sampleCount).toBe(20);
  });

  it('a 64-bit box size and a size of 0 (to the end of the file) are read as sizes', () => {
    const mdatLarge = concat(u32(1), ascii('mdat'), u64(16 + 8), zeros(8));
    expect(facts(concat(moof(ffmpegVideo(true)), mdatLarge)).independent).toBe(true);
    const mdatToEnd = concat(u32(0), ascii('mdat'), zeros(100));
    expect(facts(concat(moof(ffmpegVideo(true)), mdatToEnd)).durationSec).toBe(0.4);
  });

  it('without video in the file every part is independent; the audio track gives the timing', () => {
    const init = tracksOf(initSegment({ ...AUDIO, trackId: 1 }));
    const bytes = fragment({
      trackId: 1,
      defaultDuration: 1024,
      defaultFlags: NON_SYNC,
      tfdt: { version: 1, time: 96000 },
      truns: [{ count: 15 }],
    });
    expect(facts(bytes, init)).toMatchObject({ independent: true, durationSec: 0.32, decodeTimeSec: 2, referenceTrackId: 1 });
  });

  it('a part with no video sample in a file with video is not independent; audio gives its duration', () => {
    expect(facts(fragment({ ...ffmpegVideo(true), truns: [{ count: 0 }] }, ffmpegAudio))).toMatchObject({
      independent: false,
      referenceTrackId: 2,
      durationSec: (19 * 1024) / 48000,
    });
    expect(facts(fragment(ffmpegAudio))).toMatchObject({ independent: false, referenceTrackId: 2 });
  });

  it('refuses a part whose traf names an unknown track, lacks tfhd or tfdt, or that has no moof or no mdat', () => {
    expect(problem(fragment({ ...ffmpegVideo(true), trackId: 9 }))).toMatch(/track 9/);
    expect(problem(fragment({ ...ffmpegVideo(true), tfdt: null }))).toMatch(/tfdt/);
    expect(problem(concat(box('moof', box('traf', box('trun'))), box('mdat')))).toMatch(/tfhd/);
    expect(problem(concat(box('styp', ascii('msdh')), box('mdat', zeros(8))))).toMatch(/no moof/);
    expect(problem(concat(box('styp', ascii('msdh')), moof(ffmpegVideo(true))))).toMatch(/mdat/);
  });

  it('refuses a tfhd or trun shorter than its flags say, and a sample_count its trun cannot hold', () => {
    const shortTfhd = box('moof', box('traf', fullBox('tfhd', 0, 0x38, u32(1), u32(512)), fullBox('tfdt', 1, 0, u64(0))));
    expect(problem(concat(shortTfhd, box('mdat')))).toMatch(/tfhd/);
    const lying = fullBox('trun', 0, 0x100, u32(1_000_000), u32(512));
    const bytes = concat(box('moof', box('traf', fullBox('tfhd', 0, 0, u32(1)), fullBox('tfdt', 1, 0, u64(0)), lying)), box('mdat'));
    expect(problem(bytes)).toMatch(/claims 1000000 samples/);
  });

  it('refuses box sizes that overrun their container, undercut their header or leave stray bytes', () => {
    const good = fragment(ffmpegVideo(true), ffmpegAudio);
    const overrun = good.slice();
    new DataView(overrun.buffer).setUint32(0, good.length + 1); // styp claims more than the file
    expect(problem(overrun)).toMatch(/styp/);
    const undersized = good.slice();
    new DataView(undersized.buffer).setUint32(0, 4);
    expect(problem(undersized)).toMatch(/says 4 bytes/);
    expect(problem(concat(good, zeros(5)))).toMatch(/stray/);
    const hugeLarge = concat(u32(1), ascii('mdat'), u64(Number.MAX_SAFE_INTEGER), zeros(8));
    expect(problem(concat(moof(ffmpegVideo(true)), hugeLarge))).toMatch(/mdat/);
  });

  it('every truncation of a part is refused, never thrown', () => {
    const good = fragment(ffmpegVideo(true), ffmpegAudio);
    for (let length = 0; length < good.length; length++) {
      const result = describeFragment(good.subarray(0, length), AV);
      expect(result.ok, `cut at ${length}`).toBe(false);
    }
    expect(describeFragment(good, AV).ok).toBe(true);
  });

  it('random bytes and random corruptions of a part give a value, never an exception (fast-check)', () => {
    const good = fragment(ffmpegVideo(true), ffmpegAudio);
    const init = initSegment(VIDEO, AUDIO);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(typeof describeFragment(bytes, AV).ok).toBe('boolean');
        expect(typeof readInitSegment(bytes).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        for (const original of [good, init]) {
          const bytes = original.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const result = original === good ? describeFragment(bytes, AV) : readInitSegment(bytes);
          if (!result.ok) expect(result.error.code).toBe('malformed-mp4');
        }
      }),
      { numRuns: 500 },
    );
  });
});

const run = promisify(execFile);

describe('real ffmpeg parts (runs real ffmpeg)', () => {
  it('finds the keyframe parts ffmpeg cuts on time, with durations that add up, and their segment decodes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hlscdn-fmp4-boxes-'));
    try {
      // 3 s at 25 fps in parts of 0.4 s (10 frames), keyframes forced every 2 s: p0 and p5 start on one.
      await run(
        'ffmpeg',
        // prettier-ignore
        [
          '-hide_banner', '-loglevel', 'error', '-nostdin',
          '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=f=1000:r=48000', '-t', '3',
          '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency',
          '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-force_key_frames', 'expr:gte(t,n_forced*2)',
          '-c:a', 'aac', '-b:a', '64k',
          '-f', 'hls', '-hls_time', '0.4', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4',
          '-hls_flags', 'split_by_time+independent_segments+temp_file', '-hls_list_size', '0',
          '-hls_segment_filename', join(dir, 'p%d.m4s'), join(dir, 'index.m3u8'),
        ],
        { timeout: 20_000 },
      );
      const playlist = await readFile(join(dir, 'index.m3u8'), 'utf8');
      const names = playlist.split('\n').filter((line) => /^p\d+\.m4s$/.test(line));
      const ffmpegDurations = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].map((match) => Number(match[1]));
      expect(names).toEqual(['p0.m4s', 'p1.m4s', 'p2.m4s', 'p3.m4s', 'p4.m4s', 'p5.m4s', 'p6.m4s', 'p7.m4s']);

      const init = readInitSegment(await readFile(join(dir, 'init.mp4')));
      expect(init.ok && init.value.tracks.map((track) => track.handlerType)).toEqual(['vide', 'soun']);
      if (!init.ok) return;
      const parts = await Promise.all(names.map((name) => readFile(join(dir, name))));
      const described = parts.map((bytes) => describeFragment(bytes, init.value));
      const partFacts = described.map((result) => {
        if (!result.ok) throw new Error(result.error.message);
        return result.value;
      });

      expect(partFacts.map((part, i) => (part.independent ? i : -1)).filter((i) => i >= 0)).toEqual([0, 5]);
      partFacts.forEach((part, i) => {
        expect(part.durationSec).toBeCloseTo(ffmpegDurations[i]!, 5);
        if (i > 0) expect(part.decodeTimeSec).toBeCloseTo(partFacts[i - 1]!.decodeTimeSec + partFacts[i - 1]!.durationSec, 6);
      });
      expect(partFacts.reduce((sum, part) => sum + part.durationSec, 0)).toBeCloseTo(3, 3);

      // The packager's first segment (p0..p4 concatenated) reads as one 2 s independent fragment and decodes.
      const packager = new PartPackager({
        partTargetSec: 0.4,
        segmentTargetSec: 2,
        windowSegments: 5,
        initUri: 'init.mp4',
        firstMsn: 0,
        firstPartNumber: 0,
      });
      const steps = parts.map((bytes, i) =>
        packager.addPart({ bytes, durationSec: partFacts[i]!.durationSec, independent: partFacts[i]!.independent }),
      );
      const segment = steps[5]?.completedSegment;
      expect(segment?.uri).toBe('seg_00000.m4s');
      const whole = describeFragment(segment!.bytes, init.value);
      expect(whole.ok && [whole.value.independent, whole.value.durationSec]).toEqual([true, 2]);
      await writeFile(join(dir, 'seg0.mp4'), concat(await readFile(join(dir, 'init.mp4')), segment!.bytes));
      const probe = await run(
        'ffprobe',
        [
          '-v',
          'error',
          '-count_frames',
          '-select_streams',
          'v:0',
          '-show_entries',
          'stream=nb_read_frames',
          '-of',
          'csv=p=0',
          join(dir, 'seg0.mp4'),
        ],
        {
          timeout: 20_000,
        },
      );
      expect(probe.stdout.trim()).toBe('50');
      expect(checkLowLatencyPlaylist(packager.playlist())).toEqual([]);
      expect(packager.flush()?.completedSegment.partUris).toEqual(['part5.m4s', 'part6.m4s', 'part7.m4s']);
      expect(checkLowLatencyPlaylist(packager.finalPlaylist())).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
