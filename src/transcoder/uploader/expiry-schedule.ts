/**
 * When objects that left a live playlist may be deleted. RFC 8216 6.2.2: a segment
 * removed from a playlist must stay available "for a period of time equal to the
 * duration of the segment plus the duration of the longest Playlist file distributed
 * by the server containing that segment". Pure: times come in as parameters.
 */

/** Milliseconds a removed object must stay available: its own duration plus the playlist's. */
export function gracePeriodMs(segmentDurationSec: number, playlistDurationSec: number): number {
  return Math.ceil((segmentDurationSec + playlistDurationSec) * 1000);
}

export class ExpirySchedule {
  private readonly dueAt = new Map<string, number>();

  /** Schedules a key; a key scheduled twice keeps the later time. */
  add(key: string, dueAtMs: number): void {
    this.dueAt.set(key, Math.max(dueAtMs, this.dueAt.get(key) ?? dueAtMs));
  }

  /** Removes and returns the keys due at nowMs, earliest first. */
  takeDue(nowMs: number): string[] {
    const due = [...this.dueAt].filter(([, at]) => at <= nowMs).sort((a, b) => a[1] - b[1]);
    for (const [key] of due) this.dueAt.delete(key);
    return due.map(([key]) => key);
  }

  has(key: string): boolean {
    return this.dueAt.has(key);
  }

  get size(): number {
    return this.dueAt.size;
  }
}
