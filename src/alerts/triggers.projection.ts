import type { RowWrite } from '../event-log/projector';
import type { FailureReportReceived } from '../sources/fuel/failure-reports/failure-report.events';
import { operationOf, releaseOf } from '../sources/fuel/failure-reports/failure-reports.projection';
import type { RecordAccepted } from '../sources/clearlinux/record/record.events';
import { crashGroupOf } from './crash-group';

export const TRIGGER_TABLES = ['alert_triggers', 'alert_crash_groups'] as const;

export const TriggersSql = {
  /** A group's first record becomes its trigger; later records of the group insert nothing. */
  newCrashGroup: `
    WITH fresh AS (
      INSERT INTO alert_crash_groups (group_key, function, module, classification, build, first_event_id, first_seen)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (group_key) DO NOTHING
      RETURNING first_event_id, first_seen
    )
    INSERT INTO alert_triggers (event_id, kind, subject_key, facts, occurred_at)
    SELECT first_event_id, 'crash_group', $1, $8::jsonb, first_seen FROM fresh
    ON CONFLICT (event_id) DO NOTHING`,
} as const;

/** Pure: an opted-in failure report is a trigger (no contact → stored, never notified). */
export function failureReportTrigger(event: FailureReportReceived): RowWrite[] {
  const d = event.data;
  if (!d.notified) return [];
  const facts = { release: releaseOf(d), operation: operationOf(d), taskName: d.context?.error.task_name ?? null, masterNodeUid: d.masterNodeUid };
  return [
    {
      kind: 'insert',
      table: 'alert_triggers',
      rows: [{ event_id: event.id, kind: 'failure_report', subject_key: d.reportUuid, facts: JSON.stringify(facts), occurred_at: event.receivedAt }],
      conflict: { target: ['event_id'], action: 'nothing' },
    },
  ];
}

/** Pure: a crash record whose guilty frame starts a new group is a trigger. */
export function crashGroupTrigger(event: RecordAccepted): RowWrite[] {
  const group = crashGroupOf(event);
  if (!group) return [];
  const facts = { release: group.build, operation: group.classification, function: group.guilty.function, module: group.guilty.module, recordId: event.data.id };
  return [
    {
      kind: 'sql',
      sql: TriggersSql.newCrashGroup,
      params: [group.key, group.guilty.function, group.guilty.module, group.classification, group.build, event.id, event.receivedAt, JSON.stringify(facts)],
    },
  ];
}
