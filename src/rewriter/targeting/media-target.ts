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
import { FALLBACK_PLACEMENT, type EdgePlacements, type Placement } from './edge-placements.js';
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
  /** Earlier placements: an object stays on its edge (see `sticky`). */
  placements?: EdgePlacements;
  /**
   * For URIs written into a playlist: a placed object keeps its URI even when its
   * edge is no longer active (players require a listed URI not to change; the
   * player's own failover, the backup pathway, covers a dead edge). Redirects are
   * not sticky: a 302 goes to an active edge, without changing the placement.
   */
  sticky?: boolean;
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
  // Keyed by pathway, pin and zone too: each gets its own placement.
  const placementKeyOf = (key: string, pathway: string) => `${pathway}|${options.pinnedEdgeId ?? ''}|${options.zone ?? ''}|${key}`;
  const placements = options.placements;
  /** In a playlist (sticky), an object sent to the fallback stays there while listed: remembered like an edge. */
  const fallbackListed = (object: MediaObject, pathway: string, reason: FallbackReason): MediaTarget => {
    if (options.sticky)
      placements?.remember(placementKeyOf(object.originPath, pathway), { edgeId: FALLBACK_PLACEMENT, base: '', fallback: reason });
    return fallback(object, reason);
  };
  if (!fleet.usable) {
    // A stale registry (Redis unreachable for a while) says nothing about the edges, which most likely still serve:
    // new objects go to the fallback, but a URI already written into playlists keeps its edge, since hls.js fails the
    // whole stream (fatal "media sequence mismatch") when a listed URI changes. With no live edge at all, listed
    // edge URIs go to the fallback too: they would fail anyway.
    const pathway = options.backup ? 'backup' : 'primary';
    // As with a usable fleet: a backup playlist lists the backup placement, else the primary one.
    const lookedUp = options.backup ? ['backup', 'primary'] : ['primary'];
    return (object) => {
      const earlier = options.sticky
        ? lookedUp.map((p) => placements?.get(placementKeyOf(object.originPath, p))).find((p) => p !== undefined)
        : undefined;
      if (earlier?.fallback !== undefined) return fallback(object, fleet.reason);
      if (earlier === undefined || fleet.reason !== 'registry-stale') return fallbackListed(object, pathway, fleet.reason);
      return { url: finish(joinBase(earlier.base, object.originPath + object.search), sign), edgeId: earlier.edgeId };
    };
  }
  const pinned = fleet.candidates.find((edge) => edge.id === options.pinnedEdgeId && edge.state === 'active' && edge.weight > 0);
  const selectOptions = { balanceFactor: options.balanceFactor, minCapacity: options.quietEdgeRequestsPerSec, zone: options.zone };
  const placeable = new Map(fleet.candidates.filter((edge) => edge.state === 'active' && edge.weight > 0).map((edge) => [edge.id, edge]));
  const urls = fleet.urls;
  const placedOn = (edge: EdgeCandidate | undefined): Placement | undefined => {
    const base = edge === undefined ? undefined : urls.get(edge.id);
    return edge === undefined || base === undefined ? undefined : { edgeId: edge.id, base };
  };
  const primaryChoice = (key: string) => placedOn(pinned ?? selectEdge(key, fleet.candidates, selectOptions)?.edge);
  const backupChoice = (key: string) => {
    // The next edge of the key's ranking after the primary placement, so the two copies never share an edge.
    const primary = place(key, 'primary', primaryChoice);
    return placedOn(rankCandidates(key, candidateEdges(fleet.candidates, options.zone)).find((edge) => edge.id !== primary?.edgeId));
  };
  /** The placement of `key` on a pathway: remembered, or chosen now and remembered. */
  function place(key: string, pathway: string, choose: (key: string) => Placement | undefined): Placement | undefined {
    const placementKey = placementKeyOf(key, pathway);
    const earlier = placements?.get(placementKey);
    if (earlier !== undefined) {
      if (placeable.has(earlier.edgeId)) return { edgeId: earlier.edgeId, base: urls.get(earlier.edgeId) ?? earlier.base };
      if (options.sticky) return earlier;
      // A redirect goes to an active edge now, and leaves the playlists' placement as it is.
      return choose(key);
    }
    const chosen = choose(key);
    if (chosen) placements?.remember(placementKey, chosen);
    return chosen;
  }
  return (object) => {
    const key = object.originPath;
    const placement = options.backup
      ? (place(key, 'backup', backupChoice) ?? place(key, 'primary', primaryChoice))
      : place(key, 'primary', primaryChoice);
    if (placement === undefined) return fallbackListed(object, options.backup ? 'backup' : 'primary', 'no-live-edge');
    // Listed at the fallback during an outage: it stays there (place() gives remembered placements to playlists only).
    if (placement.fallback !== undefined) return fallback(object, placement.fallback);
    return { url: finish(joinBase(placement.base, key + object.search), sign), edgeId: placement.edgeId };
  };
}
