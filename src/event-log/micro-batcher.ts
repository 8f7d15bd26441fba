/**
 * Collects concurrent submissions and hands them to `flush` together: at most `maxItems` per call, and
 * the first item waits at most `maxWaitMs` for company. One flush runs at a time, so under load the
 * next batch forms while the previous one is being written, and throughput does not depend on one
 * round trip per request. Each submitter gets its own item's result (or the batch's error).
 */
export class MicroBatcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxItems: number,
    private readonly maxWaitMs: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Resolves once everything submitted so far has been flushed (including a batch still waiting out
   * `maxWaitMs`, which is flushed now): on shutdown, before the writer goes away.
   */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.runNow();
      await idle;
    }
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush picks the queue up when it finishes
    if (this.queue.length >= this.maxItems) {
      this.runNow();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.runNow(), this.maxWaitMs);
    }
  }

  private runNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxItems);
    this.flushing = true;
    this.flush(batch.map((b) => b.item))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i])),
        (err) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.flushing = false;
        if (this.queue.length > 0) this.runNow(); // these already waited while we were writing
        else this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
  }
}
