/** A list that keeps only its newest `capacity` entries: the recent decisions and actions in /status. */
export class BoundedList<T> {
  private readonly items: T[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number >= 1, got ${capacity}`);
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Newest first. */
  newestFirst(): T[] {
    return [...this.items].reverse();
  }

  get size(): number {
    return this.items.length;
  }
}
