/**
 * Which origins the coalescer tries for a fetch, in what order: the same policy as the
 * edge's nginx upstream (nginx/README.md, "Origins"): the first origin is the primary,
 * the others are backups, and an origin that failed is skipped for `failTimeoutMs`
 * (nginx: `max_fails=1 fail_timeout=10s`) unless every origin failed.
 */

export interface OriginPoolOptions {
  /** Base URLs (`http://host:port`), primary first. */
  readonly origins: readonly string[];
  /** Origins tried per fetch. @defaultValue origins.length */
  readonly tries?: number;
  /** @defaultValue 10_000 */
  readonly failTimeoutMs?: number;
  readonly now?: () => number;
}

export class OriginPool {
  private readonly origins: readonly string[];
  private readonly tries: number;
  private readonly failTimeoutMs: number;
  private readonly now: () => number;
  private readonly failedUntil = new Map<string, number>();

  constructor(options: OriginPoolOptions) {
    if (options.origins.length === 0) throw new Error('OriginPool needs at least one origin');
    this.origins = options.origins;
    this.tries = Math.max(1, Math.min(options.tries ?? options.origins.length, options.origins.length));
    this.failTimeoutMs = options.failTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The origins to try for one fetch, in order, at most `tries` of them. */
  plan(): string[] {
    const now = this.now();
    const healthy = this.origins.filter((origin) => (this.failedUntil.get(origin) ?? 0) <= now);
    const failed = this.origins.filter((origin) => !healthy.includes(origin));
    return [...healthy, ...failed].slice(0, this.tries);
  }

  markFailed(origin: string): void {
    this.failedUntil.set(origin, this.now() + this.failTimeoutMs);
  }

  markHealthy(origin: string): void {
    this.failedUntil.delete(origin);
  }
}
