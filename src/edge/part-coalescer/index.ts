/** LL-HLS part coalescer: one origin fetch per part per edge, streamed to every waiting request (nginx/README.md, "LL-HLS parts"). */
export { PartCoalescer, type PartCoalescerOptions } from './part-coalescer.js';
export { Flight, type FlightState, type FlightWaiter, type PartHead } from './flight.js';
export { FlightTable, type Admission, type FlightLimits, type RejectReason } from './flight-table.js';
export { OriginPool, type OriginPoolOptions } from './origin-pool.js';
export { partRequestKey } from './part-key.js';
