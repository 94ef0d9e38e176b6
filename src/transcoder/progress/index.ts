// Public surface of ffmpeg progress parsing and stall detection.
export { parseProgressChunk } from './parse-progress.js';
export type { ParsedProgress, ProgressBlock } from './parse-progress.js';
export { StallDetector } from './stall-detector.js';
export type { StallDetectorOptions } from './stall-detector.js';
