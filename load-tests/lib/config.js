// @ts-check
/**
 * Settings of the load-test scripts, read once from k6's environment
 * (`k6 run -e NAME=value` or exported variables), and the thresholds they share.
 * Every setting has a default that fits the local stack (`npm start`).
 */
import { durationMs, resolveUrl } from './hls.js';

/**
 * @param {string | undefined} value
 * @param {number} fallback
 */
function number(value, fallback) {
  const parsed = Number(value);
  return value === undefined || value === '' || !Number.isFinite(parsed) ? fallback : parsed;
}

/** @returns {import('./hls.js').VariantChoice} */
function variantChoice() {
  const value = __ENV.VARIANT;
  if (value === undefined || value === '') return 'random';
  if (value === 'random' || value === 'lowest' || value === 'highest') return value;
  throw new Error(`VARIANT must be random, lowest or highest, not "${value}"`);
}

/** Where the rewriter (or any HLS server) is: the local stack's rewriter by default. */
export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8090';
/**
 * The stream's master playlist: a path on BASE_URL or a full URL. Add
 * `?hlscdn_mode=redirect` (or steering) to override the rewriter's mode.
 */
export const STREAM = __ENV.STREAM || '/live/master.m3u8';
/** Absolute URL of the master playlist. */
export const MASTER_URL = resolveUrl(`${BASE_URL.replace(/\/+$/, '')}/`, STREAM);
/** Concurrent viewers at the plateau (ramping-vus scripts). */
export const VUS = number(__ENV.VUS, 20);
/** Length of the plateau. */
export const DURATION = __ENV.DURATION || '2m';
export const RAMP_UP = __ENV.RAMP_UP || '30s';
export const RAMP_DOWN = __ENV.RAMP_DOWN || '10s';
/** random | lowest | highest BANDWIDTH. */
export const VARIANT = variantChoice();
/** How long one viewer watches before leaving (a VU then joins again as a new viewer). */
export const SESSION_SEC = number(__ENV.SESSION_SEC, 60);
/** VOD: media players keep this much ahead of the playhead, then fetch at playback pace. */
export const MAX_BUFFER_SEC = number(__ENV.MAX_BUFFER_SEC, 30);
/** Per-request timeout of playlist requests. */
export const REQUEST_TIMEOUT = __ENV.REQUEST_TIMEOUT || '10s';
/**
 * Per-request timeout of segment requests (k6 bounds the whole request, body
 * and redirects included). Like the player page's hls.js (1 s to first byte),
 * a viewer gives up on a hung edge quickly and retries the segment once
 * elsewhere (player.js); raise it for large segments or far-away load generators.
 */
export const SEGMENT_TIMEOUT = __ENV.SEGMENT_TIMEOUT || '1s';
/** SEGMENT_TIMEOUT in ms (k6 durations such as `1s` or `500ms`, or a plain number of ms). */
export const SEGMENT_TIMEOUT_MS = positiveDurationMs('SEGMENT_TIMEOUT', SEGMENT_TIMEOUT);
/**
 * Live viewers play low-latency HLS (RFC 8216bis) where the variant's playlist
 * offers it (CAN-BLOCK-RELOAD=YES and EXT-X-PART-INF): parts, blocking reloads,
 * preload hints. Off by default: viewers then fetch whole segments, as players
 * without low-latency support do.
 */
export const LOW_LATENCY = flag('LOW_LATENCY', __ENV.LOW_LATENCY);

/**
 * @param {string} name
 * @param {string | undefined} value  1/true/yes, 0/false/no, or unset.
 */
function flag(name, value) {
  const normalized = (value ?? '').trim().toLowerCase();
  if (normalized === '' || normalized === '0' || normalized === 'false' || normalized === 'no') return false;
  if (normalized === '1' || normalized === 'true' || normalized === 'yes') return true;
  throw new Error(`${name} must be 1 or 0, not "${value}"`);
}

/**
 * @param {string} name
 * @param {string} value
 */
function positiveDurationMs(name, value) {
  const ms = durationMs(value);
  if (!(ms > 0)) throw new Error(`${name} must be a duration such as 1s or 500ms, not "${value}"`);
  return ms;
}

/**
 * Pass/fail criteria shared by the scripts; each bound can be moved with an
 * environment variable. Staleness is sampled at every reload: with 2 s segments
 * and 1 s playlist caching at the edges, a healthy live edge stays under about
 * 2 target durations.
 * @returns {Record<string, string[]>}
 */
export function sharedThresholds() {
  return {
    errors: [`rate<${number(__ENV.MAX_ERROR_RATE, 0.01)}`],
    rebuffer_rate: [`rate<${number(__ENV.MAX_REBUFFER_RATE, 0.02)}`],
    'http_req_duration{name:playlist}': [`p(95)<${number(__ENV.PLAYLIST_P95_MS, 500)}`],
    'http_req_duration{name:segment}': [`p(95)<${number(__ENV.SEGMENT_P95_MS, 1500)}`],
    segment_ttfb: [`p(95)<${number(__ENV.SEGMENT_TTFB_P95_MS, 500)}`],
    playlist_staleness: [`p(95)<${number(__ENV.STALENESS_P95_MS, 6000)}`],
    ...edgeSummaries(),
  };
}

/**
 * k6's end-of-test summary shows a tagged sub-metric only when it has a
 * threshold: for each edge id in EDGES (comma-separated), a threshold that
 * always passes, so requests per edge are listed.
 * @returns {Record<string, string[]>}
 */
function edgeSummaries() {
  /** @type {Record<string, string[]>} */
  const thresholds = {};
  for (const id of (__ENV.EDGES || '').split(',')) {
    if (id.trim() !== '') thresholds[`edge_requests{edge:${id.trim()}}`] = ['count>=0'];
  }
  return thresholds;
}

/** The settings a viewer runs with, as player.js takes them. */
export function viewerSettings() {
  return {
    masterUrl: MASTER_URL,
    variant: VARIANT,
    sessionSec: SESSION_SEC,
    maxBufferSec: MAX_BUFFER_SEC,
    timeout: REQUEST_TIMEOUT,
    segmentTimeoutMs: SEGMENT_TIMEOUT_MS,
    lowLatency: LOW_LATENCY,
  };
}
