/** A stack of things to stop, stopped in reverse order of starting, each once, errors swallowed. */
export class Closers {
  private readonly stack: Array<() => Promise<unknown>> = [];

  add(close: () => Promise<unknown>): void {
    this.stack.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.stack.splice(0).reverse()) await close().catch(() => undefined);
  }
}
