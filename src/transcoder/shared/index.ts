// Public surface of the transcoder's shared helpers: error values and output layout.
export { fail, ok } from './result.js';
export type { TranscoderError, TranscoderResult } from './result.js';
export {
  MEDIA_PLAYLIST_NAME,
  initSegmentName,
  mediaPlaylistUri,
  segmentExtension,
  segmentNamePattern,
} from './output-layout.js';
export type { SegmentType } from './output-layout.js';
