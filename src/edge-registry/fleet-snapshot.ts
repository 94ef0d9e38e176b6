/**
 * The registry view's memory of the fleet, as pure logic: events and resync
 * results go in with the time, the changes they caused come out. No Redis, no
 * timers; registry-view.ts does the I/O and turns changes into emitted events.
 */
import type { EdgeRecord } from './edge-record.js';
import type { RecordEvent } from './registry-events.js';

/** Why an edge left the view: deregistered, heartbeat too old on the local clock, or no valid record in Redis. */
export type RemovalReason = 'leave' | 'expired' | 'missing';

export type FleetChange =
  | { type: 'join'; edge: EdgeRecord }
  | { type: 'update'; edge: EdgeRecord; previous: EdgeRecord }
  | { type: 'drain'; edge: EdgeRecord }
  | { type: 'leave'; edge: EdgeRecord }
  | { type: 'stale'; edge: EdgeRecord; reason: 'expired' | 'missing' };

/** What one full read of Redis found: valid records of the index, and the drain set. */
export interface ResyncResult {
  records: readonly EdgeRecord[];
  draining: readonly string[];
}

export interface ApplyOptions {
  now: number;
  /**
   * Whether the local clock may expire edges (heartbeatAt older than the ttl).
   * False while disconnected and during the reconnect grace: then no heartbeat
   * could arrive, so its absence says nothing about the edge.
   */
  clock: boolean;
}

export class FleetSnapshot {
  private readonly ttlMs: number;
  /** Records as written by their edges. */
  private readonly records = new Map<string, EdgeRecord>();
  /** Mirror of the drain set (ids may have no record). */
  private draining = new Set<string>();
  /**
   * Sequence number of the last event per id, so a resync that read before an
   * event cannot undo it. Kept apart for records and for drain marks, so a
   * heartbeat during a resync does not shield a drain mark the view missed.
   */
  private readonly recordTouched = new Map<string, number>();
  private readonly drainTouched = new Map<string, number>();
  private seq = 0;
  private removals = new Map<string, RemovalReason>();

  constructor(options: { ttlMs: number }) {
    this.ttlMs = options.ttlMs;
  }

  /** A heartbeat as old as the ttl is dead, as its key (SET PX ttl) is in Redis at that moment. */
  isExpired(record: EdgeRecord, now: number): boolean {
    return now - record.heartbeatAt >= this.ttlMs;
  }

  get size(): number {
    return this.records.size;
  }

  /** Live edges, state 'draining' when asked to drain, sorted by id. */
  edges(options: ApplyOptions): EdgeRecord[] {
    const live: EdgeRecord[] = [];
    for (const record of this.records.values()) {
      if (options.clock && this.isExpired(record, options.now)) continue;
      live.push(this.effective(record));
    }
    return live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** When the next edge expires on the local clock, if any edge is held. */
  nextExpiryAt(): number | undefined {
    let earliest: number | undefined;
    for (const record of this.records.values()) {
      const at = record.heartbeatAt + this.ttlMs;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  applyEvent(event: RecordEvent, options: ApplyOptions): FleetChange[] {
    const id = event.type === 'join' || event.type === 'heartbeat' ? event.record.id : event.id;
    const seq = ++this.seq;
    if (event.type !== 'drain') this.recordTouched.set(id, seq);
    if (event.type === 'drain' || event.type === 'leave') this.drainTouched.set(id, seq);
    return this.change(new Set([id]), () => {
      switch (event.type) {
        case 'join':
        case 'heartbeat':
          this.upsert(event.record, options);
          break;
        case 'leave':
          if (this.records.delete(id)) this.removals.set(id, 'leave');
          this.draining.delete(id);
          break;
        case 'drain':
          this.draining.add(id);
          break;
      }
    });
  }

  /** Call before reading Redis; pass the token to applyResync. */
  beginResync(): number {
    return this.seq;
  }

  /**
   * Merges a full read. Ids with an event newer than the read keep the event's
   * word. `keepMissing` (the reconnect grace) keeps edges the read did not find,
   * giving their agents time to re-register after a Redis restart.
   */
  applyResync(token: number, result: ResyncResult, options: ApplyOptions & { keepMissing: boolean }): FleetChange[] {
    const newerRecord = (id: string) => (this.recordTouched.get(id) ?? 0) > token;
    const newerDrain = (id: string) => (this.drainTouched.get(id) ?? 0) > token;
    const changes = this.change(undefined, () => {
      const found = new Set<string>();
      for (const record of result.records) {
        found.add(record.id);
        if (!newerRecord(record.id)) this.upsert(record, options);
      }
      for (const id of [...this.records.keys()]) {
        if (found.has(id) || newerRecord(id) || options.keepMissing) continue;
        this.records.delete(id);
        this.removals.set(id, 'missing');
      }
      const draining = new Set(result.draining);
      for (const id of this.draining) if (newerDrain(id) || options.keepMissing) draining.add(id);
      for (const id of [...draining]) if (newerDrain(id) && !this.draining.has(id)) draining.delete(id);
      this.draining = draining;
    });
    for (const touched of [this.recordTouched, this.drainTouched]) {
      for (const [id, seq] of touched) if (seq <= token) touched.delete(id);
    }
    return changes;
  }

  /** Drops edges whose heartbeat is older than the ttl on the local clock. */
  expire(now: number): FleetChange[] {
    return this.change(undefined, () => {
      for (const record of [...this.records.values()]) {
        if (!this.isExpired(record, now)) continue;
        this.records.delete(record.id);
        this.removals.set(record.id, 'expired');
      }
    });
  }

  private upsert(record: EdgeRecord, options: ApplyOptions): void {
    // Dead on arrival (a late message, or a key read just before it expired): adding it would only flap join/stale.
    if (options.clock && this.isExpired(record, options.now)) return;
    const previous = this.records.get(record.id);
    // The same or an older heartbeat than the one held: nothing new.
    if (previous && previous.heartbeatAt >= record.heartbeatAt) return;
    this.records.set(record.id, record);
  }

  private effective(record: EdgeRecord): EdgeRecord {
    return this.draining.has(record.id) && record.state !== 'draining' ? { ...record, state: 'draining' } : record;
  }

  /** Runs a mutation and reports what it changed for `affected` ids (all ids when undefined). */
  private change(affected: Set<string> | undefined, mutate: () => void): FleetChange[] {
    const ids = affected ?? new Set(this.records.keys());
    const before = new Map<string, EdgeRecord>();
    for (const id of ids) {
      const record = this.records.get(id);
      if (record) before.set(id, this.effective(record));
    }
    this.removals = new Map();
    mutate();
    if (!affected) for (const id of this.records.keys()) ids.add(id);
    const changes: FleetChange[] = [];
    for (const id of ids) {
      const was = before.get(id);
      const record = this.records.get(id);
      const edge = record && this.effective(record);
      if (!was && edge) changes.push({ type: 'join', edge });
      else if (was && !edge) {
        const reason = this.removals.get(id) ?? 'missing';
        changes.push(reason === 'leave' ? { type: 'leave', edge: was } : { type: 'stale', edge: was, reason });
      } else if (was && edge) {
        if (edge.heartbeatAt !== was.heartbeatAt || edge.state !== was.state) changes.push({ type: 'update', edge, previous: was });
        if (was.state === 'active' && edge.state === 'draining') changes.push({ type: 'drain', edge });
      }
    }
    return changes;
  }
}
