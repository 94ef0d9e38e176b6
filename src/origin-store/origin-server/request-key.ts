/** Request paths become object keys by core's rule (src/core/object-key-from-path.ts), shared with the rewriter. */
export { objectKeyFromRawPath } from '../../core/object-key-from-path.js';
