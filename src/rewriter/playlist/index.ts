/**
 * Public surface of the pure playlist engine: rewrite a playlist's URIs and read
 * the facts that drive caching. No I/O anywhere below this directory.
 */

export { rewritePlaylist } from './rewrite-playlist.js';
export { addBackupPathways, BACKUP_PATHWAY_ID, PRIMARY_PATHWAY_ID, type BackupPathwayOptions } from './backup-pathways.js';
export { readPlaylistFacts } from './facts.js';
export type { PlaylistFacts, ReadPlaylistFactsOptions, ServerControl } from './facts.js';
export type { PlaylistKind, PlaylistLimits, RewriteContext, RewriteResult, SteeringOptions, UriContext, UriRole } from './rewrite-types.js';
export type { PlaylistError, PlaylistErrorCode, Result } from './errors.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES } from './read-playlist.js';
export { isPlaylistRole } from './uri-attributes.js';
export { fillUriTemplate, prepareUriTemplate, type UriTemplate } from './uri-template.js';
export { checkLowLatencyPlaylist, type LowLatencyFinding, type LowLatencyRule, type LowLatencyRuleOptions } from './low-latency-rules.js';
