/**
 * The HLS Content Steering manifest (Apple HLS Content Steering Specification):
 * which pathway a player should use, in order, and how to build the pathways
 * of edges the master does not name.
 *
 * How pathways are expressed: the master defines one pathway, BASE_PATHWAY_ID,
 * whose media playlists come back to the rewriter and are balanced per object.
 * Every live edge is a PATHWAY-CLONE of it with URI-REPLACEMENT PARAMS
 * `hlscdn_pathway=<edge id>`, which pins that clone's media playlists to the
 * edge. HOST replacement cannot express edges that differ only by port (the
 * spec replaces the host name, not the port), and duplicating variants in the
 * master would freeze the pathway set at the master's fetch. Clones are defined
 * in every manifest, so PATHWAY-PRIORITY only ever names the base pathway or a
 * clone defined in the same response: an undefined pathway makes AVPlayer fail.
 * Players that ignore PARAMS (Shaka: HOST only) stay on the base pathway,
 * which still works.
 *
 * Priority follows health and load: draining and dead edges are absent; the
 * viewer's current pathway stays first while it is within its load bound
 * (moving a viewer costs a cold cache); then the viewer's weighted rendezvous
 * ranking, zone first, edges over the bound last; the base pathway closes the
 * list. Pure.
 */
import { loadBound, sanitizeLoad, totalsOf } from '../selection/bounded-load.js';
import { eligibleEdges } from '../selection/candidates.js';
import type { EdgeCandidate } from '../selection/index.js';
import { rankCandidates } from '../selection/rank-edges.js';
import { resolveSelectOptions } from '../selection/select-options.js';
import type { FleetState } from './fleet.js';

/** Upper case: registry edge ids are lower case, so no edge can collide with it. */
export const BASE_PATHWAY_ID = 'BALANCED';

export interface PathwayClone {
  'BASE-ID': string;
  ID: string;
  'URI-REPLACEMENT': { PARAMS: Record<string, string> };
}

export interface SteeringManifest {
  VERSION: 1;
  TTL: number;
  'RELOAD-URI': string;
  'PATHWAY-PRIORITY': string[];
  'PATHWAY-CLONES': PathwayClone[];
}

export interface SteeringManifestInput {
  fleet: FleetState;
  /** Stable per viewer (address and user agent): spreads viewers over edges by rendezvous hashing. */
  viewerKey: string;
  /** The `_HLS_pathway` the player sent: the pathway it uses now. */
  currentPathway?: string;
  balanceFactor: number;
  /** Requests/s under which no edge counts as overloaded. */
  quietEdgeRequestsPerSec: number;
  zone?: string;
  ttlSec: number;
  reloadUri: string;
  /** Query parameter that pins a media playlist to an edge. */
  pathwayParam: string;
}

function withinBound(edge: EdgeCandidate, candidates: readonly EdgeCandidate[], input: SteeringManifestInput): boolean {
  const options = resolveSelectOptions({ balanceFactor: input.balanceFactor, minCapacity: input.quietEdgeRequestsPerSec });
  return sanitizeLoad(edge.load) + options.cost <= loadBound(edge.weight, totalsOf(candidates), options);
}

/** Edge ids in priority order (see the header): sticky current pathway, zone, within bound, rendezvous rank. */
export function pathwayOrder(candidates: readonly EdgeCandidate[], input: SteeringManifestInput): string[] {
  const eligible = eligibleEdges(candidates);
  const ranked = rankCandidates(input.viewerKey, eligible);
  const inZone = (edge: EdgeCandidate) => input.zone === undefined || edge.zone === input.zone;
  const fits = new Map(ranked.map((edge) => [edge.id, withinBound(edge, eligible, input)]));
  const tier = (edge: EdgeCandidate) => (fits.get(edge.id) ? 0 : 2) + (inZone(edge) ? 0 : 1);
  // Array.prototype.sort is stable: equal tiers keep the rendezvous order.
  const ordered = [...ranked].sort((a, b) => tier(a) - tier(b));
  const current = ordered.find((edge) => edge.id === input.currentPathway);
  if (current !== undefined && tier(current) === 0)
    return [current.id, ...ordered.filter((edge) => edge !== current).map((edge) => edge.id)];
  return ordered.map((edge) => edge.id);
}

export function buildSteeringManifest(input: SteeringManifestInput): SteeringManifest {
  const edges = input.fleet.usable ? pathwayOrder(input.fleet.candidates, input) : [];
  return {
    VERSION: 1,
    TTL: input.ttlSec,
    'RELOAD-URI': input.reloadUri,
    'PATHWAY-PRIORITY': [...edges, BASE_PATHWAY_ID],
    'PATHWAY-CLONES': [...edges].sort().map((id) => ({
      'BASE-ID': BASE_PATHWAY_ID,
      ID: id,
      'URI-REPLACEMENT': { PARAMS: { [input.pathwayParam]: id } },
    })),
  };
}
