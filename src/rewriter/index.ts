/**
 * Public surface of the rewriter: the service (`startRewriter`, the testable
 * Hono app; http/), its configuration section, the pure helpers it is built
 * from (targeting/: where media goes; origin/: playlist fetching and cache
 * rules), and the playlist engine and edge selection it runs on.
 */
export {
  rewriterSchema,
  REWRITER_MODES,
  type RewriterConfig,
  type RewriterConfigInput,
  type RewriterMode,
  type RewriterSigning,
} from './config.js';
export {
  createRewriterApp,
  HLS_SCRIPT_PATH,
  HotAnswers,
  MODE_PARAM,
  PATHWAY_PARAM,
  PLAYLIST_CONTENT_TYPE,
  readBlockingReload,
  renderPlayerPage,
  startRewriter,
  STEERING_PATH,
  type BlockingReload,
  type HotAnswer,
  type HotAnswersOptions,
  type PlayerPageOptions,
  type RewriterAppOptions,
  type RewriterFleetOptions,
  type RunningRewriter,
  type StartRewriterOptions,
} from './http/index.js';
export {
  buildSteeringManifest,
  BASE_PATHWAY_ID,
  createMediaTargeter,
  createUriMapper,
  edgeCandidate,
  fleetState,
  signatureExpiry,
  type FallbackReason,
  type FleetSource,
  type FleetState,
  type FleetView,
  type MediaObject,
  type MediaTarget,
  type MediaTargetOptions,
  type PathwayClone,
  type SignatureExpiryOptions,
  type SteeringManifest,
  type SteeringManifestInput,
  type UriMapperOptions,
  type UsableFleet,
} from './targeting/index.js';
export {
  fetchTtlMs,
  originFreshnessMs,
  playlistReuseMs,
  responseAgeSec,
  viewerCacheControl,
  type PlaylistCachePolicy,
} from './origin/index.js';
export {
  accessSchema,
  mintViewerToken,
  verifyViewerToken,
  type AccessConfig,
  type AccessConfigInput,
  type AccessProblem,
  type ViewerClaims,
} from './access/index.js';
export * from './playlist/index.js';
export * from './selection/index.js';
