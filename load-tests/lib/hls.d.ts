// Types of hls.js for TypeScript importers (tests, bench/), generated from its JSDoc: do not edit. To refresh:
//   npx tsc -p tsconfig.k6.json --noEmit false --declaration --emitDeclarationOnly --outDir /tmp/k6-types
// and put /tmp/k6-types/lib/hls.d.ts below these comment lines. test/load-tests/k6-scripts.test.ts checks it is current.
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
export function resolveUrl(base: string, ref: string): string;
/**
 * `scheme://host:port` of an absolute URL: which server (edge) a URL goes to.
 * @param {string} url
 */
export function originOf(url: string): string;
/**
 * Attribute list of a tag (RFC 8216 4.2): `KEY=value,KEY="quoted, with commas"`.
 * @param {string} list  The text after the tag's colon.
 * @returns {Record<string, string>}
 */
export function parseAttributes(list: string): Record<string, string>;
/**
 * A master (multivariant) playlist has EXT-X-STREAM-INF: decided from the
 * content, never from the file name.
 * @param {string} text
 */
export function isMasterPlaylist(text: string): boolean;
/**
 * The variants of a master playlist, in playlist order.
 * @param {string} text
 * @returns {Result<Variant[]>}
 */
export function parseMasterPlaylist(text: string): Result<Variant[]>;
/**
 * Target duration, media sequence, ENDLIST and the segments of a media playlist.
 * Tags between EXTINF and its URI line (PROGRAM-DATE-TIME, BYTERANGE...) are allowed.
 * @param {string} text
 * @returns {Result<MediaPlaylist>}
 */
export function parseMediaPlaylist(text: string): Result<MediaPlaylist>;
/** @typedef {'random' | 'lowest' | 'highest'} VariantChoice */
/**
 * The pathway a variant belongs to: its PATHWAY-ID, "." without one (HLS
 * Content Steering specification).
 * @param {Variant} variant
 */
export function pathwayOf(variant: Variant): string;
/**
 * The pathway a viewer starts on: PRIMARY when the master offers it (the
 * rewriter's redundant variant streams in absolute mode: PRIMARY, then BACKUP),
 * otherwise the first one listed. Undefined for no variants.
 * @param {Variant[]} variants
 * @returns {string | undefined}
 */
export function startPathway(variants: Variant[]): string | undefined;
/**
 * Which variant a viewer watches, among those of its start pathway
 * (`startPathway`): the lowest or highest BANDWIDTH, or one at random.
 * @param {Variant[]} variants
 * @param {VariantChoice} choice
 * @param {number} random  A number in [0, 1) (Math.random() in a player; fixed in tests).
 * @returns {Variant | undefined}
 */
export function chooseVariant(variants: Variant[], choice: VariantChoice, random: number): Variant | undefined;
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
export function backupVariant(variants: Variant[], variant: Variant): Variant | undefined;
/**
 * The segment with a media sequence number, if the playlist lists it: the same
 * segment in another pathway's media playlist of the same stream.
 * @param {MediaPlaylist} playlist
 * @param {number} msn
 * @returns {Segment | undefined}
 */
export function segmentByMsn(playlist: MediaPlaylist, msn: number): Segment | undefined;
/**
 * Index of the first segment a viewer joining a live stream plays: the last one
 * that starts at least three target durations from the end of the playlist
 * (RFC 8216 6.3.3). A VOD (ENDLIST) starts at 0.
 * @param {MediaPlaylist} playlist
 */
export function liveStartIndex(playlist: MediaPlaylist): number;
/**
 * The segments to fetch after a (re)load: those after `lastMsn` (the last one
 * fetched). `skipped` counts segments that left the playlist before the viewer
 * got to them: the viewer fell behind the live window.
 * @param {MediaPlaylist} playlist
 * @param {number} lastMsn  -1 (or anything below the first MSN minus one) before the first fetch.
 * @returns {{ segments: Segment[], skipped: number }}
 */
export function segmentsToFetch(playlist: MediaPlaylist, lastMsn: number): {
    segments: Segment[];
    skipped: number;
};
/**
 * MSN of the newest segment, or -1 for an empty playlist.
 * @param {MediaPlaylist} playlist
 */
export function lastMsn(playlist: MediaPlaylist): number;
/**
 * Whether a reload brought something new (RFC 8216 6.3.4 decides the next
 * reload time from this): a newer segment, or ENDLIST appearing.
 * @param {MediaPlaylist | undefined} previous
 * @param {MediaPlaylist} next
 */
export function playlistChanged(previous: MediaPlaylist | undefined, next: MediaPlaylist): boolean;
/**
 * When to reload a live media playlist, ms since the epoch (RFC 8216 6.3.4):
 * one target duration after the start of the last load when it changed, half a
 * target duration when it did not. Measured from when the load *began*.
 * @param {{ loadStartedAt: number, changed: boolean, targetDuration: number }} input
 */
export function nextReloadAt(input: {
    loadStartedAt: number;
    changed: boolean;
    targetDuration: number;
}): number;
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
export function newestSegmentAgeMs(playlist: MediaPlaylist, now: number): number | undefined;
/**
 * A rebuffer, as these load tests count it: a segment that took longer to get
 * than the media it holds (from its first request to its arrival, a retry and
 * a redirect included), so a player at the live edge would stall.
 * @param {number} downloadMs
 * @param {number} durationSec
 */
export function isRebuffer(downloadMs: number, durationSec: number): boolean;
/**
 * Milliseconds in a duration written the k6 (Go) way, `1s`, `500ms`, `1.5s`,
 * `1m30s` (units h, m, s, ms, us, µs, ns), or as a plain number of milliseconds.
 * NaN when malformed.
 * @param {string} text
 */
export function durationMs(text: string): number;
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
export function retryWaitMs(input: {
    elapsedMs: number;
    timeoutMs: number;
    sameUrl: boolean;
}): number;
/**
 * How long a VOD viewer waits before fetching the next segment: players keep
 * at most `maxBufferSec` of media ahead of the playhead, then fetch at the
 * pace of playback.
 * @param {{ bufferedSec: number, playedSec: number, maxBufferSec: number }} input
 * @returns {number} ms, 0 when the buffer has room.
 */
export function bufferWaitMs(input: {
    bufferedSec: number;
    playedSec: number;
    maxBufferSec: number;
}): number;
/**
 * Whether a viewer can follow the playlist the low-latency way: the server
 * holds blocking reloads (CAN-BLOCK-RELOAD=YES) and the stream has parts
 * (EXT-X-PART-INF).
 * @param {MediaPlaylist} playlist
 */
export function isLowLatency(playlist: MediaPlaylist): boolean;
/**
 * The part a low-latency viewer starts at (RFC 8216bis 6.3.3): the newest
 * INDEPENDENT=YES part that starts at least PART-HOLD-BACK from the end of the
 * playlist (3 x PART-TARGET, the spec's recommended minimum, when the playlist
 * gives none). Undefined when no listed part qualifies: the viewer then starts
 * the regular way (`liveStartIndex`).
 * @param {MediaPlaylist} playlist
 * @returns {Part | undefined}
 */
export function lowLatencyStart(playlist: MediaPlaylist): Part | undefined;
/**
 * The blocking reload to ask for next (RFC 8216bis 6.2.5.2): the part after
 * the last one listed. After a segment listed complete with no part of the next
 * one yet, that is part 0 of the next segment. (The server also reads a part
 * index past the last part of a complete segment as part 0 of the next one.)
 * @param {MediaPlaylist} playlist
 * @returns {{ msn: number, part: number }}
 */
export function nextBlockingRequest(playlist: MediaPlaylist): {
    msn: number;
    part: number;
};
/**
 * A media playlist URL with the blocking reload's delivery directives
 * (`_HLS_msn`, `_HLS_part`) at the end of its query. The URL's other query
 * parameters (the rewriter's mode, a token) stay, in order; earlier `_HLS_msn`,
 * `_HLS_part` and `_HLS_skip` directives are replaced; a fragment is dropped.
 * @param {string} url
 * @param {{ msn: number, part: number }} request
 */
export function blockingReloadUrl(url: string, request: {
    msn: number;
    part: number;
}): string;
/**
 * A listed part: the one with the position's URI (by path) when it has one and
 * it is listed, else the one at its position. Where a hinted part turned out to
 * be, or the same part in the BACKUP pathway's playlist.
 * @param {MediaPlaylist} playlist
 * @param {PartPosition} position
 * @returns {Part | undefined}
 */
export function findPart(playlist: MediaPlaylist, position: PartPosition): Part | undefined;
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
export function partsToFetch(playlist: MediaPlaylist, after: PartPosition): {
    segments: Segment[];
    parts: Part[];
    skipped: number;
};
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
export function playoutAfter(input: {
    runsOutAt: number | undefined;
    arrivedAt: number;
    durationSec: number;
}): {
    runsOutAt: number;
    stallMs: number;
    rebuffer: boolean;
};
/**
 * Latency of a part the viewer has: `now` minus the end of the part per
 * EXT-X-PROGRAM-DATE-TIME. Undefined without dates. Relies on the viewer's and
 * the packager's clocks agreeing.
 * @param {Part} part
 * @param {number} now  ms since the epoch.
 * @returns {number | undefined}
 */
export function partLatencyMs(part: Part, now: number): number | undefined;
export type Variant = {
    /**
     * As written in the master playlist (resolve it against the master's URL).
     */
    uri: string;
    /**
     * BANDWIDTH, bits/s.
     */
    bandwidth: number;
    /**
     * RESOLUTION, e.g. "640x360".
     */
    resolution?: string | undefined;
    /**
     * CODECS.
     */
    codecs?: string | undefined;
    /**
     * PATHWAY-ID: the pathway (redundant stream, Content Steering) it belongs to.
     */
    pathwayId?: string | undefined;
};
export type Segment = {
    /**
     * As written in the media playlist.
     */
    uri: string;
    /**
     * EXTINF, seconds.
     */
    duration: number;
    /**
     * Media sequence number: EXT-X-MEDIA-SEQUENCE + position.
     */
    msn: number;
    /**
     * URI of the EXT-X-MAP (fMP4 init segment) that applies to it.
     */
    map?: string | undefined;
    /**
     * EXT-X-PROGRAM-DATE-TIME of the segment, ms since the epoch.
     */
    programDateTime?: number | undefined;
};
export type MediaPlaylist = {
    /**
     * EXT-X-TARGETDURATION, seconds.
     */
    targetDuration: number;
    /**
     * EXT-X-MEDIA-SEQUENCE (0 when absent, RFC 8216 4.3.3.2).
     */
    mediaSequence: number;
    /**
     * EXT-X-ENDLIST present: VOD or a finished event.
     */
    endList: boolean;
    segments: Segment[];
    /**
     * EXT-X-SERVER-CONTROL, when present.
     */
    serverControl?: ServerControl | undefined;
    /**
     * EXT-X-PART-INF PART-TARGET, seconds: the stream has parts (LL-HLS).
     */
    partTarget?: number | undefined;
    /**
     * EXT-X-PART tags in playlist order, when any.
     */
    parts?: Part[] | undefined;
    /**
     * URI of the EXT-X-PRELOAD-HINT with TYPE=PART: the part after the last one listed.
     */
    preloadHint?: string | undefined;
};
/**
 * EXT-X-SERVER-CONTROL (RFC 8216bis 4.4.3.8).
 */
export type ServerControl = {
    /**
     * CAN-BLOCK-RELOAD=YES: the server holds `_HLS_msn`/`_HLS_part` reloads until they can be answered.
     */
    canBlockReload: boolean;
    /**
     * PART-HOLD-BACK, seconds: how far from the live edge a low-latency viewer plays.
     */
    partHoldBack?: number | undefined;
    /**
     * CAN-SKIP-UNTIL, seconds: the server offers delta updates (`_HLS_skip`).
     */
    canSkipUntil?: number | undefined;
};
/**
 * An EXT-X-PART: a partial segment of a low-latency stream (RFC 8216bis 4.4.4.9).
 */
export type Part = {
    /**
     * As written in the media playlist.
     */
    uri: string;
    /**
     * DURATION, seconds.
     */
    duration: number;
    /**
     * Media sequence number of the segment it belongs to: the next segment listed after it, or the one in progress.
     */
    msn: number;
    /**
     * Its position in that segment, from 0.
     */
    index: number;
    /**
     * INDEPENDENT=YES: starts with an independent frame, so playback can start there.
     */
    independent: boolean;
    /**
     * URI of the EXT-X-MAP that applies to it.
     */
    map?: string | undefined;
    /**
     * Start of the part, ms since the epoch: the last EXT-X-PROGRAM-DATE-TIME counted forward by the durations since.
     */
    programDateTime?: number | undefined;
};
/**
 * Where a low-latency viewer is: the last part it fetched, part `part` of segment `msn`.
 */
export type PartPosition = {
    msn: number;
    /**
     * Index in the segment; -1 for "none of segment `msn` yet" (so `{ msn: m + 1, part: -1 }` is "all of segment m").
     */
    part: number;
    /**
     * Its URI as written in the playlist, when known. Matched (by path) before the position: a hinted
     * part is fetched before its position is certain (at a segment's end it may turn out to be part 0 of the next one).
     */
    uri?: string | undefined;
};
export type PlaylistError = {
    code: "not-a-playlist" | "not-a-master" | "not-a-media-playlist" | "no-target-duration" | "no-variants";
    message: string;
};
export type Result<T> = {
    ok: true;
    value: T;
} | {
    ok: false;
    error: PlaylistError;
};
export type VariantChoice = "random" | "lowest" | "highest";
