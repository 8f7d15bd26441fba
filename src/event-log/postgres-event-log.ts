import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LogUnavailable } from '../common/errors';
import { Database } from '../database/database';
import { TelemetryEvent } from './event';
import { BatchingEventLog, BatchingOptions } from './batching-event-log';
import { AppendOutcome, LogHealth } from './event-log';
import { AppendListener, APPENDED_CHANNEL } from './append-listener';
import { LogHead } from './postgres-feed';
import { EventLogMetrics } from './event-log.metrics';

export const EventLogSql = {
  /**
   * One statement in its own implicit transaction (one round trip: the embedded database has a single
   * connection). The advisory lock, taken before any row gets its position and held until commit,
   * serialises appends across processes, so positions become visible in order and a reader that has seen
   * position N has seen everything below it (no gaps a projector could skip).
   */
  append: `
    WITH serialised AS MATERIALIZED (SELECT pg_advisory_xact_lock(72450019))
    INSERT INTO event_log (id, stream, type, key, payload, received_at)
    SELECT e.* FROM serialised, unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[], $6::timestamptz[]) AS e
    ON CONFLICT (id) DO NOTHING
    RETURNING id`,
  /**
   * The same append, also notifying other processes on the database (AppendListener). NOTIFY is delivered
   * at commit, so nobody hears of rows they cannot read yet; identical payloads of one transaction are
   * delivered once, so a batch sends one notification per event type. $7 names this process (`origin`).
   */
  appendAndNotify: `
    WITH serialised AS MATERIALIZED (SELECT pg_advisory_xact_lock(72450019)),
    appended AS (
      INSERT INTO event_log (id, stream, type, key, payload, received_at)
      SELECT e.* FROM serialised, unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[], $6::timestamptz[]) AS e
      ON CONFLICT (id) DO NOTHING
      RETURNING id, type)
    SELECT id, pg_notify('${APPENDED_CHANNEL}', $7::text || ' ' || type) AS notified FROM appended`,
} as const;

export type PostgresEventLogOptions = BatchingOptions &
  Readonly<{
    /**
     * Other processes append to the same database (external PostgreSQL): notify them of each append and
     * listen for theirs on a dedicated connection to this URL.
     */
    sharedDatabaseUrl?: string;
    /**
     * Safety poll of the log head, for appends nobody was told about (a writer that does not notify, or
     * one that notified while the listener was reconnecting). Off when unset.
     */
    headPollMs?: number;
  }>;

/**
 * Event log in the `event_log` table: an append is durable when its transaction commits. Feeds of this
 * process learn of new events from `notifications` and never poll on their own.
 */
export class PostgresEventLog extends BatchingEventLog {
  readonly kind = 'postgres' as const;
  /**
   * 'appended' (the set of event types written): after each commit of this process, and for other
   * processes' commits as the listener hears of them. 'head' (the log's highest position): from the safety
   * poll, and after the listener (re)connected, for feeds to catch up on whatever they were not told about.
   */
  // One listener per projector feed; there are more than EventEmitter's default warning threshold of 10.
  readonly notifications = new EventEmitter().setMaxListeners(0);
  /** The log head as this process's feeds read it (lag, the safety poll). */
  readonly head: LogHead;
  /** Names this process in its notifications, so its listener skips its own appends. */
  private readonly origin = randomUUID();
  private readonly listener: AppendListener | undefined;
  private headTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    metrics: EventLogMetrics,
    private readonly options: PostgresEventLogOptions,
  ) {
    super(metrics, options);
    this.head = new LogHead(db);
    if (options.sharedDatabaseUrl) {
      this.listener = new AppendListener(options.sharedDatabaseUrl, this.origin, {
        appended: (types) => this.notifications.emit('appended', types),
        listening: () => void this.announceHead(),
      });
    }
  }

  async start(): Promise<void> {
    await this.listener?.start();
    if (this.options.headPollMs) {
      this.headTimer = setInterval(() => void this.announceHead(), this.options.headPollMs);
      this.headTimer.unref();
    }
  }

  async stop(): Promise<void> {
    await this.drain();
    clearInterval(this.headTimer);
    await this.listener?.stop();
  }

  /** One head read for all feeds; a failure is left to the next poll (feeds report their own errors). */
  private async announceHead(): Promise<void> {
    try {
      this.notifications.emit('head', await this.head.read());
    } catch {
      // database unreachable: the feeds' own reads fail and back off meanwhile
    }
  }

  async health(): Promise<LogHealth> {
    try {
      await this.db.query('SELECT 1 FROM event_log LIMIT 1');
      return { ok: true, kind: this.kind, detail: 'event_log table reachable' };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  protected async write(events: TelemetryEvent[]): Promise<AppendOutcome[]> {
    let inserted: Set<string>;
    try {
      const columns = [
        events.map((e) => e.id),
        events.map((e) => e.stream),
        events.map((e) => e.type),
        events.map((e) => e.key),
        events.map((e) => JSON.stringify(e)),
        events.map((e) => e.receivedAt),
      ];
      const rows = this.listener
        ? await this.db.query<{ id: string }>(EventLogSql.appendAndNotify, [...columns, this.origin])
        : await this.db.query<{ id: string }>(EventLogSql.append, columns);
      inserted = new Set(rows.map((r) => r.id));
    } catch (err) {
      this.metrics.failures.inc({ log: this.kind });
      throw new LogUnavailable(undefined, undefined, err);
    }
    this.metrics.batchSize.observe(events.length);
    if (inserted.size > 0) this.notifications.emit('appended', new Set(events.filter((e) => inserted.has(e.id)).map((e) => e.type)));
    return markFirstOccurrences(events, inserted, this.metrics);
  }
}

/** The same id twice in one batch: only the first submitter's copy counts as appended. */
export function markFirstOccurrences(events: readonly TelemetryEvent[], inserted: Set<string>, metrics: EventLogMetrics): AppendOutcome[] {
  const seen = new Set<string>();
  return events.map((e) => {
    const appended = inserted.has(e.id) && !seen.has(e.id);
    seen.add(e.id);
    (appended ? metrics.appended : metrics.duplicates).inc({ stream: e.stream });
    return { id: e.id, appended };
  });
}
