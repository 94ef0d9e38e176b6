/** The typed events of an HLS uploader (hls.js style: one map, one payload type per event). */
import type { UploadKind } from './upload-metrics.js';

export interface PublishedPlaylist {
  readonly rung: string;
  readonly key: string;
  readonly mediaSequence: number;
  readonly lastMsn: number | undefined;
  readonly segments: number;
  readonly endList: boolean;
}

export interface UploaderEvents {
  segment: [{ rung: string; key: string; bytes: number; ms: number }];
  playlist: [PublishedPlaylist];
  master: [{ key: string }];
  'slow-upload': [{ key: string; kind: UploadKind; ms: number; budgetMs: number }];
  'upload-error': [{ key: string; kind: UploadKind; error: string }];
  expired: [{ key: string }];
}

export type EmitUploaderEvent = <E extends keyof UploaderEvents>(event: E, ...args: UploaderEvents[E]) => void;
