/**
 * Counter increments on a hot path, kept as plain numbers and added to the
 * prom-client counter when it is read. prom-client hashes the label object on
 * every `inc()` (a child from `labels()` included): at a hundred thousand
 * answers a second per core that hashing was a measurable share of a held
 * playlist answer (docs/benchmarks.md "Rewriter"). A tally is made once per
 * label set; the counter's `collect` hook (run by every scrape and `get()`)
 * calls `flush`, so readers see the same totals as with direct increments.
 */
import type { Counter, LabelValues } from 'prom-client';

interface Tally<T extends string> {
  labels: LabelValues<T>;
  pending: number;
}

export class CounterTallies<T extends string> {
  private readonly tallies = new Map<string, Tally<T>>();

  /** An increment for one label set: one call, one count. */
  incrementFor(labels: LabelValues<T>): () => void {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let tally = this.tallies.get(key);
    if (tally === undefined) {
      tally = { labels, pending: 0 };
      this.tallies.set(key, tally);
    }
    const counted = tally;
    return () => {
      counted.pending += 1;
    };
  }

  /** Adds what was counted since the last flush to `counter`: call it from the counter's `collect`. */
  flush(counter: Counter<T>): void {
    for (const tally of this.tallies.values()) {
      if (tally.pending === 0) continue;
      counter.inc(tally.labels, tally.pending);
      tally.pending = 0;
    }
  }
}
