import { EventEmitter } from 'node:events';
import { LogUnavailable } from '../common/errors';
import { Database } from '../database/database';
import { TelemetryEvent } from './event';
import { BatchingEventLog, BatchingOptions } from './batching-event-log';
import { AppendOutcome, LogHealth } from './event-log';
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
} as const;

/** Event log in the `event_log` table: an append is durable when its transaction commits. */
export class PostgresEventLog extends BatchingEventLog {
  readonly kind = 'postgres' as const;
  /** Emits 'appended' (with the set of event types written) after each commit, so in-process projectors wake without polling. */
  // One listener per projector feed; there are more than EventEmitter's default warning threshold of 10.
  readonly notifications = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly db: Database,
    metrics: EventLogMetrics,
    options: BatchingOptions,
  ) {
    super(metrics, options);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {
    await this.drain();
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
      const rows = await this.db.query<{ id: string }>(EventLogSql.append, [
        events.map((e) => e.id),
        events.map((e) => e.stream),
        events.map((e) => e.type),
        events.map((e) => e.key),
        events.map((e) => JSON.stringify(e)),
        events.map((e) => e.receivedAt),
      ]);
      inserted = new Set(rows.map((r) => r.id));
    } catch (err) {
      this.metrics.failures.inc({ log: this.kind });
      throw new LogUnavailable(`event log write failed: ${(err as Error).message}`);
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
