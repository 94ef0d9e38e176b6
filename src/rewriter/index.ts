/**
 * Public surface of the rewriter: the service (`startRewriter`, the testable
 * Hono app), its configuration section, the pure helpers it is built from,
 * and the playlist engine and edge selection it runs on.
 */
export { rewriterSchema, REWRITER_MODES, type RewriterConfig, type RewriterConfigInput, type RewriterMode, type RewriterSigning } from './config.js';
export { startRewriter, type RewriterFleetOptions, type RunningRewriter, type StartRewriterOptions } from './service/rewriter-service.js';
export { createRewriterApp, HLS_SCRIPT_PATH, type RewriterAppOptions } from './service/rewriter-app.js';
export { HotAnswers, type HotAnswer, type HotAnswersOptions } from './service/hot-answers.js';
export { STEERING_PATH, PLAYLIST_CONTENT_TYPE } from './service/playlist-responder.js';
export { edgeCandidate, fleetState, type FallbackReason, type FleetSource, type FleetState, type FleetView, type UsableFleet } from './service/fleet.js';
export { createMediaTargeter, type MediaObject, type MediaTarget, type MediaTargetOptions } from './service/media-target.js';
export { createUriMapper, type UriMapperOptions } from './service/uri-mapper.js';
export { buildSteeringManifest, BASE_PATHWAY_ID, type PathwayClone, type SteeringManifest, type SteeringManifestInput } from './service/steering-manifest.js';
export {
  fetchTtlMs,
  originFreshnessMs,
  playlistReuseMs,
  responseAgeSec,
  viewerCacheControl,
  type PlaylistCachePolicy,
} from './service/cache-policy.js';
export { signatureExpiry, type SignatureExpiryOptions } from './service/signature-expiry.js';
export { MODE_PARAM, PATHWAY_PARAM, readBlockingReload, type BlockingReload } from './service/request-params.js';
export { renderPlayerPage, type PlayerPageOptions } from './service/player-page.js';
export * from './playlist/index.js';
export * from './selection/index.js';
