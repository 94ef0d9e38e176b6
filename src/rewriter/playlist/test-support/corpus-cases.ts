/**
 * The golden corpus: each input playlist, the URL it was fetched from, and what
 * the rewrite must report. `<name>.expected.m3u8` beside each input is the exact
 * output of rewritePlaylist with readableMapUri (and the steering options listed).
 */

import { readFileSync, readdirSync } from 'node:fs';
import type { PlaylistKind, SteeringOptions } from '../rewrite-types.js';

export interface CorpusCase {
  name: string;
  playlistUrl: string;
  kind: PlaylistKind;
  /** URIs handed to mapUri (rendition reports and skd:/data: URIs are not). */
  uriCount: number;
  steering?: SteeringOptions;
}

export const CORPUS_CASES: readonly CorpusCase[] = [
  { name: 'ffmpeg-ts-live', playlistUrl: 'https://origin.test/live/channel1/720p.m3u8', kind: 'media', uriCount: 5 },
  { name: 'ffmpeg-fmp4-vod', playlistUrl: 'https://origin.test/vod/bbb/stream_1.m3u8', kind: 'media', uriCount: 5 },
  { name: 'aes128-keys', playlistUrl: 'https://origin.test/vod/movie42/hls/index.m3u8', kind: 'media', uriCount: 6 },
  { name: 'sample-aes-drm', playlistUrl: 'https://origin.test/drm/asset-7f3c9a2e/hls/main.m3u8', kind: 'media', uriCount: 5 },
  { name: 'master-session-key', playlistUrl: 'https://origin.test/drm/asset-7f3c9a2e/master.m3u8', kind: 'master', uriCount: 3 },
  {
    name: 'master-alternate-renditions',
    playlistUrl: 'https://origin.test/vod/show/s01e01/master.m3u8?token=abc/def',
    kind: 'master',
    uriCount: 7,
  },
  { name: 'master-iframe', playlistUrl: 'https://origin.test/vod/clip/master.m3u8', kind: 'master', uriCount: 4 },
  { name: 'iframe-media-byterange', playlistUrl: 'https://origin.test/vod/clip/hls/720p_iframes.m3u8', kind: 'media', uriCount: 4 },
  { name: 'byterange-fmp4-single-file', playlistUrl: 'https://origin.test/vod/single/main.m3u8', kind: 'media', uriCount: 4 },
  { name: 'discontinuity-pdt', playlistUrl: 'https://origin.test/live/news/index.m3u8', kind: 'media', uriCount: 5 },
  { name: 'llhls-media', playlistUrl: 'https://origin.test/live/ch7/720p/index.m3u8', kind: 'media', uriCount: 12 },
  {
    name: 'llhls-delta-skip',
    playlistUrl: 'https://origin.test/live/ch7/720p/index.m3u8?_HLS_msn=3122&_HLS_part=1&_HLS_skip=YES',
    kind: 'media',
    uriCount: 4,
  },
  { name: 'master-content-steering', playlistUrl: 'https://origin.test/vod/v42/master.m3u8', kind: 'master', uriCount: 4 },
  {
    name: 'master-steering-add',
    playlistUrl: 'https://origin.test/vod/v43/master.m3u8',
    kind: 'master',
    uriCount: 3,
    steering: { serverUri: 'https://rw.test/steering/v43.json?session=s1', pathwayId: 'hlscdn' },
  },
  {
    name: 'master-steering-replace',
    playlistUrl: 'https://origin.test/vod/v9/master.m3u8',
    kind: 'master',
    uriCount: 2,
    steering: { serverUri: 'https://rw.test/steering/v9.json', pathwayId: 'hlscdn' },
  },
  { name: 'master-session-data', playlistUrl: 'https://origin.test/vod/bbb/master.m3u8', kind: 'master', uriCount: 3 },
  { name: 'ad-markers-scte35', playlistUrl: 'https://origin.test/live/sports/index.m3u8', kind: 'media', uriCount: 7 },
  { name: 'uri-forms', playlistUrl: 'https://origin.test/vod/movie/hls/720p/index.m3u8?token=a/b', kind: 'media', uriCount: 13 },
  { name: 'crlf-mixed-no-final-newline', playlistUrl: 'https://origin.test/event/e1/index.m3u8', kind: 'media', uriCount: 4 },
  { name: 'bom-utf8', playlistUrl: 'https://origin.test/vod/fr/index.m3u8', kind: 'media', uriCount: 2 },
];

const CORPUS_DIR = new URL('../corpus/', import.meta.url);

export function readCorpusFile(fileName: string): string {
  return readFileSync(new URL(fileName, CORPUS_DIR), 'utf8');
}

/** Names of the input playlists present on disk (golden outputs excluded). */
export function corpusInputNames(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.m3u8') && !file.endsWith('.expected.m3u8'))
    .map((file) => file.slice(0, -'.m3u8'.length))
    .sort();
}
