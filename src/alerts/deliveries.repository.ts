import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { reportDetailSelect, ReportDetailRow } from '../sources/fuel/failure-reports/failure-reports.repository';
import type { AlertChannel, AlertRule, AlertTrigger, PlannedDelivery, TriggerKind } from './rules';

export type DeliveryState = 'pending' | 'sending' | 'retrying' | 'sent' | 'dead';

export type DeliveryRow = Readonly<{
  id: string;
  dedupe_key: string;
  trigger_event_id: string;
  trigger_kind: TriggerKind;
  subject_key: string;
  rule_id: string;
  channel_id: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}>;

export type AttemptRow = Readonly<{ delivery_id: string; attempt: number; started_at: string; duration_ms: number; outcome: string; status: number | null; error: string | null }>;

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const DELIVERY_COLUMNS = `id::text AS id, dedupe_key, trigger_event_id::text AS trigger_event_id, trigger_kind, subject_key,
  rule_id::text AS rule_id, channel_id::text AS channel_id, state, attempts, last_error, last_status,
  ${ISO('next_attempt_at')} AS next_attempt_at, ${ISO('created_at')} AS created_at, ${ISO('updated_at')} AS updated_at, ${ISO('sent_at')} AS sent_at`;

/**
 * A trigger not yet turned into deliveries, and ready: a failure report's trigger waits until the
 * `fuel-failure-reports` projector has stored the report it points at (the two projectors commit apart).
 */
const DISPATCHABLE = `t.dispatched_at IS NULL
    AND (t.kind <> 'failure_report' OR EXISTS (SELECT 1 FROM failure_reports r WHERE r.report_uuid = t.subject_key))`;

export const DeliveriesSql = {
  /** Triggers not yet turned into deliveries; SKIP LOCKED lets several instances share the work. */
  anyPendingTrigger: `SELECT 1 FROM alert_triggers t WHERE ${DISPATCHABLE} LIMIT 1`,
  pendingTriggers: `
    SELECT event_id::text AS "eventId", kind, subject_key AS "subjectKey", facts, ${ISO('occurred_at')} AS "occurredAt"
    FROM alert_triggers t WHERE ${DISPATCHABLE} ORDER BY occurred_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
  rules: `SELECT id::text AS id, name, enabled, kind, release, operation, channel_ids AS "channelIds" FROM alert_rules ORDER BY name, id`,
  channels: `
    SELECT id::text AS id, name, kind, enabled, target, timeout_ms AS "timeoutMs", sealed_secret AS "sealedSecret"
    FROM alert_channels ORDER BY name, id`,
  channel: `
    SELECT id::text AS id, name, kind, enabled, target, timeout_ms AS "timeoutMs", sealed_secret AS "sealedSecret"
    FROM alert_channels WHERE id = $1`,
  insertDeliveries: `
    INSERT INTO alert_deliveries (dedupe_key, trigger_event_id, trigger_kind, subject_key, rule_id, channel_id)
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
  markDispatched: `UPDATE alert_triggers SET dispatched_at = now() WHERE event_id = ANY($1::uuid[])`,
  /**
   * Claims due deliveries in one statement (no transaction held while sending: embedded mode has a single
   * connection). A claim is a lease: a row left in `sending` by a crashed process is due again once the
   * lease ran out, so a delivery survives kill -9 (at least once; receivers dedupe by the delivery id).
   */
  claimDue: `
    UPDATE alert_deliveries d SET state = 'sending', claimed_until = now() + ($2::int * interval '1 millisecond'), updated_at = now()
    WHERE d.id IN (
      SELECT id FROM alert_deliveries
      WHERE (state IN ('pending', 'retrying') AND next_attempt_at <= now()) OR (state = 'sending' AND claimed_until < now())
      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING ${DELIVERY_COLUMNS}`,
  /** Outcome and audit row in one statement. Only the claimant (state still `sending`) may finish a delivery. */
  finish: `
    WITH done AS (
      UPDATE alert_deliveries SET state = $2, attempts = attempts + 1, last_error = $3, last_status = $4,
        next_attempt_at = now() + ($5::int * interval '1 millisecond'), claimed_until = NULL, updated_at = now(),
        sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
      WHERE id = $1 AND state = 'sending' RETURNING id, attempts)
    INSERT INTO alert_delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, status, error)
    SELECT id, attempts, $6, $7, $8, $4, $3 FROM done`,
  /** Everything one send needs (channel, trigger, report with sealed contact), in one round trip. */
  context: `
    SELECT
      (SELECT row_to_json(c) FROM (SELECT id::text AS id, name, kind, enabled, target, timeout_ms AS "timeoutMs", sealed_secret AS "sealedSecret"
                                   FROM alert_channels WHERE id = $1) c) AS channel,
      (SELECT row_to_json(t) FROM (SELECT event_id::text AS "eventId", kind, subject_key AS "subjectKey", facts, ${ISO('occurred_at')} AS "occurredAt"
                                   FROM alert_triggers WHERE event_id = $2) t) AS trigger,
      (SELECT row_to_json(r) FROM (${reportDetailSelect('$3')}) r) AS report`,
  /**
   * ms until the next delivery is due (0 = due now), or no row when none is waiting. min() over no rows is
   * NULL, and greatest(0, NULL) would be 0 (greatest ignores NULLs), i.e. "due now" for an empty table.
   */
  nextDueInMs: `
    SELECT greatest(0, ceil(extract(epoch FROM (next.due - now())) * 1000))::int AS ms
    FROM (SELECT min(coalesce(CASE WHEN state = 'sending' THEN claimed_until END, next_attempt_at)) AS due
          FROM alert_deliveries WHERE state IN ('pending', 'retrying', 'sending')) next
    WHERE next.due IS NOT NULL`,
  forSubject: `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries WHERE subject_key = $1 ORDER BY id`,
  attemptsFor: `
    SELECT delivery_id::text AS delivery_id, attempt, ${ISO('started_at')} AS started_at, duration_ms, outcome, status, error
    FROM alert_delivery_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY id`,
  byState: `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries WHERE ($1::text IS NULL OR state = $1) ORDER BY updated_at DESC, id DESC LIMIT $2`,
  /** Manual retry of a dead letter: a fresh series of attempts (the audit trail keeps the old ones). */
  retry: `
    UPDATE alert_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
    WHERE id = $1 AND state = 'dead' RETURNING id::text AS id`,
  anyRuleEverLogged: `SELECT 1 FROM event_log WHERE type = 'alerts.rule.saved' LIMIT 1`,
  countByState: `SELECT state, count(*)::int AS n FROM alert_deliveries GROUP BY state`,
} as const;

@Injectable()
export class DeliveriesRepository {
  constructor(private readonly db: Database) {}

  /** Turns up to `limit` pending triggers into deliveries with `plan`, in one transaction. */
  async dispatchTriggers(limit: number, plan: (t: AlertTrigger, rules: AlertRule[], channels: AlertChannel[]) => PlannedDelivery[]): Promise<number> {
    // A cheap look first: most wake-ups find nothing, and a transaction costs three round trips.
    if ((await this.db.query(DeliveriesSql.anyPendingTrigger)).length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const triggers = await tx.query<AlertTrigger>(DeliveriesSql.pendingTriggers, [limit]);
      if (triggers.length === 0) return 0;
      const rules = await tx.query<AlertRule>(DeliveriesSql.rules);
      const channels = await tx.query<AlertChannel>(DeliveriesSql.channels);
      const planned = triggers.flatMap((t) => plan(t, rules, channels).map((p) => ({ p, t })));
      let created = 0;
      if (planned.length > 0) {
        const rows = await tx.query(DeliveriesSql.insertDeliveries, [
          planned.map(({ p }) => p.dedupeKey),
          planned.map(({ p }) => p.triggerEventId),
          planned.map(({ t }) => t.kind),
          planned.map(({ t }) => t.subjectKey),
          planned.map(({ p }) => p.ruleId),
          planned.map(({ p }) => p.channelId),
        ]);
        created = rows.length;
      }
      await tx.query(DeliveriesSql.markDispatched, [triggers.map((t) => t.eventId)]);
      return created;
    });
  }

  claimDue(limit: number, leaseMs: number): Promise<DeliveryRow[]> {
    return this.db.query<DeliveryRow>(DeliveriesSql.claimDue, [limit, leaseMs]);
  }

  async finish(
    delivery: DeliveryRow,
    result: Readonly<{ state: DeliveryState; error: string | null; status: number | null; delayMs: number; startedAt: string; durationMs: number; outcome: string }>,
  ): Promise<void> {
    // No row changes when the lease was lost to another worker meanwhile: that worker owns the outcome.
    await this.db.query(DeliveriesSql.finish, [
      delivery.id, result.state, result.error, result.status, Math.round(result.delayMs), result.startedAt, Math.round(result.durationMs), result.outcome,
    ]);
  }

  /** null when no delivery is waiting at all. */
  async nextDueInMs(): Promise<number | null> {
    const [row] = await this.db.query<{ ms: number | null }>(DeliveriesSql.nextDueInMs);
    return row?.ms ?? null;
  }

  async context(d: DeliveryRow): Promise<{ channel: AlertChannel | null; trigger: AlertTrigger | null; report: ReportDetailRow | null }> {
    const [row] = await this.db.query<{ channel: AlertChannel | null; trigger: AlertTrigger | null; report: ReportDetailRow | null }>(DeliveriesSql.context, [
      d.channel_id,
      d.trigger_event_id,
      d.trigger_kind === 'failure_report' ? d.subject_key : null,
    ]);
    return row;
  }

  async channel(id: string): Promise<AlertChannel | undefined> {
    return (await this.db.query<AlertChannel>(DeliveriesSql.channel, [id]))[0];
  }

  forSubject(subjectKey: string): Promise<DeliveryRow[]> {
    return this.db.query<DeliveryRow>(DeliveriesSql.forSubject, [subjectKey]);
  }

  attemptsFor(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.db.query<AttemptRow>(DeliveriesSql.attemptsFor, [deliveryIds]);
  }

  byState(state: DeliveryState | null, limit: number): Promise<DeliveryRow[]> {
    return this.db.query<DeliveryRow>(DeliveriesSql.byState, [state, limit]);
  }

  async retry(id: string): Promise<boolean> {
    return (await this.db.query(DeliveriesSql.retry, [id])).length === 1;
  }

  rules(): Promise<AlertRule[]> {
    return this.db.query<AlertRule>(DeliveriesSql.rules);
  }

  channels(): Promise<AlertChannel[]> {
    return this.db.query<AlertChannel>(DeliveriesSql.channels);
  }

  /** Kafka mode archives every event into event_log too, so this sees rules of earlier runs in every mode. */
  async anyRuleEverLogged(): Promise<boolean> {
    return (await this.db.query(DeliveriesSql.anyRuleEverLogged)).length > 0;
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ state: string; n: number }>(DeliveriesSql.countByState);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
