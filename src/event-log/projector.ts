import { EventStream, TelemetryEvent } from './event';

export type Row = Readonly<Record<string, unknown>>;

/**
 * What a projection wants written, as data. `insert` rows of one table share their columns;
 * `onConflict: 'nothing'` makes redelivery harmless; `update` overwrites the listed columns; `greatest`
 * keeps the larger value of one column (a "latest time seen" that late or repeated events cannot lower).
 * JSON columns must be given as already-stringified JSON (pg would turn arrays into SQL arrays).
 */
export type RowWrite =
  | Readonly<{ kind: 'insert'; table: string; rows: readonly Row[]; conflict?: ConflictRule }>
  | Readonly<{
      kind: 'sql';
      sql: string;
      params: readonly unknown[];
      /** The tables the statement reads or writes, if known: inserts into other tables may then be batched across it. */
      tables?: readonly string[];
    }>;

/** One row a redelivery or a replay must not insert twice (`ON CONFLICT (target) DO NOTHING`). */
export function insertOnce(table: string, row: Row, target: readonly string[]): RowWrite {
  return { kind: 'insert', table, rows: [row], conflict: { target, action: 'nothing' } };
}

/**
 * After an event's row went into a table keyed by (log_event_id, ts_reception): removes the rows an earlier
 * copy of the same event left. Kafka's log can hold an event twice — an instance killed after producing and
 * before answering; the client's retry is appended again, with a later reception time — and a hypertable's
 * unique key must include its time column, so ON CONFLICT cannot see the copy. The client was answered by
 * the last copy, so that one stays. (The PostgreSQL log refuses a second copy itself; this finds nothing.)
 */
export function dropEarlierCopies(table: string, eventId: string, receivedAt: string): RowWrite {
  return { kind: 'sql', sql: `DELETE FROM ${table} WHERE log_event_id = $1::uuid AND ts_reception < $2::timestamptz`, params: [eventId, receivedAt], tables: [table] };
}

export type ConflictRule =
  | Readonly<{ target: readonly string[]; action: 'nothing' }>
  | Readonly<{ target: readonly string[]; action: 'update'; set: readonly string[] }>
  | Readonly<{ target: readonly string[]; action: 'greatest'; column: string }>;

/**
 * A projector: a name, a version, the events it reads, the tables it owns (emptied before a replay) and a
 * pure function from one event to row writes. The runtime applies the writes together with the projector's
 * checkpoint in one transaction, so each event's effect lands exactly once.
 */
export interface Projector<E extends TelemetryEvent = TelemetryEvent> {
  readonly name: string;
  /**
   * Bump it whenever `project` would write other rows for an event it already applied (a changed rule, a
   * new column): rows written by the old version are then stale, and the runtime rebuilds the projection
   * from the log at start-up (PROJECTOR_VERSION_CHANGE) instead of leaving it to someone's memory.
   */
  readonly version: number;
  readonly streams: readonly EventStream[];
  /** Drawn from the event union `E`, so a misspelt type does not compile. `'*'` = every event of the streams. */
  readonly eventTypes: readonly E['type'][] | '*';
  readonly tables: readonly string[];
  project(event: E): readonly RowWrite[];
  /** Called after a batch's rows and checkpoint committed (e.g. to wake a worker that reads those rows). */
  afterCommit?(events: readonly E[]): void;
}

export function consumes(projector: Projector, type: string): boolean {
  return projector.eventTypes === '*' || (projector.eventTypes as readonly string[]).includes(type);
}
