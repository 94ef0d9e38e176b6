/**
 * What a viewer's request may ask of the rewriter, validated: the mode override
 * (`hlscdn_mode`), the steering pathway pin (`hlscdn_pathway`), the LL-HLS
 * blocking-reload parameters (`_HLS_msn`, `_HLS_part`, `_HLS_skip`, rfc8216bis
 * 6.2.5) and the zone header. Bad input is a value, mapped to 400 by the app.
 */
import { err, ok, type Result } from '../../core/result.js';
import { REWRITER_MODES, type RewriterMode } from '../config.js';

export const MODE_PARAM = 'hlscdn_mode';
export const PATHWAY_PARAM = 'hlscdn_pathway';
/** Marks the media playlists of the BACKUP pathway (playlist/backup-pathways.ts): objects go to their second-choice edge. */
export const BACKUP_PARAM = 'hlscdn_backup';
/**
 * On a redirect: the host (`host[:port]`) of an edge that just failed this object
 * for the viewer; the redirect then goes to the object's next edge. Players retry
 * through it (the player page's Shaka request filter does).
 */
export const AVOID_PARAM = 'hlscdn_avoid';
/** On the player page: which player plays (`hls.js`, the default, or `shaka`). */
export const PLAYER_PARAM = 'hlscdn_player';
export const PLAYERS = ['hls.js', 'shaka'] as const;
export type PlayerName = (typeof PLAYERS)[number];
/** Query parameters the rewriter reads for itself; never forwarded to edges. */
const OWN_PARAM_PREFIX = 'hlscdn_';

/** LL-HLS blocking playlist reload (rfc8216bis 6.2.5.2) and delta update (6.2.5.1) directives. */
export interface BlockingReload {
  msn?: number;
  part?: number;
  skip?: 'YES' | 'v2';
}

const DECIMAL_INTEGER = /^\d{1,15}$/;

function readInteger(params: URLSearchParams, name: string): Result<number | undefined, string> {
  const value = params.get(name);
  if (value === null) return ok(undefined);
  return DECIMAL_INTEGER.test(value)
    ? ok(Number(value))
    : err(`${name} must be a decimal integer, got ${JSON.stringify(value.slice(0, 20))}`);
}

export function readBlockingReload(params: URLSearchParams): Result<BlockingReload, string> {
  const msn = readInteger(params, '_HLS_msn');
  if (!msn.ok) return msn;
  const part = readInteger(params, '_HLS_part');
  if (!part.ok) return part;
  // rfc8216bis 6.2.5.2: _HLS_part without _HLS_msn is a bad request.
  if (part.value !== undefined && msn.value === undefined) return err('_HLS_part requires _HLS_msn');
  const skip = params.get('_HLS_skip');
  if (skip !== null && skip !== 'YES' && skip !== 'v2') return err('_HLS_skip must be YES or v2');
  const reload: BlockingReload = {};
  if (msn.value !== undefined) reload.msn = msn.value;
  if (part.value !== undefined) reload.part = part.value;
  if (skip !== null) reload.skip = skip;
  return ok(reload);
}

/**
 * The directives as forwarded to the origin, in a fixed order so equal requests share
 * one cache entry: `''` or `'?_HLS_msn=..&_HLS_part=..&_HLS_skip=..'`.
 */
export function blockingQuery(reload: BlockingReload): string {
  const parts: string[] = [];
  if (reload.msn !== undefined) parts.push(`_HLS_msn=${reload.msn}`);
  if (reload.part !== undefined) parts.push(`_HLS_part=${reload.part}`);
  if (reload.skip !== undefined) parts.push(`_HLS_skip=${reload.skip}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * rfc8216bis 6.2.5.2: a request for a segment more than two past the last one of the
 * current playlist gets 400 at once instead of blocking. Only decidable when the
 * rewriter has seen the playlist (`lastMsn` known).
 */
export function isMsnTooFarAhead(reload: BlockingReload, lastMsn: number | undefined): boolean {
  return reload.msn !== undefined && lastMsn !== undefined && reload.msn > lastMsn + 2;
}

export interface ModeRequest {
  mode: RewriterMode;
  /** True when the request named the mode: the override is then carried into sub-playlist URIs. */
  overridden: boolean;
}

export function readMode(params: URLSearchParams, deploymentMode: RewriterMode): Result<ModeRequest, string> {
  const value = params.get(MODE_PARAM);
  if (value === null) return ok({ mode: deploymentMode, overridden: false });
  const mode = REWRITER_MODES.find((candidate) => candidate === value);
  if (mode === undefined) return err(`${MODE_PARAM} must be one of ${REWRITER_MODES.join(', ')}`);
  return ok({ mode, overridden: true });
}

/** Same rule as registry edge ids, which pathway ids are (src/edge-registry/edge-record.ts). */
const PATHWAY_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The edge a steering pathway clone pins its media playlists to, if any. */
export function readPathwayPin(params: URLSearchParams): Result<string | undefined, string> {
  const value = params.get(PATHWAY_PARAM);
  if (value === null) return ok(undefined);
  return PATHWAY_ID.test(value) ? ok(value) : err(`${PATHWAY_PARAM} must be an edge id`);
}

/** Whether the request is for the backup pathway's media playlist (`hlscdn_backup=1`). */
export function readBackup(params: URLSearchParams): Result<boolean, string> {
  const value = params.get(BACKUP_PARAM);
  if (value === null) return ok(false);
  return value === '1' ? ok(true) : err(`${BACKUP_PARAM} must be 1`);
}

/** A URL host as `URL.host` writes it: a name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const URL_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** The edge host a redirect must not answer with (`hlscdn_avoid`), if any. */
export function readAvoidedHost(params: URLSearchParams): Result<string | undefined, string> {
  const value = params.get(AVOID_PARAM);
  if (value === null) return ok(undefined);
  return URL_HOST.test(value)
    ? ok(value.toLowerCase())
    : err(`${AVOID_PARAM} must be a host[:port], got ${JSON.stringify(value.slice(0, 40))}`);
}

/** Which player the player page runs. */
export function readPlayer(params: URLSearchParams): Result<PlayerName, string> {
  const value = params.get(PLAYER_PARAM);
  if (value === null) return ok('hls.js');
  const player = PLAYERS.find((candidate) => candidate === value);
  return player === undefined ? err(`${PLAYER_PARAM} must be one of ${PLAYERS.join(', ')}`) : ok(player);
}

/** Same rule as registry zones; anything else (absent, garbage from a client) means "no preference". */
const ZONE = /^[A-Za-z0-9._-]{1,64}$/;

export function readZone(headerValue: string | undefined): string | undefined {
  const zone = headerValue?.trim();
  return zone !== undefined && ZONE.test(zone) ? zone : undefined;
}

function splitSearch(search: string): string[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '');
}

function joinSearch(pairs: readonly string[]): string {
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/**
 * A search string without the rewriter's own parameters, for URLs handed to edges:
 * `''` or `'?...'`. Other parameters are kept byte for byte (tokens may be signed).
 */
export function withoutOwnParams(search: string): string {
  if (!search.includes(OWN_PARAM_PREFIX)) return search;
  return joinSearch(splitSearch(search).filter((pair) => !pair.startsWith(OWN_PARAM_PREFIX)));
}

/** A search string without one parameter (every occurrence), others byte for byte: `''` or `'?...'`. */
export function withoutParam(search: string, name: string): string {
  if (!search.includes(name)) return search;
  return joinSearch(splitSearch(search).filter((pair) => pair !== name && !pair.startsWith(`${name}=`)));
}

/** Only the rewriter's own parameters of a search string, as `''` or `'?...'`. */
export function onlyOwnParams(search: string): string {
  return joinSearch(splitSearch(search).filter((pair) => pair.startsWith(OWN_PARAM_PREFIX)));
}
