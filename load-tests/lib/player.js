// @ts-check
/**
 * One k6 VU = one viewer. Fetches the master playlist, picks a variant, then
 * either follows a live media playlist on the RFC 8216 6.3.4 reload schedule
 * (fetching each new segment once, starting three target durations from the
 * live edge, 6.3.3) or plays a VOD at playback pace behind a bounded buffer.
 * k6 follows redirects (redirect mode) by itself; URIs are resolved against the
 * URL a playlist was finally fetched from. The decisions are in hls.js (pure,
 * unit-tested); this file does the fetching and records the metrics.
 *
 * Requests are tagged { name: 'playlist' | 'segment' } so URLs do not turn into
 * one metric series each.
 */
import { sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import {
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
  segmentsToFetch,
  bufferWaitMs,
} from './hls.js';

/** @typedef {import('./hls.js').MediaPlaylist} MediaPlaylist */
/** @typedef {import('./hls.js').Segment} Segment */

/**
 * @typedef {object} ViewerSettings
 * @property {string} masterUrl  Absolute URL of the master (or a media) playlist.
 * @property {import('./hls.js').VariantChoice} variant
 * @property {number} sessionSec  How long the viewer stays.
 * @property {number} maxBufferSec  VOD: media kept ahead of the playhead.
 * @property {string} timeout  Per-request timeout, k6 duration string.
 */

// Custom metrics; k6 wants them created in the init context, which importing this module is.
/** A segment whose download took longer than its duration, or one that left the live window unfetched. */
export const rebufferRate = new Rate('rebuffer_rate');
/** Time since the newest MSN last advanced, sampled at each live reload (ms). */
export const playlistStaleness = new Trend('playlist_staleness', true);
/** Now minus the end of the newest segment per EXT-X-PROGRAM-DATE-TIME (ms); needs synchronized clocks. */
export const newestSegmentAge = new Trend('newest_segment_age', true);
/** Time to first byte of segments (ms), the final request when redirected. */
export const segmentTtfb = new Trend('segment_ttfb', true);
/** From joining (master request) to the first segment downloaded (ms). */
export const startupTime = new Trend('startup_time', true);
/** Requests answered per edge, tagged with the X-Edge-Id response header ('none' without one). */
export const edgeRequests = new Counter('edge_requests');
/** Segments that left the live playlist before the viewer fetched them. */
export const segmentsMissed = new Counter('segments_missed');
/** Share of requests that failed: network error, timeout or a status outside 2xx. */
export const errorRate = new Rate('errors');
/** Share of segment answers an edge served from its cache (X-Cache-Status HIT). */
export const cacheHitRate = new Rate('edge_cache_hit');

/**
 * One GET with the bookkeeping every request shares.
 * @param {string} url
 * @param {'playlist' | 'segment'} name
 * @param {ViewerSettings} settings
 */
function get(url, name, settings) {
  const res = http.get(url, {
    tags: { name },
    timeout: settings.timeout,
    // Segments are only timed, never read: do not keep their bytes in the VU.
    responseType: name === 'segment' ? 'none' : 'text',
  });
  const ok = res.error_code === 0 && res.status >= 200 && res.status < 300;
  errorRate.add(!ok, { name });
  const edge = res.headers['X-Edge-Id'];
  if (res.status !== 0) edgeRequests.add(1, { edge: edge || 'none', name });
  const cache = res.headers['X-Cache-Status'];
  if (ok && name === 'segment' && cache) cacheHitRate.add(cache === 'HIT');
  return { res, ok };
}

/**
 * @param {string} url
 * @param {ViewerSettings} settings
 * @returns {{ playlist: MediaPlaylist, url: string } | undefined}
 */
function loadMediaPlaylist(url, settings) {
  const { res, ok } = get(url, 'playlist', settings);
  if (!ok || typeof res.body !== 'string') return undefined;
  const parsed = parseMediaPlaylist(res.body);
  if (!parsed.ok) {
    errorRate.add(true, { name: 'parse' });
    return undefined;
  }
  return { playlist: parsed.value, url: res.url };
}

/**
 * Master -> chosen variant -> its media playlist. A STREAM that is itself a
 * media playlist is watched as is.
 * @param {ViewerSettings} settings
 * @returns {{ mediaUrl: string, playlist: MediaPlaylist, playlistUrl: string, loadStartedAt: number } | undefined}
 */
function open(settings) {
  const { res, ok } = get(settings.masterUrl, 'playlist', settings);
  if (!ok || typeof res.body !== 'string') return undefined;
  let mediaUrl = settings.masterUrl;
  if (isMasterPlaylist(res.body)) {
    const master = parseMasterPlaylist(res.body);
    const variant = master.ok ? chooseVariant(master.value, settings.variant, Math.random()) : undefined;
    if (variant === undefined) {
      errorRate.add(true, { name: 'parse' });
      return undefined;
    }
    mediaUrl = resolveUrl(res.url, variant.uri);
  } else {
    const parsed = parseMediaPlaylist(res.body);
    if (!parsed.ok) {
      errorRate.add(true, { name: 'parse' });
      return undefined;
    }
    return { mediaUrl, playlist: parsed.value, playlistUrl: res.url, loadStartedAt: Date.now() };
  }
  const loadStartedAt = Date.now();
  const loaded = loadMediaPlaylist(mediaUrl, settings);
  return loaded && { mediaUrl, playlist: loaded.playlist, playlistUrl: loaded.url, loadStartedAt };
}

/**
 * Downloads one segment (and its init segment the first time that changes).
 * @param {Segment} segment
 * @param {string} playlistUrl  Where the playlist naming it was fetched from.
 * @param {{ map?: string }} seen  The last init segment fetched, updated here.
 * @param {ViewerSettings} settings
 * @returns {boolean} whether it arrived
 */
function fetchSegment(segment, playlistUrl, seen, settings) {
  if (segment.map !== undefined) {
    const mapUrl = resolveUrl(playlistUrl, segment.map);
    if (seen.map !== mapUrl) {
      seen.map = mapUrl;
      get(mapUrl, 'segment', settings);
    }
  }
  const { res, ok } = get(resolveUrl(playlistUrl, segment.uri), 'segment', settings);
  if (ok) segmentTtfb.add(res.timings.waiting);
  rebufferRate.add(!ok || isRebuffer(res.timings.duration, segment.duration));
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
      const ok = fetchSegment(segment, playlistUrl, seen, settings);
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
    if (!fetchSegment(segment, opened.playlistUrl, seen, settings)) continue;
    bufferedSec += segment.duration;
    if (playingSince === undefined) {
      playingSince = Date.now();
      startupTime.add(playingSince - joinedAt);
    }
  }
}
