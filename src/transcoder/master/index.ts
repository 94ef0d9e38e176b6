// Public surface of the master playlist writer.
export { DEFAULT_MUXING_OVERHEAD, buildMasterPlaylist } from './build-master-playlist.js';
export type { MasterPlaylistOptions } from './build-master-playlist.js';
export { AAC_LC_CODEC, avc1Codec } from './codecs.js';
