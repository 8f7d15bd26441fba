import type { Projector, RowWrite } from '../event-log/projector';
import { FAILURE_REPORT_RECEIVED, FailureReportReceived } from '../sources/fuel/failure-reports/failure-report.events';
import { RECORD_ACCEPTED, RecordAccepted } from '../sources/clearlinux/record/record.events';
import { CHANNEL_DELETED, CHANNEL_SAVED, RULE_DELETED, RULE_SAVED, AlertsEvent } from './alerts.events';
import { crashGroupTrigger, failureReportTrigger, TRIGGER_TABLES } from './triggers.projection';

type AlertsInput = FailureReportReceived | RecordAccepted;

/**
 * Pure: the triggers of opted-in failure reports and of new crash groups. The report rows are the
 * `fuel-failure-reports` projector's; a failure-report trigger is dispatched only once its report row is
 * there (DeliveriesSql.pendingTriggers). `afterCommit` wakes the delivery worker at once: the latency
 * target (report accepted → webhook received, p99 < 1 s) does not allow waiting for a poll.
 */
export function projectAlerts(event: AlertsInput): RowWrite[] {
  return event.type === RECORD_ACCEPTED ? crashGroupTrigger(event) : failureReportTrigger(event);
}

export function alertsProjector(onCommitted: () => void): Projector<AlertsInput> {
  return {
    name: 'alerts',
    streams: ['fuel.failure-reports', 'telemetry.records'],
    version: 1,
    eventTypes: [FAILURE_REPORT_RECEIVED, RECORD_ACCEPTED],
    tables: [...TRIGGER_TABLES],
    project: projectAlerts,
    afterCommit: onCommitted,
  };
}

export const AlertRulesSql = {
  deleteRule: `DELETE FROM alert_rules WHERE id = $1`,
  deleteChannel: `DELETE FROM alert_channels WHERE id = $1`,
} as const;

/** Pure: the current rules and channels, last write wins. */
export function projectAlertRules(event: AlertsEvent): RowWrite[] {
  switch (event.type) {
    case RULE_SAVED: {
      const r = event.data.rule;
      const row = { id: r.id, name: r.name, enabled: r.enabled, kind: r.kind, release: r.release, operation: r.operation,
        channel_ids: JSON.stringify(r.channelIds), updated_at: event.receivedAt };
      return [{ kind: 'insert', table: 'alert_rules', rows: [row], conflict: { target: ['id'], action: 'update', set: Object.keys(row).filter((k) => k !== 'id') } }];
    }
    case RULE_DELETED:
      return [{ kind: 'sql', sql: AlertRulesSql.deleteRule, params: [event.data.ruleId] }];
    case CHANNEL_SAVED: {
      const c = event.data.channel;
      const row = { id: c.id, name: c.name, kind: c.kind, enabled: c.enabled, target: c.target, timeout_ms: c.timeoutMs,
        sealed_secret: c.sealedSecret, updated_at: event.receivedAt };
      return [{ kind: 'insert', table: 'alert_channels', rows: [row], conflict: { target: ['id'], action: 'update', set: Object.keys(row).filter((k) => k !== 'id') } }];
    }
    case CHANNEL_DELETED:
      return [{ kind: 'sql', sql: AlertRulesSql.deleteChannel, params: [event.data.channelId] }];
    default: {
      const never: never = event;
      return never;
    }
  }
}

export function alertRulesProjector(onCommitted: () => void): Projector<AlertsEvent> {
  return {
    name: 'alert-rules',
    streams: ['platform.admin'],
    version: 1,
    eventTypes: [RULE_SAVED, RULE_DELETED, CHANNEL_SAVED, CHANNEL_DELETED],
    tables: ['alert_rules', 'alert_channels'],
    project: projectAlertRules,
    afterCommit: onCommitted,
  };
}
