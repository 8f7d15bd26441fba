import { Logger } from '@nestjs/common';
import type { VersionChangePolicy } from '../config/app-config';
import { Database } from '../database/database';
import { Metrics } from '../metrics/metrics';
import { CheckpointSql, readProjectorVersions, writeCheckpoint, writeProjectorVersion } from './checkpoints';
import { EventFeed, FeedBatch } from './event-feed';
import { Projector } from './projector';
import { readLogPage } from './postgres-feed';
import { applyWrites } from './row-writer';

export type ReplayProgress = Readonly<{ projector: string; processed: number; total: number; done: boolean; error?: string }>;
export type ProjectorStatus = Readonly<{ name: string; lag: number | null; replay?: ReplayProgress }>;

type Entry = { projector: Projector; feed: EventFeed; replay?: ReplayProgress };

/**
 * Runs every registered projector against the active log and rebuilds one from `event_log` on demand.
 * Rows and checkpoint of a batch commit in one transaction (exactly-once effect); replay empties the
 * projector's tables and re-applies the log with progress, pausing the live feed meanwhile.
 */
export class ProjectorRuntime {
  private readonly logger = new Logger('projectors');
  private readonly entries = new Map<string, Entry>();
  private readonly m;
  private started = false;
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
    }>,
  ) {
    this.m = {
      applied: metrics.counter('telemetry_projector_events_applied_total', 'Events applied by each projector', ['projector']),
      errors: metrics.counter('telemetry_projector_failed_batches_total', 'Failed projector batches (retried)', ['projector']),
      // Computed when /metrics is scraped: a timer would query the log all day for a figure nobody reads.
      lag: metrics.gauge('telemetry_projector_lag_events', 'How far each projector is behind the event log', ['projector'], () => this.refreshLag()),
    };
  }

  register(projector: Projector): void {
    if (this.entries.has(projector.name)) throw new Error(`projector ${projector.name} registered twice`);
    this.entries.set(projector.name, { projector, feed: this.feedFor(projector) });
    if (this.started) void this.startEntry(this.entries.get(projector.name)!);
  }

  get eventsApplied(): number {
    return this.applied;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  async start(): Promise<void> {
    const stale = await this.staleEntries();
    this.started = true;
    await Promise.all([...this.entries.values()].filter((e) => !stale.includes(e)).map((e) => this.startEntry(e)));
    for (const entry of stale) void this.rebuild(entry);
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.entries.values()].map((e) => e.feed.stop()));
    await this.options.afterStop?.();
  }

  async status(): Promise<ProjectorStatus[]> {
    return Promise.all(
      [...this.entries.values()].map(async (e) => ({ name: e.projector.name, lag: await e.feed.lag().catch(() => null), replay: e.replay })),
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
        const lag = await entry.feed.lag().catch((err: Error) => ((lastError = err), undefined));
        if (lag === 0) break;
        if (Date.now() > deadline) {
          const cause = lastError ? ` (last lag reading failed: ${lastError.message})` : '';
          throw new Error(`projector ${name} did not catch up within ${timeoutMs} ms${cause}`);
        }
        await new Promise((r) => setTimeout(r, lag === undefined ? 200 : 20));
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
    report({ projector: name, processed: 0, total: 0, done: false });
    await entry.feed.stop();
    try {
      await this.options.beforeReplay?.();
      const total = await this.countLogged(projector);
      await this.db.transaction(async (tx) => {
        if (projector.tables.length > 0) await tx.query(`TRUNCATE ${projector.tables.join(', ')}`);
        await tx.query(CheckpointSql.reset, [name, [this.options.replayPartition]]);
      });
      let position = 0n;
      let processed = 0;
      for (;;) {
        const page = await readLogPage(this.db, projector, position, this.options.batchSize);
        if (BigInt(page.position) > position) {
          await this.apply(projector, { events: page.events, partition: this.options.replayPartition, position: page.position });
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
      if (this.started) await this.startEntry(entry);
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
      else if (was !== version && policy !== 'ignore') stale.push(entry);
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

  private get(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownProjector(name, this.names());
    return entry;
  }

  private async startEntry(entry: Entry): Promise<void> {
    await entry.feed.start(entry.projector, (batch) => this.apply(entry.projector, batch));
  }

  private async apply(projector: Projector, batch: FeedBatch): Promise<void> {
    const writes = batch.events.flatMap((e) => projector.project(e));
    try {
      await this.db.transaction(async (tx) => {
        await applyWrites(tx, writes);
        await writeCheckpoint(tx, projector.name, { partition: batch.partition, position: batch.position });
      });
    } catch (err) {
      this.m.errors.inc({ projector: projector.name });
      this.logger.error(`projector ${projector.name} failed a batch of ${batch.events.length}: ${(err as Error).message}`);
      throw err;
    }
    this.m.applied.inc({ projector: projector.name }, batch.events.length);
    this.applied += batch.events.length;
    if (batch.events.length > 0) projector.afterCommit?.(batch.events);
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
      [...this.entries.values()].map(async (e) => {
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

export class UnknownProjector extends Error {
  constructor(name: string, known: string[]) {
    super(`unknown projector "${name}" (known: ${known.join(', ') || 'none'})`);
  }
}
