import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process (tests create their own). Modules declare their metrics through the typed
 * helpers so names stay unique and /metrics exposes everything.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(withDefaults = true) {
    if (withDefaults) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return (this.registry.getSingleMetric(name) as Counter<L>) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** `collect` runs on every scrape, for a value worth computing only when someone asks. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void | Promise<void>): Gauge<L> {
    return (this.registry.getSingleMetric(name) as Gauge<L>) ?? new Gauge({ name, help, labelNames, registers: [this.registry], collect });
  }

  /**
   * A counter whose total is kept elsewhere as a plain number (cheap on a hot path) and read only when
   * /metrics is scraped.
   */
  counterReading(name: string, help: string, read: () => number): Counter {
    return (
      (this.registry.getSingleMetric(name) as Counter) ??
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      })
    );
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return (
      (this.registry.getSingleMetric(name) as Histogram<L>) ??
      new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })
    );
  }
}
