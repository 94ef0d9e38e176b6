/**
 * Shapes shared by the edge-selection functions: what the caller knows about each
 * edge, the knobs of the bounded-load rule, and what a selection reports.
 */

/**
 * One nginx edge as the edge registry sees it.
 *
 * `load` and the per-assignment `cost` (see {@link SelectOptions}) share a unit that
 * the caller picks: the service passes a utilisation-like number from the registry
 * (for instance requests/s), a simulation counts assigned keys. The bound compares an
 * edge's load with the fleet's load, so the unit cancels out; only `minCapacity` is
 * expressed in it.
 */
export interface EdgeCandidate {
  /** Stable edge id; it is hashed with the key, so renaming an edge moves its keys. Must be unique in a fleet. */
  id: string;
  /** Capacity, finite and > 0: a weight-2 edge gets twice the keys of a weight-1 edge. Other values exclude the edge. */
  weight: number;
  /**
   * Only active edges get new keys: draining edges finish what they serve, unhealthy ones
   * (failing their own agent's self-check, see EdgeRecord.state) wait until they pass again.
   */
  state: 'active' | 'draining' | 'unhealthy';
  /** Current load, >= 0, in the caller's unit. A negative or non-finite value is read as 0. */
  load: number;
  /** Failure domain or region, matched against {@link SelectOptions.zone}. */
  zone?: string;
}

export interface SelectOptions {
  /**
   * Bounded-load factor c: no edge above c x its weighted share of the fleet's load
   * (Mirrokni, Thorup, Zadimoghaddam 2016; HAProxy `hash-balance-factor` 125 means 1.25,
   * Vimeo runs 125-200). `Infinity` turns the bound off (pure weighted HRW). Values
   * below 1 are read as 1, since a bound under the average cannot hold on every edge.
   * @defaultValue 1.25
   */
  balanceFactor?: number;
  /**
   * Cost added to the chosen edge's load by this assignment, in the unit of `load`.
   * A negative or non-finite value falls back to the default.
   * @defaultValue 1
   */
  cost?: number;
  /**
   * Minimum capacity of any edge, in the unit of `load`, so a quiet fleet does not
   * scatter keys away from their first choice (HAProxy lb_chash.c never gives a
   * server fewer than 1 slot). A negative or non-finite value falls back to the default.
   * @defaultValue 1
   */
  minCapacity?: number;
  /** Prefer edges of this zone when any active one exists; otherwise all active edges compete. */
  zone?: string;
}

/** The edge chosen for one key. */
export type Selection = {
  edge: EdgeCandidate;
  /** Position of `edge` in the key's HRW ranking of the candidates: 0 = first choice, 1 = first overflow, ... */
  rank: number;
  /** True when every candidate was over its bound and the least loaded (per weight) one was taken anyway. */
  spilled: boolean;
};
