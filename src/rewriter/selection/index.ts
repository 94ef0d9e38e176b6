/**
 * Public surface of edge selection: weighted rendezvous hashing with bounded loads,
 * pure functions the rewriter calls to pick an nginx edge per media object.
 */
export type { EdgeCandidate, SelectOptions, Selection } from './types.js';
export { hashToUnit } from './hash-to-unit.js';
export { rankEdges } from './rank-edges.js';
export { selectEdge } from './select-edge.js';
export { BoundedLoadAssigner } from './bounded-load-assigner.js';
