/**
 * One origin response shared by every request for the same part: the state of that fetch
 * and its fan-out. Pure: it is fed the upstream's events (head, data, end, failure) and
 * hands them to its waiters; the HTTP side lives in part-coalescer.ts.
 *
 * A waiter that joins late is first given everything the flight has seen so far (head
 * and the bytes received), then the rest as it arrives, so every waiter gets the whole
 * body whenever it joined. The bytes are kept for that replay up to `maxBodyBytes`; past
 * it the flight stops taking new waiters (they start a fetch of their own) and lets go
 * of the bytes.
 *
 * One waiter at a time is the flight's primary: the one whose answer nginx should cache.
 * The others' answers say "do not cache", so nginx writes the part to disk once rather
 * than once per waiter. The primary is the first waiter given the head; if it leaves
 * before the end (its nginx request went away, so its cache write is lost), the next
 * waiter to join takes the role.
 */

/** Status and headers of the upstream answer, hop-by-hop headers already removed. */
export interface PartHead {
  readonly status: number;
  /** Flat raw list: name, value, name, value... (as Node's `rawHeaders`). */
  readonly headers: readonly string[];
}

/** What the flight tells each of its waiters. Exceptions thrown here are swallowed. */
export interface FlightWaiter {
  /** `primary`: this waiter's answer is the one to cache (see the module comment). */
  head(head: PartHead, primary: boolean): void;
  data(chunk: Buffer): void;
  end(): void;
  /** The upstream failed: before the head (answer an error) or mid-body (cut the answer). */
  fail(reason: string): void;
}

export type FlightState = 'waiting' | 'streaming' | 'complete' | 'failed';

export interface FlightOptions {
  /** Bytes kept to replay to waiters that join late. */
  readonly maxBodyBytes: number;
}

export class Flight {
  private currentState: FlightState = 'waiting';
  private currentHead: PartHead | undefined;
  private chunks: Buffer[] = [];
  private received = 0;
  private replayable = true;
  private failure = '';
  private readonly waiters = new Set<FlightWaiter>();
  private primary: FlightWaiter | undefined;

  constructor(
    readonly key: string,
    private readonly options: FlightOptions,
  ) {}

  get state(): FlightState {
    return this.currentState;
  }

  get head(): PartHead | undefined {
    return this.currentHead;
  }

  /** Body bytes received from the upstream so far. */
  get bytesReceived(): number {
    return this.received;
  }

  get waiterCount(): number {
    return this.waiters.size;
  }

  /**
   * Whether a new waiter can still get the whole answer from this flight: not failed,
   * and every byte received is still held.
   */
  get joinable(): boolean {
    return this.replayable && this.currentState !== 'failed';
  }

  /**
   * Adds a waiter and replays what already happened. Returns false (and adds nothing)
   * when the flight is no longer joinable.
   */
  join(waiter: FlightWaiter): boolean {
    if (!this.joinable) return false;
    const head = this.currentHead;
    if (head) safely(() => waiter.head(head, this.takePrimary(waiter)));
    for (const chunk of this.chunks) safely(() => waiter.data(chunk));
    if (this.currentState === 'complete') {
      safely(() => waiter.end());
      return true;
    }
    this.waiters.add(waiter);
    return true;
  }

  /** Forgets a waiter that went away (its client closed). Idempotent. */
  leave(waiter: FlightWaiter): void {
    this.waiters.delete(waiter);
    if (this.primary === waiter && this.currentState !== 'complete') this.primary = undefined;
  }

  receiveHead(head: PartHead): void {
    if (this.currentState !== 'waiting') return;
    this.currentState = 'streaming';
    this.currentHead = head;
    for (const waiter of this.waiters) safely(() => waiter.head(head, this.takePrimary(waiter)));
  }

  /** Makes `waiter` the primary when the flight has none; says whether it is. */
  private takePrimary(waiter: FlightWaiter): boolean {
    this.primary ??= waiter;
    return this.primary === waiter;
  }

  receiveData(chunk: Buffer): void {
    if (this.currentState !== 'streaming' || chunk.length === 0) return;
    this.received += chunk.length;
    if (this.replayable && this.received <= this.options.maxBodyBytes) {
      this.chunks.push(chunk);
    } else {
      this.replayable = false;
      this.chunks = [];
    }
    for (const waiter of this.waiters) safely(() => waiter.data(chunk));
  }

  /** The upstream answer ended normally. */
  complete(): void {
    if (this.currentState !== 'streaming') return;
    this.currentState = 'complete';
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) safely(() => waiter.end());
  }

  /** The upstream failed (unreachable, timed out, cut mid-body). Idempotent. */
  fail(reason: string): void {
    if (this.currentState === 'complete' || this.currentState === 'failed') return;
    this.currentState = 'failed';
    this.failure = reason;
    this.chunks = [];
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) safely(() => waiter.fail(reason));
  }

  /** Why the flight failed ('' unless it did). */
  get failureReason(): string {
    return this.failure;
  }
}

/** A waiter's exception must not keep the others from their bytes. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The HTTP side reports its own socket errors; nothing to do for the others.
  }
}
