/**
 * Reads the few facts the low-latency packager needs from fragmented MP4 (ISO/IEC
 * 14496-12): the tracks of ffmpeg's init segment, and of each part ffmpeg writes
 * (`styp`, `sidx`, `moof`, `mdat`) whether its video starts on a sync sample, how
 * long it is and where it sits on the timeline. The packager cannot take ffmpeg's
 * word for either: its playlist gives part durations rounded to microseconds and
 * says nothing of keyframes, while a segment must start on one (EXT-X-INDEPENDENT-SEGMENTS)
 * and a part with a keyframe should say INDEPENDENT=YES (rfc8216bis 4.4.4.9).
 *
 * Pure and total: bytes in, facts or a 'malformed-mp4' problem out. Every read is
 * bounds-checked and every loop is bounded by the bytes it walks, so a truncated file
 * or a box that lies about its size or sample count is an error value, never an
 * exception or a hang.
 */
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';

export type Mp4Problem = CodedProblem<'malformed-mp4'>;

export interface InitTrack {
  /** track_ID from `tkhd`. */
  readonly trackId: number;
  /** handler_type from `mdia/hdlr`: 'vide', 'soun', 'subt'... */
  readonly handlerType: string;
  /** Ticks per second, from `mdia/mdhd`. */
  readonly timescale: number;
  /** From `moov/mvex/trex` (0 when the file has no trex for the track). */
  readonly defaultSampleDuration: number;
  readonly defaultSampleFlags: number;
}

export interface InitTracks {
  /** In the order of the `trak` boxes. */
  readonly tracks: readonly InitTrack[];
}

export interface FragmentTrack {
  readonly trackId: number;
  readonly handlerType: string;
  readonly sampleCount: number;
  /** Sum of the track's sample durations in this fragment, in its timescale's ticks. */
  readonly durationTicks: number;
  /** baseMediaDecodeTime of the track's first `traf`, in ticks. */
  readonly baseDecodeTimeTicks: number;
  /** sample_flags of the track's first sample (after the trun -> tfhd -> trex fallbacks). */
  readonly firstSampleFlags: number | undefined;
}

export interface FragmentFacts {
  /**
   * The first sample of the video track is a sync sample: sample_is_non_sync_sample clear
   * and sample_depends_on not 1. A fragment of a file without video is independent; one
   * that carries no video samples although the file has video is not.
   */
  readonly independent: boolean;
  /** Duration of the reference track (the video track, else the first track with samples), seconds. */
  readonly durationSec: number;
  /** Decode time of the reference track's first sample (tfdt), seconds. */
  readonly decodeTimeSec: number;
  /** track_ID of the reference track. */
  readonly referenceTrackId: number;
  /** Every track with a `traf` in the fragment, in init order. */
  readonly tracks: readonly FragmentTrack[];
}

/** sample_is_non_sync_sample (ISO/IEC 14496-12 8.8.3.1). */
const NON_SYNC_SAMPLE = 0x10000;

/** Whether sample_flags describe a sample a decoder can start at. */
export function isSyncSampleFlags(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3;
  return (flags & NON_SYNC_SAMPLE) === 0 && dependsOn !== 1;
}

interface Box {
  readonly type: string;
  readonly start: number;
  readonly bodyStart: number;
  readonly end: number;
}

const malformed = (message: string) => fail('malformed-mp4', message);

/** The boxes in bytes [from, to): a size that overruns its container or is under its own header is malformed. */
function childBoxes(bytes: Uint8Array, from: number, to: number): Result<Box[], Mp4Problem> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let offset = from;
  while (offset < to) {
    if (to - offset < 8) return malformed(`${to - offset} stray bytes at offset ${offset}`);
    let size = view.getUint32(offset);
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    let header = 8;
    if (size === 1) {
      if (to - offset < 16) return malformed(`box '${type}' at offset ${offset} is cut in its 64-bit size`);
      const large = view.getBigUint64(offset + 8);
      size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (type === 'uuid') header += 16;
    if (size < header || size > to - offset) {
      return malformed(`box '${type}' at offset ${offset} says ${size} bytes but ${to - offset} remain`);
    }
    boxes.push({ type, start: offset, bodyStart: offset + header, end: offset + size });
    offset += size;
  }
  return ok(boxes);
}

/** Reads big-endian fields within [start, end); a read past end sets `short` and yields 0. */
class FieldReader {
  short = false;
  private offset: number;
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private take(n: number): number | undefined {
    if (this.short || this.end - this.offset < n) {
      this.short = true;
      return undefined;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  skip(n: number): void {
    this.take(n);
  }

  u32(): number {
    const at = this.take(4);
    return at === undefined ? 0 : this.view.getUint32(at);
  }

  u64(): number {
    const at = this.take(8);
    if (at === undefined) return 0;
    const value = this.view.getBigUint64(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.short = true;
      return 0;
    }
    return Number(value);
  }

  fourCc(): string {
    const at = this.take(4);
    if (at === undefined) return '';
    return String.fromCharCode(...[0, 1, 2, 3].map((i) => this.view.getUint8(at + i)));
  }

  /** The FullBox header: version and flags. */
  fullBox(): { version: number; flags: number } {
    const word = this.u32();
    return { version: word >>> 24, flags: word & 0xffffff };
  }
}

function reader(bytes: Uint8Array, box: Box): FieldReader {
  return new FieldReader(bytes, box.bodyStart, box.end);
}

function findChild(boxes: readonly Box[], type: string): Box | undefined {
  return boxes.find((box) => box.type === type);
}

/** Descends a path of container boxes; undefined when a step is missing, a problem when one is malformed. */
function descend(bytes: Uint8Array, box: Box, path: readonly string[]): Result<Box | undefined, Mp4Problem> {
  let current = box;
  for (const type of path) {
    const children = childBoxes(bytes, current.bodyStart, current.end);
    if (!children.ok) return children;
    const next = findChild(children.value, type);
    if (!next) return ok(undefined);
    current = next;
  }
  return ok(current);
}

interface TrakFacts {
  trackId: number;
  handlerType: string;
  timescale: number;
}

function readTrak(bytes: Uint8Array, trak: Box): Result<TrakFacts, Mp4Problem> {
  const tkhd = descend(bytes, trak, ['tkhd']);
  if (!tkhd.ok) return tkhd;
  const mdhd = descend(bytes, trak, ['mdia', 'mdhd']);
  if (!mdhd.ok) return mdhd;
  const hdlr = descend(bytes, trak, ['mdia', 'hdlr']);
  if (!hdlr.ok) return hdlr;
  if (!tkhd.value) return malformed('a trak has no tkhd');
  if (!mdhd.value) return malformed('a trak has no mdia/mdhd');
  if (!hdlr.value) return malformed('a trak has no mdia/hdlr');

  const t = reader(bytes, tkhd.value);
  const tkhdHeader = t.fullBox();
  t.skip(tkhdHeader.version === 1 ? 16 : 8); // creation_time, modification_time
  const trackId = t.u32();

  const m = reader(bytes, mdhd.value);
  const mdhdHeader = m.fullBox();
  m.skip(mdhdHeader.version === 1 ? 16 : 8);
  const timescale = m.u32();

  const h = reader(bytes, hdlr.value);
  h.fullBox();
  h.skip(4); // pre_defined
  const handlerType = h.fourCc();

  if (t.short || m.short || h.short) return malformed(`the tkhd, mdhd or hdlr of a trak is cut short`);
  if (timescale === 0) return malformed(`track ${trackId} has a timescale of 0`);
  return ok({ trackId, handlerType, timescale });
}

/** The tracks of an init segment (`ftyp` + `moov`), with their `trex` defaults. */
export function readInitSegment(bytes: Uint8Array): Result<InitTracks, Mp4Problem> {
  const top = childBoxes(bytes, 0, bytes.byteLength);
  if (!top.ok) return top;
  const moov = findChild(top.value, 'moov');
  if (!moov) return malformed('no moov box: not an init segment');
  const moovChildren = childBoxes(bytes, moov.bodyStart, moov.end);
  if (!moovChildren.ok) return moovChildren;

  const defaults = new Map<number, { duration: number; flags: number }>();
  const mvex = findChild(moovChildren.value, 'mvex');
  if (mvex) {
    const mvexChildren = childBoxes(bytes, mvex.bodyStart, mvex.end);
    if (!mvexChildren.ok) return mvexChildren;
    for (const trex of mvexChildren.value.filter((box) => box.type === 'trex')) {
      const r = reader(bytes, trex);
      r.fullBox();
      const trackId = r.u32();
      r.skip(4); // default_sample_description_index
      const duration = r.u32();
      r.skip(4); // default_sample_size
      const flags = r.u32();
      if (r.short) return malformed(`a trex box is cut short`);
      defaults.set(trackId, { duration, flags });
    }
  }

  const tracks: InitTrack[] = [];
  for (const trak of moovChildren.value.filter((box) => box.type === 'trak')) {
    const facts = readTrak(bytes, trak);
    if (!facts.ok) return facts;
    if (tracks.some((track) => track.trackId === facts.value.trackId)) return malformed(`two traks have track_ID ${facts.value.trackId}`);
    const trex = defaults.get(facts.value.trackId);
    tracks.push({ ...facts.value, defaultSampleDuration: trex?.duration ?? 0, defaultSampleFlags: trex?.flags ?? 0 });
  }
  if (tracks.length === 0) return malformed('the moov box has no trak');
  return ok({ tracks });
}

// tfhd flags (14496-12 8.8.7.1)
const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
const TFHD_DEFAULT_DURATION = 0x8;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;
// trun flags (14496-12 8.8.8.1)
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_COMPOSITION_OFFSET = 0x800;

interface TrackTotals {
  samples: number;
  ticks: number;
  baseDecodeTime: number | undefined;
  firstSampleFlags: number | undefined;
}

/** Adds one `traf` to the totals of its track. */
function readTraf(bytes: Uint8Array, traf: Box, init: InitTracks, totals: Map<number, TrackTotals>): Result<void, Mp4Problem> {
  const children = childBoxes(bytes, traf.bodyStart, traf.end);
  if (!children.ok) return children;
  const tfhd = findChild(children.value, 'tfhd');
  if (!tfhd) return malformed('a traf has no tfhd');
  const h = reader(bytes, tfhd);
  const { flags } = h.fullBox();
  const trackId = h.u32();
  if (flags & TFHD_BASE_DATA_OFFSET) h.skip(8);
  if (flags & TFHD_SAMPLE_DESCRIPTION_INDEX) h.skip(4);
  const tfhdDuration = flags & TFHD_DEFAULT_DURATION ? h.u32() : undefined;
  if (flags & TFHD_DEFAULT_SIZE) h.skip(4);
  const tfhdFlags = flags & TFHD_DEFAULT_FLAGS ? h.u32() : undefined;
  // duration-is-empty (0x10000) and default-base-is-moof (0x20000) only place the data; they change no fact read here.
  if (h.short) return malformed(`the tfhd of track ${trackId} is shorter than its flags ${flags.toString(16)} say`);

  const track = init.tracks.find((candidate) => candidate.trackId === trackId);
  if (!track) return malformed(`a traf names track ${trackId}, which the init segment does not have`);
  const defaultDuration = tfhdDuration ?? track.defaultSampleDuration;
  const defaultFlags = tfhdFlags ?? track.defaultSampleFlags;

  const tfdt = findChild(children.value, 'tfdt');
  if (!tfdt) return malformed(`the traf of track ${trackId} has no tfdt (HLS requires one: rfc8216bis 3.1.2)`);
  const d = reader(bytes, tfdt);
  const decode = d.fullBox().version === 1 ? d.u64() : d.u32();
  if (d.short) return malformed(`the tfdt of track ${trackId} is cut short`);

  const total = totals.get(trackId) ?? { samples: 0, ticks: 0, baseDecodeTime: undefined, firstSampleFlags: undefined };
  totals.set(trackId, total);
  total.baseDecodeTime ??= decode;

  for (const trun of children.value.filter((box) => box.type === 'trun')) {
    const r = reader(bytes, trun);
    const { flags: trunFlags } = r.fullBox();
    const count = r.u32();
    if (trunFlags & TRUN_DATA_OFFSET) r.skip(4);
    const firstFlags = trunFlags & TRUN_FIRST_SAMPLE_FLAGS ? r.u32() : undefined;
    const fields = [TRUN_DURATION, TRUN_SIZE, TRUN_FLAGS, TRUN_COMPOSITION_OFFSET].filter((bit) => trunFlags & bit).length;
    // Checked before the loop: a lying sample_count cannot make it run past the box.
    if (r.short || count * fields * 4 > r.remaining) {
      return malformed(`the trun of track ${trackId} claims ${count} samples its ${trun.end - trun.start} bytes cannot hold`);
    }
    if (fields === 0) {
      // Every sample takes the defaults: counted, not looped, so a huge sample_count costs nothing.
      if (count > 0 && total.samples === 0) total.firstSampleFlags = firstFlags ?? defaultFlags;
      total.samples += count;
      total.ticks += count * defaultDuration;
      continue;
    }
    for (let i = 0; i < count; i++) {
      const duration = trunFlags & TRUN_DURATION ? r.u32() : defaultDuration;
      if (trunFlags & TRUN_SIZE) r.skip(4);
      const sampleFlags = trunFlags & TRUN_FLAGS ? r.u32() : defaultFlags;
      if (trunFlags & TRUN_COMPOSITION_OFFSET) r.skip(4);
      if (total.samples === 0) total.firstSampleFlags = firstFlags ?? sampleFlags;
      total.samples += 1;
      total.ticks += duration;
    }
  }
  return ok(undefined);
}

/** Facts of a media fragment (one ffmpeg part: `styp`, `sidx`..., `moof`, `mdat`; several moofs are summed). */
export function describeFragment(bytes: Uint8Array, init: InitTracks): Result<FragmentFacts, Mp4Problem> {
  const top = childBoxes(bytes, 0, bytes.byteLength);
  if (!top.ok) return top;
  const moofs = top.value.filter((box) => box.type === 'moof');
  if (moofs.length === 0) return malformed('no moof box: not a media fragment');
  // A file cut right after a box still parses as boxes; its samples' mdat is what is missing.
  const lastMoof = moofs.at(-1)!;
  if (!top.value.some((box) => box.type === 'mdat' && box.start > lastMoof.start)) {
    return malformed(`the moof at offset ${lastMoof.start} has no mdat after it (a cut file?)`);
  }

  const totals = new Map<number, TrackTotals>();
  for (const moof of moofs) {
    const children = childBoxes(bytes, moof.bodyStart, moof.end);
    if (!children.ok) return children;
    for (const traf of children.value.filter((box) => box.type === 'traf')) {
      const read = readTraf(bytes, traf, init, totals);
      if (!read.ok) return read;
    }
  }

  const tracks: FragmentTrack[] = init.tracks
    .filter((track) => totals.has(track.trackId))
    .map((track) => {
      const total = totals.get(track.trackId)!;
      return {
        trackId: track.trackId,
        handlerType: track.handlerType,
        sampleCount: total.samples,
        durationTicks: total.ticks,
        baseDecodeTimeTicks: total.baseDecodeTime ?? 0,
        firstSampleFlags: total.firstSampleFlags,
      };
    });
  const hasVideo = init.tracks.some((track) => track.handlerType === 'vide');
  const withSamples = tracks.filter((track) => track.sampleCount > 0);
  const reference = withSamples.find((track) => track.handlerType === 'vide') ?? withSamples[0] ?? tracks[0];
  if (!reference) return malformed('the moof has no traf');
  const timescale = init.tracks.find((track) => track.trackId === reference.trackId)!.timescale;

  let independent: boolean;
  if (reference.handlerType === 'vide') {
    independent = reference.firstSampleFlags !== undefined && isSyncSampleFlags(reference.firstSampleFlags);
  } else {
    independent = !hasVideo;
  }
  return ok({
    independent,
    durationSec: reference.durationTicks / timescale,
    decodeTimeSec: reference.baseDecodeTimeTicks / timescale,
    referenceTrackId: reference.trackId,
    tracks,
  });
}
