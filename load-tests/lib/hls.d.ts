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
