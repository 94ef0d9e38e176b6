/**
 * The coalescer's flights by key, with its bounds. Pure: it decides whether a request
 * starts a new origin fetch ('lead'), rides one already under way ('joined'), or is
 * refused because a bound is reached ('rejected'). Starting the fetch, lingering and
 * removing finished flights are the HTTP side's calls.
 */
import { Flight, type FlightWaiter } from './flight.js';

export interface FlightLimits {
  /** Flights (distinct parts) held at once, in flight or lingering. */
  readonly maxKeys: number;
  /** Waiters on one flight at once. */
  readonly maxWaitersPerKey: number;
  /** Bytes of one answer kept to replay to late waiters (see Flight). */
  readonly maxBodyBytes: number;
}

export type RejectReason = 'too-many-keys' | 'too-many-waiters';

export type Admission =
  | { readonly kind: 'lead'; readonly flight: Flight }
  | { readonly kind: 'joined'; readonly flight: Flight }
  | { readonly kind: 'rejected'; readonly reason: RejectReason };

export class FlightTable {
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly limits: FlightLimits) {}

  /** Flights held (in flight or lingering). */
  get size(): number {
    return this.flights.size;
  }

  /** Flights whose upstream answer has not ended yet. */
  get inFlight(): number {
    let count = 0;
    for (const flight of this.flights.values()) if (flight.state === 'waiting' || flight.state === 'streaming') count++;
    return count;
  }

  /**
   * Puts `waiter` on the flight for `key`, creating the flight when there is none to
   * join. A 'lead' admission means the caller must start the upstream fetch.
   */
  admit(key: string, waiter: FlightWaiter): Admission {
    const existing = this.flights.get(key);
    if (existing?.joinable) {
      if (existing.waiterCount >= this.limits.maxWaitersPerKey) return { kind: 'rejected', reason: 'too-many-waiters' };
      existing.join(waiter);
      return { kind: 'joined', flight: existing };
    }
    // A flight that can no longer take waiters leaves the key to a new one; it finishes
    // for the waiters it has.
    if (existing) this.flights.delete(key);
    if (this.flights.size >= this.limits.maxKeys) return { kind: 'rejected', reason: 'too-many-keys' };
    const flight = new Flight(key, { maxBodyBytes: this.limits.maxBodyBytes });
    this.flights.set(key, flight);
    flight.join(waiter);
    return { kind: 'lead', flight };
  }

  /** Removes `flight` if its key still points to it. Idempotent. */
  release(flight: Flight): void {
    if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key);
  }

  /** Every flight held, for shutdown. */
  all(): Flight[] {
    return [...this.flights.values()];
  }
}
