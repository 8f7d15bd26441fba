import { Logger } from '@nestjs/common';
import type { VersionChangePolicy } from '../config/app-config';
import { AppError } from '../common/errors';
import { Leases, LocalLeases } from '../coordination/leases';
import { Database } from '../database/database';
import { Metrics } from '../metrics/metrics';
import { CheckpointMoved, CheckpointSql, lockCheckpoint, readProjectorVersions, writeCheckpoint, writeProjectorVersion } from './checkpoints';
import { EventFeed, FeedBatch } from './event-feed';
import { Projector } from './projector';
import { readLogPage } from './postgres-feed';
import { isPoison, listQuarantine, loggedEvent, quarantine, QuarantinedEvent, quarantineCounts, QuarantineSql } from './quarantine';
import { applyWrites } from './row-writer';
import type { TelemetryEvent } from './event';

export type ReplayProgress = Readonly<{ projector: string; processed: number; total: number; done: boolean; error?: string }>;
export type ProjectorStatus = Readonly<{ name: string; lag: number | null; quarantined: number; replay?: ReplayProgress; runsElsewhere?: boolean }>;

type Entry = {
  projector: Projector;
  feed: EventFeed;
  replay?: ReplayProgress;
  /** This instance holds the projector's lease (its feed runs, or is paused by a replay). */
  live: boolean;
  replaying?: Promise<unknown>;
  /** Its rows were written by another version: rebuilt from the log when this instance starts running it. */
  stale?: boolean;
};

/** The lease that says which instance runs a projector (PostgreSQL log with several instances). */
export const projectorLease = (name: string) => `projector:${name}`;

/**
 * Runs every registered projector against the active log and rebuilds one from `event_log` on demand.
 * Rows and checkpoint of a batch commit in one transaction (exactly-once effect); replay empties the
 * projector's tables and re-applies the log with progress, pausing the live feed meanwhile.
 *
 * Which projectors run here is the `leases`' call: all of them with one process (embedded, or Kafka, whose
 * consumer groups split partitions), one instance each when several share a PostgreSQL log. With
 * `guardCheckpoints` (a shared database) every batch locks its checkpoint row first and is dropped when
 * another instance committed past its start, so a lease or partition moving mid-batch applies nothing twice.
 */
export class ProjectorRuntime {
  private readonly logger = new Logger('projectors');
  private readonly entries = new Map<string, Entry>();
  private readonly m;
  private readonly leases: Leases;
  private started = false;
  private ownsLeases = false;
  /** Events applied by all projectors of this process so far: lets periodic work skip when nothing changed. */
  private applied = 0;

  constructor(
    private readonly db: Database,
    private readonly feedFor: (projector: Projector) => EventFeed,
    metrics: Metrics,
    private readonly options: Readonly<{
      batchSize: number;
      replayPartition: string;
      onVersionChange?: VersionChangePolicy;
      beforeReplay?: () => Promise<void>;
      afterStop?: () => Promise<void>;
      /** Shared with other work (started here unless already running). Without it every projector runs here. */
      leases?: Leases;
      guardCheckpoints?: boolean;
    }>,
  ) {
    this.leases = options.leases ?? new LocalLeases();
    this.m = {
      applied: metrics.counter('telemetry_projector_events_applied_total', 'Events applied by each projector', ['projector']),
      errors: metrics.counter('telemetry_projector_failed_batches_total', 'Failed projector batches (retried)', ['projector']),
      quarantined: metrics.counter('telemetry_projector_events_quarantined_total', 'Events a projector could not apply, set aside (projector_quarantine)', ['projector']),
      // Computed when /metrics is scraped: a timer would query the log all day for a figure nobody reads.
      lag: metrics.gauge('telemetry_projector_lag_events', 'How far each projector is behind the event log', ['projector'], () => this.refreshLag()),
    };
  }

  register(projector: Projector): void {
    if (this.entries.has(projector.name)) throw new Error(`projector ${projector.name} registered twice`);
    const entry: Entry = { projector, feed: this.feedFor(projector), live: false };
    this.entries.set(projector.name, entry);
    if (this.started) this.runWhileHeld(entry);
  }

  /** Names of the projectors this instance runs now. */
  running(): string[] {
    return [...this.entries.values()].filter((e) => e.live).map((e) => e.projector.name);
  }

  get eventsApplied(): number {
    return this.applied;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The registered projectors, as defined (what they read and write). */
  projectors(): Projector[] {
    return [...this.entries.values()].map((e) => e.projector);
  }

  async start(): Promise<void> {
    for (const entry of await this.staleEntries()) entry.stale = true;
    this.started = true;
    for (const entry of this.entries.values()) this.runWhileHeld(entry);
    // Whoever starts first starts the leases (the platform registers its jobs before); then we stop them too.
    if (!this.leases.running) {
      this.ownsLeases = true;
      await this.leases.start();
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.leases.withdraw(this.names().map(projectorLease));
    if (this.ownsLeases) await this.leases.stop();
    this.ownsLeases = false;
    await this.options.afterStop?.();
  }

  async status(): Promise<ProjectorStatus[]> {
    const quarantined = await quarantineCounts(this.db).catch(() => new Map<string, number>());
    return Promise.all(
      [...this.entries.values()].map(async (e) => ({
        name: e.projector.name,
        lag: await this.lagOf(e).catch(() => null),
        quarantined: quarantined.get(e.projector.name) ?? 0,
        replay: e.replay,
        ...(this.started && !e.live ? { runsElsewhere: true } : {}),
      })),
    );
  }

  /**
   * Resolves once every projector (or the named ones) has applied everything logged so far. A failed lag
   * reading (e.g. Kafka answering "not the leader" while a new topic's leader is elected) is asked again
   * until the deadline rather than failing the caller.
   */
  async catchUp(names: readonly string[] = this.names(), timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const name of names) {
      const entry = this.get(name);
      let lastError: Error | undefined;
      for (;;) {
        const lag = await this.lagOf(entry).catch((err: Error) => ((lastError = err), undefined));
        if (lag === 0) break;
        if (Date.now() > deadline) {
          const cause = lastError ? ` (last lag reading failed: ${lastError.message})` : '';
          throw new Error(`projector ${name} did not catch up within ${timeoutMs} ms${cause}`);
        }
        await new Promise((r) => setTimeout(r, lag === undefined ? 200 : entry.live ? 20 : 100));
      }
    }
  }

  replayStatus(name: string): ReplayProgress | undefined {
    return this.get(name).replay;
  }

  /** Empties the projector's tables and rebuilds them from `event_log`; `onProgress` sees every batch. */
  async replay(name: string, onProgress: (p: ReplayProgress) => void = () => undefined): Promise<ReplayProgress> {
    const entry = this.get(name);
    if (entry.replay && !entry.replay.done) throw new Error(`projector ${name} is already replaying`);
    const { projector } = entry;
    const report = (p: ReplayProgress) => {
      entry.replay = p;
      onProgress(p);
    };
    if (this.started && !entry.live) {
      const refused = new HeldElsewhere(name);
      report({ projector: name, processed: 0, total: 0, done: true, error: refused.message });
      throw refused;
    }
    const run = this.replayHere(entry, report);
    entry.replaying = run.catch(() => undefined);
    return run;
  }

  private async replayHere(entry: Entry, report: (p: ReplayProgress) => void): Promise<ReplayProgress> {
    const { projector } = entry;
    const name = projector.name;
    report({ projector: name, processed: 0, total: 0, done: false });
    await entry.feed.stop();
    try {
      await this.options.beforeReplay?.();
      const total = await this.countLogged(projector);
      await this.db.transaction(async (tx) => {
        if (projector.tables.length > 0) await tx.query(`TRUNCATE ${projector.tables.join(', ')}`);
        await tx.query(CheckpointSql.reset, [name, [this.options.replayPartition]]);
        // Rebuilt from scratch: an event this code still cannot apply is set aside again.
        await tx.query(QuarantineSql.clear, [name]);
      });
      let position = 0n;
      let processed = 0;
      for (;;) {
        const page = await readLogPage(this.db, projector, position, this.options.batchSize);
        if (BigInt(page.position) > position) {
          await this.apply(projector, { events: page.events, partition: this.options.replayPartition, position: page.position, after: position.toString() });
        }
        position = BigInt(page.position);
        processed += page.events.length;
        report({ projector: name, processed, total: Math.max(total, processed), done: false });
        if (!page.full) break;
      }
      // Rebuilt by this code: its rows are now of this version (a replay cut short leaves the old one, so the
      // next start rebuilds again).
      await writeProjectorVersion(this.db, name, projector.version);
      const final = { projector: name, processed, total: Math.max(total, processed), done: true };
      report(final);
      return final;
    } catch (err) {
      const failed = { ...entry.replay!, done: true, error: (err as Error).message };
      report(failed);
      throw err;
    } finally {
      if (this.started && entry.live) await this.startEntry(entry);
    }
  }

  /**
   * Projectors whose rows were written by another version than the code's, to be rebuilt (or a refusal to
   * start). A projector seen for the first time records its version: it starts from the beginning anyway.
   */
  private async staleEntries(): Promise<Entry[]> {
    const policy = this.options.onVersionChange ?? 'rebuild';
    const stored = await readProjectorVersions(this.db);
    const stale: Entry[] = [];
    for (const entry of this.entries.values()) {
      const { name, version } = entry.projector;
      const was = stored.get(name);
      if (was === undefined) await writeProjectorVersion(this.db, name, version);
      else if (was < version && policy !== 'ignore') stale.push(entry);
      // Rows of a newer version than this code: an older instance during a rolling upgrade. Rebuilding them
      // with the old code would undo the upgrade, so it serves them as they are.
      else if (was > version) this.logger.warn(`projector ${name}: rows are of version ${was}, this code is version ${version} (older); left as they are`);
    }
    if (stale.length > 0 && policy === 'refuse') throw new ProjectorVersionChanged(stale.map((e) => ({ ...e.projector, was: stored.get(e.projector.name)! })));
    return stale;
  }

  private async rebuild(entry: Entry): Promise<void> {
    const { name, version } = entry.projector;
    this.logger.warn(`projector ${name} is version ${version}, its rows were written by another: rebuilding it from the log`);
    let logged = 0;
    const progress = (p: ReplayProgress) => {
      const tenth = p.total > 0 ? Math.floor((10 * p.processed) / p.total) : 10;
      if (!p.done && tenth <= logged) return;
      logged = tenth;
      this.logger.log(`rebuilding ${name}: ${p.processed}/${p.total} events${p.done ? ', done' : ''}`);
    };
    await this.replay(name, progress).catch((err: Error) => this.logger.error(`rebuilding ${name} failed: ${err.message} (retry: npm run replay -- ${name})`));
  }

  /**
   * A projector running here knows its lag. One running on another instance (PostgreSQL log, leases) is
   * as far behind as events of its types logged past its committed checkpoint (its feed here is not
   * reading, so its own position means nothing): read-your-writes waits (catchUp) work on any instance.
   */
  private async lagOf(entry: Entry): Promise<number> {
    if (entry.live || !this.started) return entry.feed.lag();
    const types = entry.projector.eventTypes === '*' ? null : [...entry.projector.eventTypes];
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_log
       WHERE position > coalesce((SELECT position FROM projector_checkpoints WHERE projector = $1 AND partition = $2), 0)
         AND ($3::text[] IS NULL OR type = ANY($3::text[]))`,
      [entry.projector.name, this.options.replayPartition, types],
    );
    return n;
  }

  private get(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownProjector(name, this.names());
    return entry;
  }

  /** The feed runs while this instance holds the lease; giving it up waits for a replay in progress, then for the batch being applied. */
  private runWhileHeld(entry: Entry): void {
    this.leases.runWhileHeld(projectorLease(entry.projector.name), async () => {
      entry.live = true;
      if (entry.stale) {
        // Whichever instance holds the lease rebuilds, once; the replay starts the feed when it is done.
        entry.stale = false;
        void this.rebuild(entry);
      } else await this.startEntry(entry);
      return async () => {
        entry.live = false;
        await entry.replaying;
        await entry.feed.stop();
      };
    });
  }

  private async startEntry(entry: Entry): Promise<void> {
    await entry.feed.start(entry.projector, (batch) => this.apply(entry.projector, batch));
  }

  private async apply(projector: Projector, batch: FeedBatch): Promise<void> {
    let applied: readonly TelemetryEvent[] = batch.events;
    try {
      await this.db.transaction(async (tx) => {
        if (this.options.guardCheckpoints && batch.after !== undefined) await lockCheckpoint(tx, projector.name, batch.partition, batch.after);
        await applyWrites(tx, batch.events.flatMap((e) => projector.project(e)));
        await writeCheckpoint(tx, projector.name, { partition: batch.partition, position: batch.position });
      });
    } catch (err) {
      if (err instanceof CheckpointMoved) throw err; // the feed resumes from the committed checkpoint
      this.m.errors.inc({ projector: projector.name });
      this.logger.error(`projector ${projector.name} failed a batch of ${batch.events.length}: ${(err as Error).message}`);
      // The database or the connection: the feed retries the batch with back-off. An event's own data: isolate it.
      if (!isPoison(err)) throw err;
      applied = await this.applyIsolating(projector, batch);
    }
    this.m.applied.inc({ projector: projector.name }, applied.length);
    this.applied += applied.length;
    if (applied.length > 0) projector.afterCommit?.(applied);
  }

  /**
   * The batch again, each event behind its own savepoint: the ones the database refuses (or the projection
   * throws on) go to `projector_quarantine`, the others and the checkpoint commit together, so one poison
   * event never stops the events behind it. Only reached after a failed batch, so its cost (a savepoint and
   * unbatched inserts per event) is paid only then. A failure that is not the event's (the connection)
   * aborts the whole transaction and the feed retries later.
   */
  private async applyIsolating(projector: Projector, batch: FeedBatch): Promise<TelemetryEvent[]> {
    const good: TelemetryEvent[] = [];
    const poisoned: { event: TelemetryEvent; error: string }[] = [];
    await this.db.transaction(async (tx) => {
      if (this.options.guardCheckpoints && batch.after !== undefined) await lockCheckpoint(tx, projector.name, batch.partition, batch.after);
      for (const event of batch.events) {
        await tx.query('SAVEPOINT projector_event');
        try {
          await applyWrites(tx, projector.project(event));
          await tx.query('RELEASE SAVEPOINT projector_event');
          good.push(event);
        } catch (err) {
          if (!isPoison(err)) throw err;
          await tx.query('ROLLBACK TO SAVEPOINT projector_event');
          const error = (err as Error).message ?? String(err);
          await quarantine(tx, projector.name, event, batch.partition, batch.position, error);
          poisoned.push({ event, error });
        }
      }
      await writeCheckpoint(tx, projector.name, { partition: batch.partition, position: batch.position });
    });
    for (const { event, error } of poisoned) {
      this.m.quarantined.inc({ projector: projector.name });
      this.logger.warn(`projector ${projector.name} set event ${event.id} (${event.type}) aside: ${error} — GET /api/admin/projectors/quarantine`);
    }
    return good;
  }

  /** What is set aside (all projectors, or one). */
  quarantined(name: string | null = null): Promise<QuarantinedEvent[]> {
    if (name !== null) this.get(name);
    return listQuarantine(this.db, name);
  }

  /**
   * Applies a quarantined event again (after a fix) and releases it; if it still fails it stays, with one
   * more attempt counted. Applied out of order, which idempotent projections allow. Runs where the
   * projector runs, like a replay.
   */
  async retryQuarantined(name: string, eventId: string): Promise<Readonly<{ applied: boolean; error?: string }>> {
    const entry = this.get(name);
    if (this.started && !entry.live) throw new HeldElsewhere(name);
    const listed = (await listQuarantine(this.db, name)).find((q) => q.event_id === eventId);
    const event = listed && (await loggedEvent(this.db, eventId));
    if (!listed || !event) throw new NotQuarantined(name, eventId);
    try {
      await this.db.transaction(async (tx) => {
        await applyWrites(tx, entry.projector.project(event));
        await tx.query(QuarantineSql.release, [name, eventId]);
      });
    } catch (err) {
      if (!isPoison(err)) throw err;
      const error = (err as Error).message;
      await quarantine(this.db, name, event, listed.partition, listed.position, error);
      return { applied: false, error };
    }
    this.m.applied.inc({ projector: name });
    entry.projector.afterCommit?.([event]);
    return { applied: true };
  }

  private async countLogged(projector: Projector): Promise<number> {
    const types = projector.eventTypes === '*' ? null : [...projector.eventTypes];
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_log WHERE $1::text[] IS NULL OR type = ANY($1::text[])`,
      [types],
    );
    return n;
  }

  /** All feeds at once, so Postgres feeds share one head read (LogHead); none while stopped (Kafka would reconnect). */
  private async refreshLag(): Promise<void> {
    if (!this.started) return;
    await Promise.all(
      [...this.entries.values()].filter((e) => e.live).map(async (e) => {
        const lag = await e.feed.lag().catch(() => undefined);
        if (lag !== undefined) this.m.lag.set({ projector: e.projector.name }, lag);
      }),
    );
  }
}

export class ProjectorVersionChanged extends Error {
  constructor(changed: readonly Readonly<{ name: string; version: number; was: number }>[]) {
    const list = changed.map((p) => `${p.name} (rows of version ${p.was}, code version ${p.version})`).join(', ');
    const replay = changed.map((p) => `npm run replay -- ${p.name}`).join('; ');
    super(`projections out of date: ${list}. Rebuild them (${replay}) or start with PROJECTOR_VERSION_CHANGE=rebuild`);
  }
}

export class NotQuarantined extends AppError {
  readonly status = 404;
  constructor(name: string, eventId: string) {
    super(`event ${eventId} is not quarantined by projector ${name}`, 'not_quarantined');
  }
}

export class UnknownProjector extends Error {
  constructor(name: string, known: string[]) {
    super(`unknown projector "${name}" (known: ${known.join(', ') || 'none'})`);
  }
}

/** Replay runs where the projector runs: elsewhere it would race the live feed of the instance that holds it. */
export class HeldElsewhere extends AppError {
  readonly status = 409;
  constructor(name: string) {
    super(`projector ${name} runs on another instance sharing this database: replay it on the instance that runs it`, 'held-elsewhere');
  }
}
