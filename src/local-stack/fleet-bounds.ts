/** The autoscaler's bounds for the local stack's fleet, from `hlscdn up`'s flags. */
import { HlscdnError } from '../core/errors.js';

/** The local fleet's bounds: 1 to 4 edges unless asked otherwise, and never below the edges started at once. */
export function localFleetBounds(options: { edges?: number; fleet?: { minEdges?: number; maxEdges?: number } }): {
  minEdges: number;
  maxEdges: number;
} {
  const edges = options.edges ?? 2;
  const minEdges = options.fleet?.minEdges ?? 1;
  const maxEdges = options.fleet?.maxEdges ?? Math.max(4, edges, minEdges);
  // The autoscaler would drain the extra edges at once, or refuse the bounds: say so before anything starts.
  if (maxEdges < Math.max(edges, minEdges, 1)) {
    throw new HlscdnError(
      'invalid-config',
      `the local fleet's maximum (${maxEdges} edges) is below ${minEdges > edges ? `its minimum (${minEdges})` : `the edges started at once (${edges})`}: raise --max-edges`,
    );
  }
  return { minEdges, maxEdges };
}
