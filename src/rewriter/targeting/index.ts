/**
 * Targeting: where a media object goes (an edge, a steering pathway or the
 * fallback), how its URL is written and signed, and the fleet state those
 * choices are made on. What the HTTP side and the component's surface use.
 */
export {
  edgeCandidate,
  fleetState,
  type FallbackReason,
  type FleetSource,
  type FleetState,
  type FleetView,
  type UsableFleet,
} from './fleet.js';
export { createMediaTargeter, type MediaObject, type MediaTarget, type MediaTargetOptions } from './media-target.js';
export { MediaTargeting } from './media-targeting.js';
export { signatureExpiry, type SignatureExpiryOptions } from './signature-expiry.js';
export {
  buildSteeringManifest,
  BASE_PATHWAY_ID,
  type PathwayClone,
  type SteeringManifest,
  type SteeringManifestInput,
} from './steering-manifest.js';
export { createUriMapper, type UriMapperOptions } from './uri-mapper.js';
export { basePathPrefix, joinBase, originPathOf, relativeReference } from './url-mapping.js';
