/** The store's key rules live in core (src/core/object-key.ts): the rewriter reads request paths with them too. */
export * from '../core/object-key.js';
