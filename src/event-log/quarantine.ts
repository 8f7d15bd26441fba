import { isConnectionFailure, Queryable } from '../database/database';
import type { TelemetryEvent } from './event';

export const QuarantineSql = {
  put: `
    INSERT INTO projector_quarantine (projector, event_id, event_type, partition, position, error)
    VALUES ($1, $2::uuid, $3, $4, $5::bigint, $6)
    ON CONFLICT (projector, event_id) DO UPDATE
      SET error = EXCLUDED.error, attempts = projector_quarantine.attempts + 1, last_seen = now()`,
  list: `
    SELECT projector, event_id::text AS event_id, event_type, partition, position::text AS position, error, attempts,
           first_seen, last_seen
    FROM projector_quarantine WHERE $1::text IS NULL OR projector = $1 ORDER BY first_seen, event_id LIMIT 1000`,
  counts: `SELECT projector, count(*)::int AS n FROM projector_quarantine GROUP BY projector`,
  release: `DELETE FROM projector_quarantine WHERE projector = $1 AND event_id = $2::uuid`,
  clear: `DELETE FROM projector_quarantine WHERE projector = $1`,
  loggedEvent: `SELECT payload::text AS payload FROM event_log WHERE id = $1::uuid LIMIT 1`,
} as const;

export type QuarantinedEvent = Readonly<{
  projector: string;
  event_id: string;
  event_type: string;
  partition: string;
  position: string;
  error: string;
  attempts: number;
  first_seen: string;
  last_seen: string;
}>;

/**
 * SQLSTATE classes that say "this event's data": 22 data exception (invalid JSON, an unsupported Unicode
 * escape, a NUL byte in text, a value out of range), 23 integrity constraint. Anything else — the
 * connection or the server (08, 53, 57, 58), a deadlock (40), a missing table or column after a bad
 * deployment (42) — is not the event's fault: the batch is retried with back-off, nothing is set aside.
 */
const POISON_SQLSTATE = /^(22|23)/;

/** Whether a failure of one event is the event's own (quarantine it) or the infrastructure's (retry). */
export function isPoison(err: unknown): boolean {
  if (isConnectionFailure(err)) return false;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return POISON_SQLSTATE.test(code);
  // Not from the database: the projection itself threw on this event (e.g. a stack overflow on a deep value).
  return err instanceof Error;
}

export async function quarantine(tx: Queryable, projector: string, event: TelemetryEvent, partition: string, position: string, error: string): Promise<void> {
  await tx.query(QuarantineSql.put, [projector, event.id, event.type, partition, position, error.slice(0, 2000)]);
}

export async function listQuarantine(db: Queryable, projector: string | null): Promise<QuarantinedEvent[]> {
  return db.query<QuarantinedEvent>(QuarantineSql.list, [projector]);
}

export async function quarantineCounts(db: Queryable): Promise<Map<string, number>> {
  return new Map((await db.query<{ projector: string; n: number }>(QuarantineSql.counts)).map((r) => [r.projector, r.n]));
}

export async function loggedEvent(db: Queryable, eventId: string): Promise<TelemetryEvent | undefined> {
  const [row] = await db.query<{ payload: string }>(QuarantineSql.loggedEvent, [eventId]);
  return row ? (JSON.parse(row.payload) as TelemetryEvent) : undefined;
}
