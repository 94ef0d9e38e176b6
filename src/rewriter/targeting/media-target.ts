/**
 * Where a viewer fetches one media object (segment, init segment, key, part):
 * the edge chosen by weighted rendezvous hashing with bounded loads on the
 * object's cache path, or the pinned edge of a steering pathway, or, when no
 * edge can take it, the fallback base. The key is the origin path without the
 * query, which is what the edges cache under (`proxy_cache_key $uri`), so
 * tokens never split an object across edges. Pure.
 */
import { candidateEdges } from '../selection/candidates.js';
import { selectEdge } from '../selection/index.js';
import { rankCandidates } from '../selection/rank-edges.js';
import type { EdgeCandidate } from '../selection/index.js';
import type { FallbackReason, FleetState } from './fleet.js';
import type { EdgePlacements } from './edge-placements.js';
import { joinBase } from './url-mapping.js';

export interface MediaObject {
  /** Path on the rewriter, e.g. `/live/seg1.ts`. */
  rewriterPath: string;
  /** Path on the origin (rewriterPath under the origin's base path): the edge request path and selection key. */
  originPath: string;
  /** `''` or `'?...'`, kept as the playlist wrote it. */
  search: string;
}

export type MediaTarget = { url: string; edgeId: string } | { url: string; fallback: FallbackReason };

export interface MediaTargetOptions {
  fleet: FleetState;
  /** Bounded-load factor c. */
  balanceFactor: number;
  /** Requests/s under which no edge counts as overloaded (selection's minCapacity). */
  quietEdgeRequestsPerSec: number;
  /** Viewer's zone: its edges are preferred when it has active ones. */
  zone?: string;
  /** Steering pathway pin: every object goes to this edge while it is active. */
  pinnedEdgeId?: string;
  /**
   * The backup pathway of a redundant master (playlist/backup-pathways.ts): each
   * object goes to the next edge of its rendezvous ranking after the one it
   * would get otherwise, so a player that fails on one edge tries another that
   * is still affine to the key. With one edge, that edge.
   */
  backup?: boolean;
  /** Base URL standing for the origin base in fallback URLs. */
  fallbackBase: string;
  /** Adds a signature (md5, expires) to a URL; absent when URLs are not signed. */
  sign?: (url: URL) => URL;
  /** Earlier placements: an object stays on its edge while that edge is active. */
  placements?: EdgePlacements;
}

function finish(url: string, sign: MediaTargetOptions['sign']): string {
  return sign === undefined ? url : sign(new URL(url)).href;
}

/** A function giving the target of each object, with the choices that hold for one whole playlist made once. */
export function createMediaTargeter(options: MediaTargetOptions): (object: MediaObject) => MediaTarget {
  const { fleet, sign } = options;
  const fallback = (object: MediaObject, reason: FallbackReason): MediaTarget => ({
    url: finish(joinBase(options.fallbackBase, object.rewriterPath + object.search), sign),
    fallback: reason,
  });
  if (!fleet.usable) return (object) => fallback(object, fleet.reason);
  const pinned = fleet.candidates.find((edge) => edge.id === options.pinnedEdgeId && edge.state === 'active' && edge.weight > 0);
  const selectOptions = { balanceFactor: options.balanceFactor, minCapacity: options.quietEdgeRequestsPerSec, zone: options.zone };
  const placements = options.placements;
  const placeable = new Map(fleet.candidates.filter((edge) => edge.state === 'active' && edge.weight > 0).map((edge) => [edge.id, edge]));
  const choose = (key: string) => {
    // Keyed by zone too: a viewer of another zone gets its own placement.
    const placementKey = `${options.zone ?? ''}|${key}`;
    const earlier = placements?.get(placementKey);
    const kept = earlier === undefined ? undefined : placeable.get(earlier);
    if (kept) return kept;
    const chosen = selectEdge(key, fleet.candidates, selectOptions)?.edge;
    if (chosen) placements?.remember(placementKey, chosen.id);
    return chosen;
  };
  const secondChoice = (key: string, first: EdgeCandidate | undefined) =>
    rankCandidates(key, candidateEdges(fleet.candidates, options.zone)).find((edge) => edge.id !== first?.id) ?? first;
  return (object) => {
    const primary = pinned ?? choose(object.originPath);
    const edge = options.backup ? secondChoice(object.originPath, primary) : primary;
    const base = edge === undefined ? undefined : fleet.urls.get(edge.id);
    if (edge === undefined || base === undefined) return fallback(object, 'no-live-edge');
    return { url: finish(joinBase(base, object.originPath + object.search), sign), edgeId: edge.id };
  };
}
