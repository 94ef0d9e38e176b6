/** The part of m3u8-parser 7's untyped API the tests' playlist oracle reads. */
declare module 'm3u8-parser' {
  export interface ParsedPart {
    duration?: number;
    uri?: string;
    independent?: boolean;
  }
  export interface ParsedSegment {
    duration?: number;
    uri?: string;
    timeline?: number;
    discontinuity?: boolean;
    byterange?: { length: number; offset: number };
    map?: { uri?: string };
    key?: { method?: string; uri?: string };
    parts?: ParsedPart[];
  }
  export interface ParsedPlaylist {
    uri?: string;
    attributes?: Record<string, unknown>;
  }
  export interface ParsedManifest {
    targetDuration?: number;
    mediaSequence?: number;
    discontinuitySequence?: number;
    endList?: boolean;
    segments: ParsedSegment[];
    playlists?: ParsedPlaylist[];
    mediaGroups?: Record<string, Record<string, Record<string, { uri?: string }>>>;
    iFramePlaylists?: ParsedPlaylist[];
    partInf?: { partTarget?: number };
    preloadSegment?: ParsedSegment;
  }
  export class Parser {
    manifest: ParsedManifest;
    push(chunk: string): void;
    end(): void;
  }
}
