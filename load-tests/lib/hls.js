// @ts-check
/**
 * The pure part of a simulated HLS viewer: reading playlists, resolving their
 * URIs, choosing a variant, the live reload schedule and which segments are new,
 * and for low-latency HLS (RFC 8216bis) the start part, the blocking reload and
 * which parts are new.
 * No k6 imports, no I/O, no clock: time comes in as arguments. The k6 player
 * (player.js), the vitest tests (test/load-tests/hls-logic.test.ts) and the
 * in-process benchmark players (bench/) all run this same file.
 *
 * Written in ES2020 without the WHATWG URL class: the k6 versions this must run
 * on do not all have a global URL, and @types/k6 does not declare one.
 */

/**
 * @typedef {object} Variant
 * @property {string} uri  As written in the master playlist (resolve it against the master's URL).
 * @property {number} bandwidth  BANDWIDTH, bits/s.
 * @property {string} [resolution]  RESOLUTION, e.g. "640x360".
 * @property {string} [codecs]  CODECS.
 * @property {string} [pathwayId]  PATHWAY-ID: the pathway (redundant stream, Content Steering) it belongs to.
 */

/**
 * @typedef {object} Segment
 * @property {string} uri  As written in the media playlist.
 * @property {number} duration  EXTINF, seconds.
 * @property {number} msn  Media sequence number: EXT-X-MEDIA-SEQUENCE + position.
 * @property {string} [map]  URI of the EXT-X-MAP (fMP4 init segment) that applies to it.
 * @property {number} [programDateTime]  EXT-X-PROGRAM-DATE-TIME of the segment, ms since the epoch.
 */

/**
 * @typedef {object} MediaPlaylist
 * @property {number} targetDuration  EXT-X-TARGETDURATION, seconds.
 * @property {number} mediaSequence  EXT-X-MEDIA-SEQUENCE (0 when absent, RFC 8216 4.3.3.2).
 * @property {boolean} endList  EXT-X-ENDLIST present: VOD or a finished event.
 * @property {Segment[]} segments
 * @property {ServerControl} [serverControl]  EXT-X-SERVER-CONTROL, when present.
 * @property {number} [partTarget]  EXT-X-PART-INF PART-TARGET, seconds: the stream has parts (LL-HLS).
 * @property {Part[]} [parts]  EXT-X-PART tags in playlist order, when any.
 * @property {string} [preloadHint]  URI of the EXT-X-PRELOAD-HINT with TYPE=PART: the part after the last one listed.
 */

/**
 * EXT-X-SERVER-CONTROL (RFC 8216bis 4.4.3.8).
 * @typedef {object} ServerControl
 * @property {boolean} canBlockReload  CAN-BLOCK-RELOAD=YES: the server holds `_HLS_msn`/`_HLS_part` reloads until they can be answered.
 * @property {number} [partHoldBack]  PART-HOLD-BACK, seconds: how far from the live edge a low-latency viewer plays.
 * @property {number} [canSkipUntil]  CAN-SKIP-UNTIL, seconds: the server offers delta updates (`_HLS_skip`).
 */

/**
 * An EXT-X-PART: a partial segment of a low-latency stream (RFC 8216bis 4.4.4.9).
 * @typedef {object} Part
 * @property {string} uri  As written in the media playlist.
 * @property {number} duration  DURATION, seconds.
 * @property {number} msn  Media sequence number of the segment it belongs to: the next segment listed after it, or the one in progress.
 * @property {number} index  Its position in that segment, from 0.
 * @property {boolean} independent  INDEPENDENT=YES: starts with an independent frame, so playback can start there.
 * @property {string} [map]  URI of the EXT-X-MAP that applies to it.
 * @property {number} [programDateTime]  Start of the part, ms since the epoch: the last EXT-X-PROGRAM-DATE-TIME counted forward by the durations since.
 */

/**
 * Where a low-latency viewer is: the last part it fetched, part `part` of segment `msn`.
 * @typedef {object} PartPosition
 * @property {number} msn
 * @property {number} part  Index in the segment; -1 for "none of segment `msn` yet" (so `{ msn: m + 1, part: -1 }` is "all of segment m").
 * @property {string} [uri]  Its URI as written in the playlist, when known. Matched (by path) before the position: a hinted
 *   part is fetched before its position is certain (at a segment's end it may turn out to be part 0 of the next one).
 */

/**
 * @typedef {object} PlaylistError
 * @property {'not-a-playlist' | 'not-a-master' | 'not-a-media-playlist' | 'no-target-duration' | 'no-variants'} code
 * @property {string} message
 */

/**
 * @template T
 * @typedef {{ ok: true, value: T } | { ok: false, error: PlaylistError }} Result
 */

// ---------------------------------------------------------------- URL resolution

/**
 * Splits an absolute URL into RFC 3986 components (appendix B's regular expression).
 * @param {string} url
 */
function splitUrl(url) {
  const m = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url);
  // The expression matches every string; the guard is for the type checker.
  if (!m) return { scheme: undefined, authority: undefined, path: '', query: undefined };
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4] };
}

/**
 * RFC 3986 5.2.4: removes "." and ".." segments.
 * @param {string} path
 */
function removeDotSegments(path) {
  /** @type {string[]} */
  const output = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (segment === '.') {
      if (last) output.push('');
    } else if (segment === '..') {
      // Never above the root: the leading '' of an absolute path stays.
      if (output.length > 1 || (output.length === 1 && output[0] !== '')) output.pop();
      if (last) output.push('');
    } else {
      output.push(segment ?? '');
    }
  }
  const joined = output.join('/');
  return path.startsWith('/') && !joined.startsWith('/') ? `/${joined}` : joined;
}

/**
 * RFC 3986 5.2.3: the reference's path appended to the base's directory.
 * @param {string | undefined} baseAuthority
 * @param {string} basePath
 * @param {string} refPath
 */
function mergePaths(baseAuthority, basePath, refPath) {
  if (baseAuthority !== undefined && basePath === '') return `/${refPath}`;
  return basePath.slice(0, basePath.lastIndexOf('/') + 1) + refPath;
}

/**
 * Resolves a URI reference from a playlist against the URL the playlist was
 * actually fetched from (after redirects), as RFC 8216 4.1 asks (RFC 3986 5.2.2).
 * Handles absolute, network-path (`//host/x`), absolute-path (`/x`), relative
 * (`a/b`, `../b`) and query-only (`?x`) references; fragments are dropped
 * (they never reach the server). Query strings may contain '/' and stay intact.
 * @param {string} base  Absolute URL, e.g. `http://edge:8081/live/v0/index.m3u8?token=1`.
 * @param {string} ref
 * @returns {string}
 */
export function resolveUrl(base, ref) {
  const r = splitUrl(ref.trim());
  const b = splitUrl(base);
  const withQuery = (/** @type {string} */ head, /** @type {string | undefined} */ query) =>
    query === undefined ? head : `${head}?${query}`;
  if (r.scheme !== undefined)
    return withQuery(`${r.scheme}:${r.authority === undefined ? '' : `//${r.authority}`}${removeDotSegments(r.path)}`, r.query);
  const prefix = `${b.scheme}:`;
  if (r.authority !== undefined) return withQuery(`${prefix}//${r.authority}${removeDotSegments(r.path)}`, r.query);
  const authority = b.authority === undefined ? '' : `//${b.authority}`;
  if (r.path === '') return withQuery(`${prefix}${authority}${b.path}`, r.query ?? b.query);
  const path = r.path.startsWith('/') ? removeDotSegments(r.path) : removeDotSegments(mergePaths(b.authority, b.path, r.path));
  return withQuery(`${prefix}${authority}${path}`, r.query);
}

/**
 * `scheme://host:port` of an absolute URL: which server (edge) a URL goes to.
 * @param {string} url
 */
export function originOf(url) {
  const parts = splitUrl(url);
  return `${parts.scheme}://${parts.authority ?? ''}`;
}

// ---------------------------------------------------------------- playlists

/**
 * Attribute list of a tag (RFC 8216 4.2): `KEY=value,KEY="quoted, with commas"`.
 * @param {string} list  The text after the tag's colon.
 * @returns {Record<string, string>}
 */
export function parseAttributes(list) {
  /** @type {Record<string, string>} */
  const attributes = {};
  const pattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;
  let m;
  while ((m = pattern.exec(list)) !== null) {
    const value = m[2] ?? '';
    attributes[m[1] ?? ''] = value.startsWith('"') ? value.slice(1, -1) : value;
  }
  return attributes;
}

/** @param {string} text */
function lines(text) {
  return text.split(/\r?\n/).map((line) => line.trim());
}

/**
 * A master (multivariant) playlist has EXT-X-STREAM-INF: decided from the
 * content, never from the file name.
 * @param {string} text
 */
export function isMasterPlaylist(text) {
  return /^#EXT-X-STREAM-INF:/m.test(text);
}

/**
 * The variants of a master playlist, in playlist order.
 * @param {string} text
 * @returns {Result<Variant[]>}
 */
export function parseMasterPlaylist(text) {
  const all = lines(text);
  if (all[0] !== '#EXTM3U') return { ok: false, error: { code: 'not-a-playlist', message: 'the text does not start with #EXTM3U' } };
  if (!isMasterPlaylist(text))
    return { ok: false, error: { code: 'not-a-master', message: 'no EXT-X-STREAM-INF: this is a media playlist' } };
  /** @type {Variant[]} */
  const variants = [];
  /** @type {Record<string, string> | undefined} */
  let pending;
  for (const line of all) {
    if (line.startsWith('#EXT-X-STREAM-INF:')) pending = parseAttributes(line.slice('#EXT-X-STREAM-INF:'.length));
    else if (pending && line !== '' && !line.startsWith('#')) {
      /** @type {Variant} */
      const variant = { uri: line, bandwidth: Number(pending.BANDWIDTH ?? 0) };
      if (pending.RESOLUTION !== undefined) variant.resolution = pending.RESOLUTION;
      if (pending.CODECS !== undefined) variant.codecs = pending.CODECS;
      if (pending['PATHWAY-ID'] !== undefined) variant.pathwayId = pending['PATHWAY-ID'];
      variants.push(variant);
      pending = undefined;
    }
  }
  if (variants.length === 0) return { ok: false, error: { code: 'no-variants', message: 'EXT-X-STREAM-INF without a URI line' } };
  return { ok: true, value: variants };
}

/**
 * Target duration, media sequence, ENDLIST and the segments of a media playlist.
 * Tags between EXTINF and its URI line (PROGRAM-DATE-TIME, BYTERANGE...) are allowed.
 * @param {string} text
 * @returns {Result<MediaPlaylist>}
 */
export function parseMediaPlaylist(text) {
  const all = lines(text);
  if (all[0] !== '#EXTM3U') return { ok: false, error: { code: 'not-a-playlist', message: 'the text does not start with #EXTM3U' } };
  if (isMasterPlaylist(text))
    return { ok: false, error: { code: 'not-a-media-playlist', message: 'EXT-X-STREAM-INF: this is a master playlist' } };
  let targetDuration = Number.NaN;
  let mediaSequence = 0;
  let endList = false;
  /** @type {Segment[]} */
  const segments = [];
  /** @type {number | undefined} */
  let duration;
  /** @type {string | undefined} */
  let map;
  /** @type {number | undefined} */
  let programDateTime;
  // Low-latency HLS (RFC 8216bis): parts come before the segment they make up.
  /** @type {Omit<MediaPlaylist, 'targetDuration' | 'mediaSequence' | 'endList' | 'segments'>} */
  const lowLatency = {};
  /** @type {Part[]} */
  const parts = [];
  // Start of the segment being listed (ms since the epoch), counted forward from the last date: its parts start from it.
  /** @type {number | undefined} */
  let segmentStart;
  let partsSec = 0;
  let partIndex = 0;
  for (const line of all) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) mediaSequence = Number(line.slice(22));
    else if (line === '#EXT-X-ENDLIST') endList = true;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-MAP:')) map = parseAttributes(line.slice(11)).URI;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const at = Date.parse(line.slice(25));
      programDateTime = Number.isNaN(at) ? undefined : at;
      // The date is the start of the next segment (RFC 8216 4.3.2.6), so of its first part too.
      if (programDateTime !== undefined) segmentStart = programDateTime;
    } else if (line.startsWith('#EXT-X-SERVER-CONTROL:')) lowLatency.serverControl = parseServerControl(line.slice(22));
    else if (line.startsWith('#EXT-X-PART-INF:')) {
      const partTarget = Number(parseAttributes(line.slice(16))['PART-TARGET']);
      if (partTarget > 0) lowLatency.partTarget = partTarget;
    } else if (line.startsWith('#EXT-X-PART:')) {
      const attributes = parseAttributes(line.slice(12));
      const partDuration = Number(attributes.DURATION);
      // A part without a URI or a duration is malformed: skipped, like an EXTINF without a URI line.
      if (attributes.URI === undefined || !(partDuration >= 0)) continue;
      /** @type {Part} */
      const part = {
        uri: attributes.URI,
        duration: partDuration,
        msn: mediaSequence + segments.length,
        index: partIndex,
        independent: attributes.INDEPENDENT === 'YES',
      };
      if (map !== undefined) part.map = map;
      if (segmentStart !== undefined) part.programDateTime = segmentStart + partsSec * 1000;
      parts.push(part);
      partIndex += 1;
      partsSec += partDuration;
    } else if (line.startsWith('#EXT-X-PRELOAD-HINT:')) {
      const attributes = parseAttributes(line.slice(20));
      if (attributes.TYPE === 'PART' && attributes.URI !== undefined) lowLatency.preloadHint = attributes.URI;
    } else if (line !== '' && !line.startsWith('#') && duration !== undefined) {
      /** @type {Segment} */
      const segment = { uri: line, duration, msn: mediaSequence + segments.length };
      if (map !== undefined) segment.map = map;
      if (programDateTime !== undefined) segment.programDateTime = programDateTime;
      segments.push(segment);
      if (segmentStart !== undefined) segmentStart += duration * 1000;
      duration = undefined;
      partsSec = 0;
      partIndex = 0;
      // A date applies to the next segment only; later ones follow from the durations.
      programDateTime = undefined;
    }
  }
  if (!(targetDuration > 0))
    return { ok: false, error: { code: 'no-target-duration', message: 'EXT-X-TARGETDURATION is missing or not positive' } };
  if (parts.length > 0) lowLatency.parts = parts;
  return { ok: true, value: { targetDuration, mediaSequence, endList, segments, ...lowLatency } };
}

/**
 * EXT-X-SERVER-CONTROL's attributes; numbers that are missing or malformed are left out.
 * @param {string} list  The text after the tag's colon.
 * @returns {ServerControl}
 */
function parseServerControl(list) {
  const attributes = parseAttributes(list);
  /** @type {ServerControl} */
  const control = { canBlockReload: attributes['CAN-BLOCK-RELOAD'] === 'YES' };
  const partHoldBack = Number(attributes['PART-HOLD-BACK']);
  if (attributes['PART-HOLD-BACK'] !== undefined && partHoldBack >= 0) control.partHoldBack = partHoldBack;
  const canSkipUntil = Number(attributes['CAN-SKIP-UNTIL']);
  if (attributes['CAN-SKIP-UNTIL'] !== undefined && canSkipUntil >= 0) control.canSkipUntil = canSkipUntil;
  return control;
}

// ---------------------------------------------------------------- player decisions

/** @typedef {'random' | 'lowest' | 'highest'} VariantChoice */

/**
 * The pathway a variant belongs to: its PATHWAY-ID, "." without one (HLS
 * Content Steering specification).
 * @param {Variant} variant
 */
export function pathwayOf(variant) {
  return variant.pathwayId ?? '.';
}

/**
 * The pathway a viewer starts on: PRIMARY when the master offers it (the
 * rewriter's redundant variant streams in absolute mode: PRIMARY, then BACKUP),
 * otherwise the first one listed. Undefined for no variants.
 * @param {Variant[]} variants
 * @returns {string | undefined}
 */
export function startPathway(variants) {
  if (variants.some((variant) => pathwayOf(variant) === 'PRIMARY')) return 'PRIMARY';
  const first = variants[0];
  return first === undefined ? undefined : pathwayOf(first);
}

/**
 * Which variant a viewer watches, among those of its start pathway
 * (`startPathway`): the lowest or highest BANDWIDTH, or one at random.
 * @param {Variant[]} variants
 * @param {VariantChoice} choice
 * @param {number} random  A number in [0, 1) (Math.random() in a player; fixed in tests).
 * @returns {Variant | undefined}
 */
export function chooseVariant(variants, choice, random) {
  const pathway = startPathway(variants);
  const candidates = variants.filter((variant) => pathwayOf(variant) === pathway);
  if (candidates.length === 0) return undefined;
  if (choice === 'random') return candidates[Math.min(candidates.length - 1, Math.floor(random * candidates.length))];
  const sorted = [...candidates].sort((a, b) => a.bandwidth - b.bandwidth);
  return choice === 'lowest' ? sorted[0] : sorted[sorted.length - 1];
}

/**
 * The same stream on another pathway, where a player retries a segment that
 * failed: the variant of the BACKUP pathway (else of the first other pathway
 * listed) with the same BANDWIDTH, RESOLUTION and CODECS, or failing that the
 * one at the same position within its pathway. Undefined when the master offers
 * a single pathway (redirect mode, a master without PATHWAY-ID).
 * @param {Variant[]} variants
 * @param {Variant} variant  The one being watched.
 * @returns {Variant | undefined}
 */
export function backupVariant(variants, variant) {
  const own = pathwayOf(variant);
  /** @type {string[]} */
  const others = [];
  for (const candidate of variants) {
    const pathway = pathwayOf(candidate);
    if (pathway !== own && !others.includes(pathway)) others.push(pathway);
  }
  const target = others.includes('BACKUP') ? 'BACKUP' : others[0];
  if (target === undefined) return undefined;
  const onTarget = variants.filter((candidate) => pathwayOf(candidate) === target);
  const twin = onTarget.find(
    (candidate) =>
      candidate.bandwidth === variant.bandwidth && candidate.resolution === variant.resolution && candidate.codecs === variant.codecs,
  );
  return twin ?? onTarget[variants.filter((candidate) => pathwayOf(candidate) === own).indexOf(variant)];
}

/**
 * The segment with a media sequence number, if the playlist lists it: the same
 * segment in another pathway's media playlist of the same stream.
 * @param {MediaPlaylist} playlist
 * @param {number} msn
 * @returns {Segment | undefined}
 */
export function segmentByMsn(playlist, msn) {
  return playlist.segments.find((segment) => segment.msn === msn);
}

/**
 * Index of the first segment a viewer joining a live stream plays: the last one
 * that starts at least three target durations from the end of the playlist
 * (RFC 8216 6.3.3). A VOD (ENDLIST) starts at 0.
 * @param {MediaPlaylist} playlist
 */
export function liveStartIndex(playlist) {
  if (playlist.endList) return 0;
  const minimum = 3 * playlist.targetDuration;
  let fromEnd = 0;
  for (let i = playlist.segments.length - 1; i >= 0; i--) {
    fromEnd += playlist.segments[i]?.duration ?? 0;
    if (fromEnd >= minimum) return i;
  }
  return 0;
}

/**
 * The segments to fetch after a (re)load: those after `lastMsn` (the last one
 * fetched). `skipped` counts segments that left the playlist before the viewer
 * got to them: the viewer fell behind the live window.
 * @param {MediaPlaylist} playlist
 * @param {number} lastMsn  -1 (or anything below the first MSN minus one) before the first fetch.
 * @returns {{ segments: Segment[], skipped: number }}
 */
export function segmentsToFetch(playlist, lastMsn) {
  const segments = playlist.segments.filter((segment) => segment.msn > lastMsn);
  const first = playlist.segments[0];
  const skipped = first !== undefined && lastMsn >= 0 && first.msn > lastMsn + 1 ? first.msn - lastMsn - 1 : 0;
  return { segments, skipped };
}

/**
 * MSN of the newest segment, or -1 for an empty playlist.
 * @param {MediaPlaylist} playlist
 */
export function lastMsn(playlist) {
  const last = playlist.segments[playlist.segments.length - 1];
  return last === undefined ? -1 : last.msn;
}

/**
 * Whether a reload brought something new (RFC 8216 6.3.4 decides the next
 * reload time from this): a newer segment, or ENDLIST appearing.
 * @param {MediaPlaylist | undefined} previous
 * @param {MediaPlaylist} next
 */
export function playlistChanged(previous, next) {
  if (previous === undefined) return true;
  return lastMsn(next) !== lastMsn(previous) || next.endList !== previous.endList || next.segments.length !== previous.segments.length;
}

/**
 * When to reload a live media playlist, ms since the epoch (RFC 8216 6.3.4):
 * one target duration after the start of the last load when it changed, half a
 * target duration when it did not. Measured from when the load *began*.
 * @param {{ loadStartedAt: number, changed: boolean, targetDuration: number }} input
 */
export function nextReloadAt(input) {
  const waitSec = input.changed ? input.targetDuration : input.targetDuration / 2;
  return input.loadStartedAt + waitSec * 1000;
}

/**
 * Age of the newest segment's media, from EXT-X-PROGRAM-DATE-TIME: how far
 * behind real time the playlist's live edge is (packager delay, stale caches).
 * The dates count forward from the last segment that carries one. Undefined
 * when the playlist has no dates. Relies on the viewer's and the packager's
 * clocks agreeing.
 * @param {MediaPlaylist} playlist
 * @param {number} now  ms since the epoch.
 * @returns {number | undefined}
 */
export function newestSegmentAgeMs(playlist, now) {
  /** @type {number | undefined} */
  let end;
  for (const segment of playlist.segments) {
    if (segment.programDateTime !== undefined) end = segment.programDateTime;
    if (end !== undefined) end += segment.duration * 1000;
  }
  return end === undefined ? undefined : now - end;
}

/**
 * A rebuffer, as these load tests count it: a segment that took longer to get
 * than the media it holds (from its first request to its arrival, a retry and
 * a redirect included), so a player at the live edge would stall.
 * @param {number} downloadMs
 * @param {number} durationSec
 */
export function isRebuffer(downloadMs, durationSec) {
  return downloadMs > durationSec * 1000;
}

/**
 * Milliseconds in a duration written the k6 (Go) way, `1s`, `500ms`, `1.5s`,
 * `1m30s` (units h, m, s, ms, us, µs, ns), or as a plain number of milliseconds.
 * NaN when malformed.
 * @param {string} text
 */
export function durationMs(text) {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(trimmed)) return Number.NaN;
  /** @type {Record<string, number>} */
  const units = { h: 3600000, m: 60000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  for (const part of trimmed.match(/\d+(\.\d+)?(h|ms|m|s|us|µs|ns)/g) ?? []) {
    const unit = /[a-zµ]+$/.exec(part)?.[0] ?? '';
    total += Number.parseFloat(part) * (units[unit] ?? Number.NaN);
  }
  return total;
}

/**
 * How long a viewer waits before retrying a failed segment. A retry from the
 * backup pathway goes to another edge: at once. A retry from the same URL (a
 * redirect: the rewriter picks the edge again) goes out `timeoutMs` after the
 * first attempt began: at once after a timeout, but a fast failure (a refused
 * connection, an error status) waits out the rest, which gives the rewriter's
 * outside-in probes time to take the failed edge out. (hls.js on the player page
 * instead retries errors up to six times, 100 ms apart and growing.)
 * @param {{ elapsedMs: number, timeoutMs: number, sameUrl: boolean }} input  elapsedMs: since the first attempt began.
 * @returns {number} ms
 */
export function retryWaitMs(input) {
  return input.sameUrl ? Math.max(0, input.timeoutMs - input.elapsedMs) : 0;
}

/**
 * How long a VOD viewer waits before fetching the next segment: players keep
 * at most `maxBufferSec` of media ahead of the playhead, then fetch at the
 * pace of playback.
 * @param {{ bufferedSec: number, playedSec: number, maxBufferSec: number }} input
 * @returns {number} ms, 0 when the buffer has room.
 */
export function bufferWaitMs(input) {
  const ahead = input.bufferedSec - input.playedSec;
  return ahead <= input.maxBufferSec ? 0 : (ahead - input.maxBufferSec) * 1000;
}

// ---------------------------------------------------------------- low-latency HLS (RFC 8216bis)

/**
 * Whether a viewer can follow the playlist the low-latency way: the server
 * holds blocking reloads (CAN-BLOCK-RELOAD=YES) and the stream has parts
 * (EXT-X-PART-INF).
 * @param {MediaPlaylist} playlist
 */
export function isLowLatency(playlist) {
  return playlist.serverControl?.canBlockReload === true && playlist.partTarget !== undefined;
}

/**
 * The part a low-latency viewer starts at (RFC 8216bis 6.3.3): the newest
 * INDEPENDENT=YES part that starts at least PART-HOLD-BACK from the end of the
 * playlist (3 x PART-TARGET, the spec's recommended minimum, when the playlist
 * gives none). Undefined when no listed part qualifies: the viewer then starts
 * the regular way (`liveStartIndex`).
 * @param {MediaPlaylist} playlist
 * @returns {Part | undefined}
 */
export function lowLatencyStart(playlist) {
  const parts = playlist.parts ?? [];
  const holdBack = playlist.serverControl?.partHoldBack ?? (playlist.partTarget === undefined ? undefined : 3 * playlist.partTarget);
  if (holdBack === undefined) return undefined;
  let fromEnd = 0;
  let latest = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    fromEnd += parts[i]?.duration ?? 0;
    // Durations in decimal: 0.4 x 3 is not exactly 1.2.
    if (fromEnd >= holdBack - 1e-6) {
      latest = i;
      break;
    }
  }
  for (let i = latest; i >= 0; i--) if (parts[i]?.independent) return parts[i];
  return undefined;
}

/**
 * The blocking reload to ask for next (RFC 8216bis 6.2.5.2): the part after
 * the last one listed. After a segment listed complete with no part of the next
 * one yet, that is part 0 of the next segment. (The server also reads a part
 * index past the last part of a complete segment as part 0 of the next one.)
 * @param {MediaPlaylist} playlist
 * @returns {{ msn: number, part: number }}
 */
export function nextBlockingRequest(playlist) {
  const parts = playlist.parts ?? [];
  const last = parts[parts.length - 1];
  const nextMsn = playlist.mediaSequence + playlist.segments.length;
  if (last !== undefined && last.msn >= nextMsn) return { msn: last.msn, part: last.index + 1 };
  return { msn: nextMsn, part: 0 };
}

/**
 * A media playlist URL with the blocking reload's delivery directives
 * (`_HLS_msn`, `_HLS_part`) at the end of its query. The URL's other query
 * parameters (the rewriter's mode, a token) stay, in order; earlier `_HLS_msn`,
 * `_HLS_part` and `_HLS_skip` directives are replaced; a fragment is dropped.
 * @param {string} url
 * @param {{ msn: number, part: number }} request
 */
export function blockingReloadUrl(url, request) {
  const hash = url.indexOf('#');
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const question = withoutFragment.indexOf('?');
  const head = question === -1 ? withoutFragment : withoutFragment.slice(0, question);
  const kept =
    question === -1
      ? []
      : withoutFragment
          .slice(question + 1)
          .split('&')
          .filter((parameter) => parameter !== '' && !/^_HLS_(msn|part|skip)(=|$)/.test(parameter));
  kept.push(`_HLS_msn=${request.msn}`, `_HLS_part=${request.part}`);
  return `${head}?${kept.join('&')}`;
}

/**
 * The listed part with a URI, compared by path, without scheme, host and query:
 * an edge or a token may change from one playlist load to the next.
 * @param {Part[]} parts
 * @param {string} uri
 */
function partByUri(parts, uri) {
  const path = splitUrl(uri.trim()).path;
  return parts.find((part) => splitUrl(part.uri.trim()).path === path);
}

/**
 * A listed part: the one with the position's URI (by path) when it has one and
 * it is listed, else the one at its position. Where a hinted part turned out to
 * be, or the same part in the BACKUP pathway's playlist.
 * @param {MediaPlaylist} playlist
 * @param {PartPosition} position
 * @returns {Part | undefined}
 */
export function findPart(playlist, position) {
  const parts = playlist.parts ?? [];
  const byUri = position.uri === undefined ? undefined : partByUri(parts, position.uri);
  return byUri ?? parts.find((part) => part.msn === position.msn && part.index === position.part);
}

/**
 * What a low-latency viewer fetches after a (re)load, in this order:
 * `segments`, whole, then `parts`.
 * - `parts`: the listed parts after `after` (found by URI first, see `findPart`).
 * - A segment that completed (its EXTINF appeared) is never fetched again for
 *   itself: the viewer already has it as parts.
 * - `segments`: segments from `after` on whose parts the playlist no longer
 *   lists (servers drop parts older than a few target durations), so only the
 *   whole segment is left: after the viewer fell behind, or when it started
 *   without parts. A segment of which the viewer had some parts is fetched
 *   whole too: it cannot tell whether it had them all.
 * - `skipped`: segments that left the playlist before the viewer got any of them.
 * Parts are taken to be listed or dropped a whole segment at a time.
 * @param {MediaPlaylist} playlist
 * @param {PartPosition} after  The last part fetched (`part: -1` for none of segment `msn`).
 * @returns {{ segments: Segment[], parts: Part[], skipped: number }}
 */
export function partsToFetch(playlist, after) {
  const listed = playlist.parts ?? [];
  const anchor = after.uri === undefined ? undefined : partByUri(listed, after.uri);
  const at = anchor === undefined ? after : { msn: anchor.msn, part: anchor.index };
  const withParts = new Set(listed.map((part) => part.msn));
  const segments = playlist.segments.filter((segment) => segment.msn >= at.msn && !withParts.has(segment.msn));
  const parts = listed.filter((part) => part.msn > at.msn || (part.msn === at.msn && part.index > at.part));
  const doneThrough = at.part === -1 ? at.msn - 1 : at.msn;
  const first = playlist.segments[0]?.msn ?? listed[0]?.msn;
  const skipped = first !== undefined && doneThrough >= 0 && first > doneThrough + 1 ? first - doneThrough - 1 : 0;
  return { segments, parts, skipped };
}

/**
 * A low-latency viewer's playback, as these load tests model it: playback
 * starts when the first media arrives and runs at 1x while there is media;
 * each arrival adds its duration. A part (or segment) that arrives after the
 * media before it ran out stalls playback until it arrives; a stall longer
 * than the arriving media's own duration counts as a rebuffer (the same grace
 * as the regular rule, `isRebuffer`: shorter hiccups a player's buffer target
 * absorbs).
 * @param {{ runsOutAt: number | undefined, arrivedAt: number, durationSec: number }} input  runsOutAt: when the
 *   media fetched so far runs out, ms since the epoch (undefined before the first arrival); arrivedAt: ms since the epoch.
 * @returns {{ runsOutAt: number, stallMs: number, rebuffer: boolean }}
 */
export function playoutAfter(input) {
  const durationMs = input.durationSec * 1000;
  if (input.runsOutAt === undefined) return { runsOutAt: input.arrivedAt + durationMs, stallMs: 0, rebuffer: false };
  const stallMs = Math.max(0, input.arrivedAt - input.runsOutAt);
  return { runsOutAt: Math.max(input.runsOutAt, input.arrivedAt) + durationMs, stallMs, rebuffer: stallMs > durationMs };
}

/**
 * Latency of a part the viewer has: `now` minus the end of the part per
 * EXT-X-PROGRAM-DATE-TIME. Undefined without dates. Relies on the viewer's and
 * the packager's clocks agreeing.
 * @param {Part} part
 * @param {number} now  ms since the epoch.
 * @returns {number | undefined}
 */
export function partLatencyMs(part, now) {
  return part.programDateTime === undefined ? undefined : now - (part.programDateTime + part.duration * 1000);
}
