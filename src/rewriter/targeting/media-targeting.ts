/**
 * The one place where the rewriter's settings become media targeters: the
 * redirect endpoint and the playlist responder both ask here, so selection
 * settings, the fallback base, signing and remembered placements are wired
 * the same way for a 302 and for a URI written into a playlist.
 */
import type { RewriterConfig, RewriterSigning } from '../config.js';
import { EdgePlacements } from './edge-placements.js';
import type { FleetState } from './fleet.js';
import { createMediaTargeter, type MediaObject, type MediaTarget } from './media-target.js';
import { signatureExpiry } from './signature-expiry.js';
import { signerFor } from './signer.js';

export type MediaTargetingConfig = Pick<
  RewriterConfig,
  'balanceFactor' | 'quietEdgeRequestsPerSec' | 'fallbackBaseUrl' | 'publicOriginUrl' | 'originUrl' | 'signatureBucketSec'
>;

export interface MediaTargetingOptions {
  config: MediaTargetingConfig;
  /** The shared `signing` section; without a secret, URLs are not signed. */
  signing: RewriterSigning | undefined;
  /** Earlier placements, shared by every targeter made here. @defaultValue a new EdgePlacements */
  placements?: EdgePlacements;
}

/** What changes from one request (or one rewrite) to the next. */
export interface TargetingRequest {
  fleet: FleetState;
  /** Viewer's zone. */
  zone: string | undefined;
  /** Steering pathway pin. */
  pinnedEdgeId?: string;
  /** The backup pathway: second-choice edges. */
  backup?: boolean;
  /** URIs written into a playlist: placed objects keep their URI (see MediaTargetOptions.sticky). */
  sticky?: boolean;
  /** Expiry of the signatures, from signatureExpiresAt(); undefined leaves URLs unsigned. */
  expiresAt: number | undefined;
}

export class MediaTargeting {
  /** Stands for the origin base in fallback URLs: a backup CDN, else the public origin, else the origin itself. */
  private readonly fallbackBase: string;
  /** One memory for redirects and rewrites alike: an object keeps its edge whichever way it is asked for. */
  private readonly placements: EdgePlacements;

  constructor(private readonly options: MediaTargetingOptions) {
    const { config } = options;
    this.fallbackBase = config.fallbackBaseUrl ?? config.publicOriginUrl ?? config.originUrl;
    this.placements = options.placements ?? new EdgePlacements();
  }

  /** When signatures handed out at `nowMs` expire (Unix seconds, bucketed); undefined when URLs are not signed. */
  signatureExpiresAt(nowMs: number): number | undefined {
    const signing = this.options.signing;
    if (signing?.secret === undefined) return undefined;
    return signatureExpiry(nowMs, { ttlSec: signing.ttlSec, bucketSec: this.options.config.signatureBucketSec });
  }

  /** The targeter of one request or one rewrite, with the choices that hold for all its objects made once. */
  targeterFor(request: TargetingRequest): (object: MediaObject) => MediaTarget {
    const { config, signing } = this.options;
    return createMediaTargeter({
      fleet: request.fleet,
      balanceFactor: config.balanceFactor,
      quietEdgeRequestsPerSec: config.quietEdgeRequestsPerSec,
      zone: request.zone,
      pinnedEdgeId: request.pinnedEdgeId,
      backup: request.backup,
      sticky: request.sticky,
      fallbackBase: this.fallbackBase,
      sign: request.expiresAt === undefined ? undefined : signerFor(signing, request.expiresAt),
      placements: this.placements,
    });
  }
}
