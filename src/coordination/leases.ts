/** What `runWhileHeld` calls when the lease is lost or given up; it resolves once the work has stopped. */
export type StopWork = () => Promise<void> | void;
/** Starts the work of a lease; resolves (with its stop) once it runs. */
export type StartWork = () => Promise<StopWork> | StopWork;

/**
 * Who runs what when several instances share one database. A lease has a name (`projector:<name>`,
 * `job:<name>`); its work runs on exactly one live instance at a time and moves to another when that one
 * dies or stops. `Leases` is both the type and the DI token: `LocalLeases` (one process owns everything:
 * the embedded database, or work Kafka consumer groups already split) and `PostgresLeases`.
 */
export abstract class Leases {
  /**
   * Runs `start` whenever this instance holds `name` (at once when it already does, or once `start()` ran),
   * and the stop it returned when the lease is lost, moved to a less busy instance, or withdrawn.
   */
  abstract runWhileHeld(name: string, start: StartWork): void;
  /** Stops the work of these leases, gives them up, and no longer asks for them. */
  abstract withdraw(names: readonly string[]): Promise<void>;
  abstract holds(name: string): boolean;
  abstract heldLeases(): string[];
  /** True from `start()` until `stop()`. */
  abstract readonly running: boolean;
  abstract start(): Promise<void>;
  /** Withdraws every lease: the work stops, and other instances may take it over at once. */
  abstract stop(): Promise<void>;
}

type Work = { start: StartWork; stop?: StopWork; running?: Promise<void> };

/**
 * Shared bookkeeping: which works are registered, which run, and starting/stopping them one at a time
 * per lease (a stop waits for a start still in progress, and the other way round).
 */
export abstract class LeaseBook extends Leases {
  protected readonly works = new Map<string, Work>();
  protected readonly held = new Set<string>();

  constructor(protected readonly onError: (lease: string, err: unknown) => void) {
    super();
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  heldLeases(): string[] {
    return [...this.held].sort();
  }

  protected register(name: string, start: StartWork): Work {
    if (this.works.has(name)) throw new Error(`lease ${name} registered twice`);
    const work: Work = { start };
    this.works.set(name, work);
    return work;
  }

  /** Marks the lease held and starts its work; a failed start keeps the lease (the work retries itself or reports). */
  protected async begin(name: string): Promise<void> {
    const work = this.works.get(name);
    if (!work || this.held.has(name)) return;
    this.held.add(name);
    const previous = work.running ?? Promise.resolve();
    work.running = previous.then(async () => {
      try {
        work.stop = await work.start();
      } catch (err) {
        this.onError(name, err);
      }
    });
    await work.running;
  }

  /** Stops the work (after its start finished) and marks the lease free; the caller then unlocks it. */
  protected async end(name: string): Promise<void> {
    const work = this.works.get(name);
    if (!work || !this.held.has(name)) return;
    this.held.delete(name);
    const previous = work.running ?? Promise.resolve();
    work.running = previous.then(async () => {
      const stop = work.stop;
      work.stop = undefined;
      try {
        await stop?.();
      } catch (err) {
        this.onError(name, err);
      }
    });
    await work.running;
  }
}

/** This process is the only one: every lease is held from `start()` on. */
export class LocalLeases extends LeaseBook {
  private started = false;

  get running(): boolean {
    return this.started;
  }

  constructor(onError: (lease: string, err: unknown) => void = () => undefined) {
    super(onError);
  }

  runWhileHeld(name: string, start: StartWork): void {
    this.register(name, start);
    if (this.started) void this.begin(name);
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.works.keys()].map((name) => this.begin(name)));
  }

  async withdraw(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.end(name)));
    for (const name of names) this.works.delete(name);
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.withdraw([...this.works.keys()]);
  }
}
