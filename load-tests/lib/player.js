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
 * Low-latency mode (settings.lowLatency, for a variant whose playlist offers
 * blocking reloads and parts, RFC 8216bis): the viewer starts PART-HOLD-BACK
 * from the live edge at an independent part, fetches each new part once (never
 * the segment the parts make up), and then, with one http.batch, asks at once
 * for the hinted part (EXT-X-PRELOAD-HINT) and the blocking reload of the
 * playlist that will list it (`_HLS_msn`/`_HLS_part`): the server holds both
 * until the part exists, as it does for a real low-latency player.
 *
 * Requests are tagged { name: 'playlist' | 'segment' | 'part' | 'll-playlist' }
 * (ll-playlist: blocking reloads, held by the server on purpose) so URLs do not
 * turn into one metric series each.
 */
import { sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import {
  backupVariant,
  bufferWaitMs,
  chooseVariant,
  isMasterPlaylist,
  blockingReloadUrl,
  findPart,
  isLowLatency,
  isRebuffer,
  lastMsn,
  liveStartIndex,
  lowLatencyStart,
  newestSegmentAgeMs,
  nextBlockingRequest,
  nextReloadAt,
  parseMasterPlaylist,
  parseMediaPlaylist,
  partLatencyMs,
  partsToFetch,
  playlistChanged,
  playoutAfter,
  resolveUrl,
  retryWaitMs,
  segmentByMsn,
  segmentsToFetch,
} from './hls.js';

/** @typedef {import('./hls.js').MediaPlaylist} MediaPlaylist */
/** @typedef {import('./hls.js').Segment} Segment */
/** @typedef {import('./hls.js').Part} Part */
/** @typedef {import('./hls.js').PartPosition} PartPosition */
/** @typedef {'playlist' | 'll-playlist' | 'segment' | 'part'} RequestName */

/**
 * @typedef {object} ViewerSettings
 * @property {string} masterUrl  Absolute URL of the master (or a media) playlist.
 * @property {import('./hls.js').VariantChoice} variant
 * @property {number} sessionSec  How long the viewer stays.
 * @property {number} maxBufferSec  VOD: media kept ahead of the playhead.
 * @property {string} timeout  Per-request timeout of playlists, k6 duration string.
 * @property {number} segmentTimeoutMs  Per-request timeout of segments and parts (then one retry), ms.
 * @property {boolean} lowLatency  Follow low-latency playlists with parts, blocking reloads and preload hints.
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
/** Share of segment (and part) answers an edge served from its cache (X-Cache-Status HIT). */
export const cacheHitRate = new Rate('edge_cache_hit');
/** Low latency: time to first byte of parts (ms), tagged hinted: yes (asked for before listed: held until the part exists) or no. */
export const llPartTtfb = new Trend('ll_part_ttfb', true);
/** Low latency: how long blocking playlist reloads were held (ms): their time to first byte. */
export const llPlaylistWait = new Trend('ll_playlist_wait', true);
/** Low latency: now minus the end of the newest part fetched, per EXT-X-PROGRAM-DATE-TIME (ms); needs synchronized clocks. */
export const llLatency = new Trend('ll_latency', true);

/**
 * Request parameters: tagged by name; media bodies are only timed, never read,
 * so their bytes are not kept in the VU.
 * @param {RequestName} name
 * @param {string | number} timeout  k6 duration string, or ms.
 * @returns {import('k6/http').Params}
 */
function params(name, timeout) {
  return { tags: { name }, timeout, responseType: name === 'segment' || name === 'part' ? 'none' : 'text' };
}

/**
 * The bookkeeping every answer shares (answers per edge, cache hits). Whether a
 * failure is an error for the viewer is the caller's call.
 * @param {import('k6/http').Response} res
 * @param {RequestName} name
 */
function record(res, name) {
  const ok = res.error_code === 0 && res.status >= 200 && res.status < 300;
  const edge = res.headers['X-Edge-Id'];
  if (res.status !== 0) edgeRequests.add(1, { edge: edge || 'none', name });
  const cache = res.headers['X-Cache-Status'];
  if (ok && (name === 'segment' || name === 'part') && cache) cacheHitRate.add(cache === 'HIT');
  return { res, ok };
}

/**
 * One GET, recorded.
 * @param {string} url
 * @param {RequestName} name
 * @param {string | number} timeout  k6 duration string, or ms.
 */
function request(url, name, timeout) {
  return record(http.get(url, params(name, timeout)), name);
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
  return ok ? mediaPlaylistOf(res) : undefined;
}

/**
 * The media playlist in a successful answer; unparsable is an error.
 * @param {import('k6/http').Response} res
 * @returns {{ playlist: MediaPlaylist, url: string } | undefined}
 */
function mediaPlaylistOf(res) {
  const parsed = typeof res.body === 'string' ? parseMediaPlaylist(res.body) : undefined;
  if (!parsed?.ok) {
    errorRate.add(true, { name: 'parse' });
    return undefined;
  }
  return { playlist: parsed.value, url: res.url };
}

/**
 * A viewer's stream once joined.
 * @typedef {object} Opened
 * @property {string} mediaUrl  The chosen variant's media playlist, reloaded from here.
 * @property {string | undefined} backupUrl  Its twin on the BACKUP pathway, if any.
 * @property {MediaPlaylist} playlist  As first loaded.
 * @property {string} playlistUrl  Where it was fetched from, after redirects.
 * @property {number} loadStartedAt  When that load began, ms since the epoch.
 */

/**
 * Master -> chosen variant (and its twin on the backup pathway) -> its media
 * playlist. A STREAM that is itself a media playlist is watched as is.
 * @param {ViewerSettings} settings
 * @returns {Opened | undefined}
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
 * A media object to fetch: a segment, a part, or the init segment of either.
 * @typedef {object} MediaTarget
 * @property {string} uri  As written in the current media playlist.
 * @property {(playlist: MediaPlaylist) => string | undefined} twinIn  Its URI in the BACKUP pathway's media playlist (same MSN, same part index).
 * @property {'segment' | 'part'} name
 */

/**
 * Fetches one media object as a player does: after a failure or a timeout,
 * once more, from the backup pathway's media playlist (the object with the same
 * media sequence number and part index) when there is one, else from the same
 * URL (in redirect mode the rewriter then picks a healthy edge), after
 * `retryWaitMs`.
 * @param {MediaTarget} target
 * @param {Source} source
 * @param {ViewerSettings} settings
 */
function fetchWithRetry(target, source, settings) {
  const url = resolveUrl(source.playlistUrl, target.uri);
  const startedAt = Date.now();
  const first = request(url, target.name, settings.segmentTimeoutMs);
  if (first.ok) return first;
  let retryUrl = url;
  if (source.backupUrl !== undefined) {
    const backup = loadMediaPlaylist(source.backupUrl, settings);
    const twinUri = backup && target.twinIn(backup.playlist);
    if (backup === undefined || twinUri === undefined) return first;
    retryUrl = resolveUrl(backup.url, twinUri);
  }
  const sameUrl = source.backupUrl === undefined;
  const wait = retryWaitMs({ elapsedMs: Date.now() - startedAt, timeoutMs: settings.segmentTimeoutMs, sameUrl });
  if (wait > 0) sleep(wait / 1000);
  segmentRetries.add(1, { via: sameUrl ? 'same-url' : 'backup' });
  return request(retryUrl, target.name, settings.segmentTimeoutMs);
}

/**
 * Downloads a segment or a part, and first its init segment when that changed
 * since the last one fetched; each retried once on failure. A failure after
 * the retry is an error.
 * @param {{ item: Segment | Part, twinIn: (playlist: MediaPlaylist) => Segment | Part | undefined, name: 'segment' | 'part' }} target
 * @param {Source} source
 * @param {{ map?: string }} seen  The last init segment fetched, updated here.
 * @param {ViewerSettings} settings
 */
function fetchMedia(target, source, seen, settings) {
  const { item, twinIn, name } = target;
  if (item.map !== undefined) {
    const mapUrl = resolveUrl(source.playlistUrl, item.map);
    if (seen.map !== mapUrl) {
      const map = fetchWithRetry({ uri: item.map, twinIn: (playlist) => twinIn(playlist)?.map, name: 'segment' }, source, settings);
      errorRate.add(!map.ok, { name: 'segment' });
      if (map.ok) seen.map = mapUrl;
    }
  }
  const result = fetchWithRetry({ uri: item.uri, twinIn: (playlist) => twinIn(playlist)?.uri, name }, source, settings);
  errorRate.add(!result.ok, { name });
  return result;
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
  const { res, ok } = fetchMedia(
    { item: segment, twinIn: (playlist) => segmentByMsn(playlist, segment.msn), name: 'segment' },
    source,
    seen,
    settings,
  );
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
  if (settings.lowLatency && isLowLatency(opened.playlist)) {
    watchLowLatency(opened, settings, { joinedAt, leaveAt });
    return;
  }
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
 * When a response arrived, ms since the epoch, for requests sent together
 * (http.batch returns when the last one is done): when the batch went out plus
 * the request's own k6 timings (queueing for a connection included).
 * @param {number} sentAt
 * @param {import('k6/http').Response} res
 */
function arrivalOf(sentAt, res) {
  const t = res.timings;
  return sentAt + t.blocked + t.connecting + t.tls_handshaking + t.duration;
}

/**
 * Follows a low-latency live stream (RFC 8216bis) for the rest of the session.
 * Starts at `lowLatencyStart` (else where a regular viewer would), then loops:
 * fetches what `partsToFetch` says is new, one object at a time, each retried
 * once (a completed segment is not fetched again: the viewer has its parts);
 * then sends, together in one http.batch, the hinted part (unless already
 * fetched) and the blocking reload for the part after the last one listed
 * (`_HLS_msn`/`_HLS_part`), which the server both holds until that part exists.
 * A hinted part that failed is not an error yet: the viewer fetches it again
 * once listed (counted in segment_retries, via: hint), with the usual retry.
 * Playback and rebuffers follow `playoutAfter`; ll_latency is sampled at
 * each part's arrival.
 * @param {Opened} opened
 * @param {ViewerSettings} settings
 * @param {{ joinedAt: number, leaveAt: number }} session
 */
function watchLowLatency(opened, settings, session) {
  const { mediaUrl, backupUrl } = opened;
  let { playlist, playlistUrl } = opened;
  const start = lowLatencyStart(playlist);
  /** @type {PartPosition} */
  let after =
    start === undefined
      ? { msn: playlist.segments[liveStartIndex(playlist)]?.msn ?? playlist.mediaSequence, part: -1 }
      : { msn: start.msn, part: start.index - 1 };
  /** @type {{ map?: string }} */
  const seen = {};
  /** @type {number | undefined} */
  let runsOutAt;
  let advancedAt = opened.loadStartedAt;
  /**
   * Playback bookkeeping for media that arrived (or, ok false, never did).
   * @param {boolean} ok
   * @param {number} arrivedAt
   * @param {number} durationSec
   */
  const played = (ok, arrivedAt, durationSec) => {
    if (!ok) {
      rebufferRate.add(true);
      return;
    }
    if (runsOutAt === undefined) startupTime.add(arrivedAt - session.joinedAt);
    const playout = playoutAfter({ runsOutAt, arrivedAt, durationSec });
    runsOutAt = playout.runsOutAt;
    rebufferRate.add(playout.rebuffer);
  };
  for (;;) {
    /** @type {Source} */
    const source = { playlistUrl, backupUrl };
    const { segments, parts, skipped } = partsToFetch(playlist, after);
    if (skipped > 0) {
      segmentsMissed.add(skipped);
      for (let i = 0; i < skipped; i++) rebufferRate.add(true);
    }
    for (const segment of segments) {
      if (Date.now() >= session.leaveAt) return;
      const twinIn = (/** @type {MediaPlaylist} */ other) => segmentByMsn(other, segment.msn);
      const { res, ok } = fetchMedia({ item: segment, twinIn, name: 'segment' }, source, seen, settings);
      if (ok) segmentTtfb.add(res.timings.waiting);
      played(ok, Date.now(), segment.duration);
      after = { msn: segment.msn + 1, part: -1 };
    }
    for (const part of parts) {
      if (Date.now() >= session.leaveAt) return;
      const twinIn = (/** @type {MediaPlaylist} */ other) => findPart(other, { msn: part.msn, part: part.index });
      const { res, ok } = fetchMedia({ item: part, twinIn, name: 'part' }, source, seen, settings);
      const arrivedAt = Date.now();
      if (ok) {
        llPartTtfb.add(res.timings.waiting, { hinted: 'no' });
        const latency = partLatencyMs(part, arrivedAt);
        if (latency !== undefined) llLatency.add(latency);
      }
      played(ok, arrivedAt, part.duration);
      after = { msn: part.msn, part: part.index, uri: part.uri };
    }
    if (playlist.endList || Date.now() >= session.leaveAt) return;

    const next = nextBlockingRequest(playlist);
    const hint = playlist.preloadHint !== undefined && playlist.preloadHint !== after.uri ? playlist.preloadHint : undefined;
    const partTargetMs = (playlist.partTarget ?? 1) * 1000;
    /** @type {Record<string, import('k6/http').ObjectBatchRequest>} */
    const requests = {
      playlist: { method: 'GET', url: blockingReloadUrl(mediaUrl, next), params: params('ll-playlist', settings.timeout) },
    };
    // The server holds a hinted part until it exists, about a part after the playlist
    // that hinted it: it gets two part targets for that on top of the usual timeout.
    if (hint !== undefined)
      requests.hint = {
        method: 'GET',
        url: resolveUrl(playlistUrl, hint),
        params: params('part', settings.segmentTimeoutMs + 2 * partTargetMs),
      };
    const sentAt = Date.now();
    const responses = http.batch(requests);

    /** @type {number | undefined} */
    let hintArrivedAt;
    const hintRes = responses.hint;
    if (hint !== undefined && hintRes !== undefined) {
      if (record(hintRes, 'part').ok) {
        llPartTtfb.add(hintRes.timings.waiting, { hinted: 'yes' });
        hintArrivedAt = arrivalOf(sentAt, hintRes);
        after = { msn: next.msn, part: next.part, uri: hint };
      } else segmentRetries.add(1, { via: 'hint' });
    }

    const reloadRes = responses.playlist;
    const reloadOk = reloadRes !== undefined && record(reloadRes, 'll-playlist').ok;
    errorRate.add(!reloadOk, { name: 'playlist' });
    const reloaded = reloadOk ? mediaPlaylistOf(reloadRes) : undefined;
    if (reloaded !== undefined && reloadRes !== undefined) {
      llPlaylistWait.add(reloadRes.timings.waiting);
      if (lastMsn(reloaded.playlist) > lastMsn(playlist)) advancedAt = sentAt;
      playlistStaleness.add(Date.now() - advancedAt);
      const age = newestSegmentAgeMs(reloaded.playlist, Date.now());
      if (age !== undefined) newestSegmentAge.add(age);
      playlist = reloaded.playlist;
      playlistUrl = reloaded.url;
    }
    if (hintArrivedAt !== undefined) {
      // Where the hinted part turned out to be, with its duration and date, once listed.
      const listed = findPart(playlist, after);
      if (listed !== undefined) after = { msn: listed.msn, part: listed.index, uri: listed.uri };
      const latency = listed && partLatencyMs(listed, hintArrivedAt);
      if (latency !== undefined) llLatency.add(latency);
      played(true, hintArrivedAt, listed?.duration ?? partTargetMs / 1000);
    }
    // A reload that failed (perhaps at once), or that came back without the part asked
    // for (a server or cache that did not hold it): ask again a part target later, not in a tight loop.
    const reached = nextBlockingRequest(playlist);
    const progressed = reloaded !== undefined && (reached.msn > next.msn || (reached.msn === next.msn && reached.part > next.part));
    if (!progressed) sleep(Math.min(partTargetMs, Math.max(0, session.leaveAt - Date.now())) / 1000);
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
