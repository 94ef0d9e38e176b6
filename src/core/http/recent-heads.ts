/**
 * Request heads seen again on one connection, with what was read from them.
 * A player on a keep-alive connection sends the same heads again and again:
 * the same media playlist reloaded every target duration, perhaps alternating
 * with an audio rendition's or the master's, with the same headers. A head
 * that is byte for byte one seen before is not parsed again.
 *
 * Only heads that repeat keep their parsed request. Heads that differ every
 * time (cache busters, session ids) keep only their text in a small ring: a
 * parsed request held past its answer is alive at the next scavenge and gets
 * promoted, and at a hundred thousand requests a second that filled the old
 * generation by tens of MiB (measured: 96 MiB peak RSS without, 139-145 MiB
 * with every parsed request kept; docs/benchmarks.md "Rewriter").
 */
import type { RawRequestRead } from './raw-request.js';

export class RecentHeads {
  /** The last heads seen, as a ring. */
  private readonly seen: string[];
  private nextSeen = 0;
  /** Heads seen more than once, with their request, as a ring. */
  private readonly repeated: Array<{ text: string; read: RawRequestRead }> = [];
  private nextRepeated = 0;

  constructor(private readonly size = 4) {
    this.seen = new Array<string>(size).fill('');
  }

  /** What was read from the head `bytes` start with, when that head has repeated. */
  match(bytes: string): RawRequestRead | undefined {
    for (const head of this.repeated) if (bytes.startsWith(head.text)) return head.read;
    return undefined;
  }

  /** Notes a head read (its bytes, blank line included); its request is kept once the same head comes again. */
  remember(text: string, read: RawRequestRead): void {
    if (this.size === 0) return;
    if (this.seen.includes(text)) {
      const entry = { text, read };
      if (this.repeated.length < this.size) this.repeated.push(entry);
      else this.repeated[this.nextRepeated] = entry;
      this.nextRepeated = (this.nextRepeated + 1) % this.size;
      return;
    }
    this.seen[this.nextSeen] = text;
    this.nextSeen = (this.nextSeen + 1) % this.size;
  }
}
