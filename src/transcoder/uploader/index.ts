// Public surface of the uploader: local ffmpeg output -> object store, in a safe order.
export { DEFAULT_UPLOAD_RETRY, HlsUploader, MASTER_PLAYLIST_NAME } from './hls-uploader.js';
export type { HlsUploaderOptions, RunStart } from './hls-uploader.js';
export { LiveWindow } from './live-window.js';
export type { LiveWindowOptions, MergeResult } from './live-window.js';
export { parseMediaPlaylist } from './media-playlist.js';
export type { MediaPlaylist, MediaPlaylistErrorCode, MediaSegment } from './media-playlist.js';
export { ExpirySchedule, gracePeriodMs } from './expiry-schedule.js';
export { SLOW_UPLOAD_FACTOR } from './put-object.js';
export { createUploadMetrics } from './upload-metrics.js';
export type { UploadKind, UploadMetrics } from './upload-metrics.js';
export type { PublishedPlaylist, UploaderEvents } from './uploader-events.js';
export { initStoreName, joinKey, segmentNumber } from './store-names.js';
