// @ts-check
/**
 * One k6 VU = one viewer. Fetches the master playlist, picks a variant (of the
 * PRIMARY pathway when the master offers redundant streams), then either
 * follows a live media playlist on the RFC 8216 6.3.4 reload schedule
 * (fetching each new segment once, starting three target durations from the
 * live edge, 6.3.3) or plays a VOD at playback pace behind a bounded buffer.
 * k6 follows redirects (redirect mode) by itself; URIs are resolved against the
 * URL a playlist was finally fetched from. The decisions are in hls.js (pure,
 * unit-tested); this file does the fetching and records the metrics.
 *
 * Like a real player, a viewer gives up on a segment request after
 * `segmentTimeoutMs` (1 s by default, as the player page's hls.js waits for a
 * first byte) or on a failure, and retries that segment once: at once from the
 * BACKUP pathway's media playlist (same media sequence number) when the master
 * offers one (absolute mode), else from the same URL (redirect mode: the
 * rewriter chooses an edge again) once the timeout has passed since the first
 * attempt began (`retryWaitMs`).
 *
 * Requests are tagged { name: 'playlist' | 'segment' } so URLs do not turn into
 * one metric series each.
 */
import { sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import {
  backupVariant,
  bufferWaitMs,
  chooseVariant,
  isMasterPlaylist,
  isRebuffer,
  lastMsn,
  liveStartIndex,
  newestSegmentAgeMs,
  nextReloadAt,
  parseMasterPlaylist,
  parseMediaPlaylist,
  playlistChanged,
  resolveUrl,
  retryWaitMs,
  segmentByMsn,
  segmentsToFetch,
} from './hls.js';

/** @typedef {import('./hls.js').MediaPlaylist} MediaPlaylist */
/** @typedef {import('./hls.js').Segment} Segment */

/**
 * @typedef {object} ViewerSettings
 * @property {string} masterUrl  Absolute URL of the master (or a media) playlist.
 * @property {import('./hls.js').VariantChoice} variant
 * @property {number} sessionSec  How long the viewer stays.
 * @property {number} maxBufferSec  VOD: media kept ahead of the playhead.
 * @property {string} timeout  Per-request timeout of playlists, k6 duration string.
 * @property {number} segmentTimeoutMs  Per-request timeout of segments (then one retry), ms.
 */

/**
 * Where a viewer's segments come from.
 * @typedef {object} Source
 * @property {string} playlistUrl  The URL the current media playlist was fetched from: its URIs resolve against it.
 * @property {string | undefined} backupUrl  The BACKUP pathway's media playlist of the same stream, where a failed segment is retried; undefined with one pathway.
 */

// Custom metrics; k6 wants them created in the init context, which importing this module is.
/** A segment that took longer to get than its duration (retry included), that failed, or that left the live window unfetched. */
export const rebufferRate = new Rate('rebuffer_rate');
/** Time since the newest MSN last advanced, sampled at each live reload (ms). */
export const playlistStaleness = new Trend('playlist_staleness', true);
/** Now minus the end of the newest segment per EXT-X-PROGRAM-DATE-TIME (ms); needs synchronized clocks. */
export const newestSegmentAge = new Trend('newest_segment_age', true);
/** Time to first byte of segments (ms), the final request when redirected or retried. */
export const segmentTtfb = new Trend('segment_ttfb', true);
/** From joining (master request) to the first segment downloaded (ms). */
export const startupTime = new Trend('startup_time', true);
/** Requests answered per edge, tagged with the X-Edge-Id response header ('none' without one). */
export const edgeRequests = new Counter('edge_requests');
/** Segments that left the live playlist before the viewer fetched them. */
export const segmentsMissed = new Counter('segments_missed');
/**
 * What failed for the viewer: a playlist request, or a segment (or init
 * segment) still missing after its retry; network errors, timeouts, statuses
 * outside 2xx, unparsable playlists. A first segment attempt that the retry
 * recovered is not an error (it is in segment_retries and http_req_failed).
 */
export const errorRate = new Rate('errors');
/** Segment requests repeated after a failure or timeout, tagged `via`: backup (pathway) or same-url. */
export const segmentRetries = new Counter('segment_retries');
/** Share of segment answers an edge served from its cache (X-Cache-Status HIT). */
export const cacheHitRate = new Rate('edge_cache_hit');

/**
 * One GET with the bookkeeping every request shares (answers per edge, cache
 * hits). Whether a failure is an error for the viewer is the caller's call.
 * @param {string} url
 * @param {'playlist' | 'segment'} name
 * @param {string | number} timeout  k6 duration string, or ms.
 */
function request(url, name, timeout) {
  const res = http.get(url, {
    tags: { name },
    timeout,
    // Segments are only timed, never read: do not keep their bytes in the VU.
    responseType: name === 'segment' ? 'none' : 'text',
  });
  const ok = res.error_code === 0 && res.status >= 200 && res.status < 300;
  const edge = res.headers['X-Edge-Id'];
  if (res.status !== 0) edgeRequests.add(1, { edge: edge || 'none', name });
  const cache = res.headers['X-Cache-Status'];
  if (ok && name === 'segment' && cache) cacheHitRate.add(cache === 'HIT');
  return { res, ok };
}

/**
 * A playlist request; a failure is an error.
 * @param {string} url
 * @param {ViewerSettings} settings
 */
function getPlaylist(url, settings) {
  const result = request(url, 'playlist', settings.timeout);
  errorRate.add(!result.ok, { name: 'playlist' });
  return result;
}

/**
 * @param {string} url
 * @param {ViewerSettings} settings
 * @returns {{ playlist: MediaPlaylist, url: string } | undefined}
 */
function loadMediaPlaylist(url, settings) {
  const { res, ok } = getPlaylist(url, settings);
  if (!ok || typeof res.body !== 'string') return undefined;
  const parsed = parseMediaPlaylist(res.body);
  if (!parsed.ok) {
    errorRate.add(true, { name: 'parse' });
    return undefined;
  }
  return { playlist: parsed.value, url: res.url };
}

/**
 * Master -> chosen variant (and its twin on the backup pathway) -> its media
 * playlist. A STREAM that is itself a media playlist is watched as is.
 * @param {ViewerSettings} settings
 * @returns {{ mediaUrl: string, backupUrl: string | undefined, playlist: MediaPlaylist, playlistUrl: string, loadStartedAt: number } | undefined}
 */
function open(settings) {
  const { res, ok } = getPlaylist(settings.masterUrl, settings);
  if (!ok || typeof res.body !== 'string') return undefined;
  if (!isMasterPlaylist(res.body)) {
    const parsed = parseMediaPlaylist(res.body);
    if (!parsed.ok) {
      errorRate.add(true, { name: 'parse' });
      return undefined;
    }
    return { mediaUrl: settings.masterUrl, backupUrl: undefined, playlist: parsed.value, playlistUrl: res.url, loadStartedAt: Date.now() };
  }
  const master = parseMasterPlaylist(res.body);
  const variant = master.ok ? chooseVariant(master.value, settings.variant, Math.random()) : undefined;
  if (!master.ok || variant === undefined) {
    errorRate.add(true, { name: 'parse' });
    return undefined;
  }
  const mediaUrl = resolveUrl(res.url, variant.uri);
  const backup = backupVariant(master.value, variant);
  const backupUrl = backup === undefined ? undefined : resolveUrl(res.url, backup.uri);
  const loadStartedAt = Date.now();
  const loaded = loadMediaPlaylist(mediaUrl, settings);
  return loaded && { mediaUrl, backupUrl, playlist: loaded.playlist, playlistUrl: loaded.url, loadStartedAt };
}

/**
 * Fetches one object of a segment (the segment, or its init segment) as a
 * player does: after a failure or a timeout, once more, from the backup
 * pathway's media playlist (the segment with the same media sequence number)
 * when there is one, else from the same URL (in redirect mode the rewriter then
 * picks a healthy edge), after `retryWaitMs`.
 * @param {Segment} segment
 * @param {(segment: Segment) => string | undefined} uriOf  Which URI of the segment: its own or its EXT-X-MAP's.
 * @param {Source} source
 * @param {ViewerSettings} settings
 */
function fetchWithRetry(segment, uriOf, source, settings) {
  const url = resolveUrl(source.playlistUrl, uriOf(segment) ?? '');
  const startedAt = Date.now();
  const first = request(url, 'segment', settings.segmentTimeoutMs);
  if (first.ok) return first;
  let retryUrl = url;
  if (source.backupUrl !== undefined) {
    const backup = loadMediaPlaylist(source.backupUrl, settings);
    const twin = backup && segmentByMsn(backup.playlist, segment.msn);
    const twinUri = twin && uriOf(twin);
    if (backup === undefined || twinUri === undefined) return first;
    retryUrl = resolveUrl(backup.url, twinUri);
  }
  const sameUrl = source.backupUrl === undefined;
  const wait = retryWaitMs({ elapsedMs: Date.now() - startedAt, timeoutMs: settings.segmentTimeoutMs, sameUrl });
  if (wait > 0) sleep(wait / 1000);
  segmentRetries.add(1, { via: sameUrl ? 'same-url' : 'backup' });
  return request(retryUrl, 'segment', settings.segmentTimeoutMs);
}

/**
 * Downloads one segment (and its init segment the first time that changes),
 * each retried once on failure. A rebuffer is a segment that failed or took
 * longer than its duration from the first request to its arrival.
 * @param {Segment} segment
 * @param {Source} source
 * @param {{ map?: string }} seen  The last init segment fetched, updated here.
 * @param {ViewerSettings} settings
 * @returns {boolean} whether it arrived
 */
function fetchSegment(segment, source, seen, settings) {
  const startedAt = Date.now();
  if (segment.map !== undefined) {
    const mapUrl = resolveUrl(source.playlistUrl, segment.map);
    if (seen.map !== mapUrl) {
      const map = fetchWithRetry(segment, (s) => s.map, source, settings);
      errorRate.add(!map.ok, { name: 'segment' });
      if (map.ok) seen.map = mapUrl;
    }
  }
  const { res, ok } = fetchWithRetry(segment, (s) => s.uri, source, settings);
  errorRate.add(!ok, { name: 'segment' });
  if (ok) segmentTtfb.add(res.timings.waiting);
  // Wall time: k6's res.timings cover the final request only, not a redirect's
  // first hop nor a failed first attempt.
  rebufferRate.add(!ok || isRebuffer(Date.now() - startedAt, segment.duration));
  return ok;
}

/**
 * Watches a live stream for `settings.sessionSec` (or until ENDLIST).
 * @param {ViewerSettings} settings
 */
export function watchLive(settings) {
  const joinedAt = Date.now();
  const leaveAt = joinedAt + settings.sessionSec * 1000;
  const opened = open(settings);
  if (opened === undefined) return;
  const { backupUrl } = opened;
  let { playlist, playlistUrl, loadStartedAt } = opened;
  let fetched = (playlist.segments[liveStartIndex(playlist)]?.msn ?? 0) - 1;
  let changed = true;
  let advancedAt = loadStartedAt;
  /** @type {{ map?: string }} */
  const seen = {};
  let first = true;
  for (;;) {
    const { segments, skipped } = segmentsToFetch(playlist, fetched);
    if (skipped > 0) {
      segmentsMissed.add(skipped);
      for (let i = 0; i < skipped; i++) rebufferRate.add(true);
    }
    for (const segment of segments) {
      if (Date.now() >= leaveAt) return;
      const ok = fetchSegment(segment, { playlistUrl, backupUrl }, seen, settings);
      if (ok && first) {
        startupTime.add(Date.now() - joinedAt);
        first = false;
      }
      fetched = segment.msn;
    }
    if (playlist.endList || Date.now() >= leaveAt) return;
    const reloadAt = Math.min(nextReloadAt({ loadStartedAt, changed, targetDuration: playlist.targetDuration }), leaveAt);
    const wait = reloadAt - Date.now();
    if (wait > 0) sleep(wait / 1000);
    if (Date.now() >= leaveAt) return;
    loadStartedAt = Date.now();
    const reloaded = loadMediaPlaylist(opened.mediaUrl, settings);
    if (reloaded === undefined) {
      // Retry on the "unchanged" schedule: half a target duration.
      changed = false;
      continue;
    }
    changed = playlistChanged(playlist, reloaded.playlist);
    if (lastMsn(reloaded.playlist) > lastMsn(playlist)) advancedAt = loadStartedAt;
    playlistStaleness.add(Date.now() - advancedAt);
    const age = newestSegmentAgeMs(reloaded.playlist, Date.now());
    if (age !== undefined) newestSegmentAge.add(age);
    playlist = reloaded.playlist;
    playlistUrl = reloaded.url;
  }
}

/**
 * Plays a VOD from the start for at most `settings.sessionSec`, keeping at most
 * `settings.maxBufferSec` of media ahead of the playhead.
 * @param {ViewerSettings} settings
 */
export function watchVod(settings) {
  const joinedAt = Date.now();
  const leaveAt = joinedAt + settings.sessionSec * 1000;
  const opened = open(settings);
  if (opened === undefined) return;
  /** @type {Source} */
  const source = { playlistUrl: opened.playlistUrl, backupUrl: opened.backupUrl };
  /** @type {{ map?: string }} */
  const seen = {};
  /** @type {number | undefined} */
  let playingSince;
  let bufferedSec = 0;
  for (const segment of opened.playlist.segments) {
    if (playingSince !== undefined) {
      const wait = bufferWaitMs({ bufferedSec, playedSec: (Date.now() - playingSince) / 1000, maxBufferSec: settings.maxBufferSec });
      if (wait > 0) sleep(Math.min(wait, Math.max(0, leaveAt - Date.now())) / 1000);
    }
    if (Date.now() >= leaveAt) return;
    if (!fetchSegment(segment, source, seen, settings)) continue;
    bufferedSec += segment.duration;
    if (playingSince === undefined) {
      playingSince = Date.now();
      startupTime.add(playingSince - joinedAt);
    }
  }
  // Everything is fetched: the viewer stays until the video ends (or its session does).
  if (playingSince === undefined) return;
  const left = Math.min(playingSince + bufferedSec * 1000, leaveAt) - Date.now();
  if (left > 0) sleep(left / 1000);
}
