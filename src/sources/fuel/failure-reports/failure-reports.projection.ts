import type { Projector, RowWrite } from '../../../event-log/projector';
import {
  FAILURE_REPORT_ACKNOWLEDGED,
  FAILURE_REPORT_ASSIGNED,
  FAILURE_REPORT_RECEIVED,
  FailureReportEvent,
  FailureReportReceived,
} from './failure-report.events';

export const FAILURE_REPORT_TABLES = ['failure_reports', 'customer_contacts'] as const;

export const FailureReportsProjectionSql = {
  acknowledge: `UPDATE failure_reports SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, ack_note = $4 WHERE report_uuid = $1`,
  assign: `UPDATE failure_reports SET assignee = $2, assigned_by = $3 WHERE report_uuid = $1`,
} as const;

/** The operation a rule can select on: the task's own operation, else its action name. */
export function operationOf(report: FailureReportReceived['data']): string | null {
  const body = report.actionLog.body as { action_name?: unknown; additional_info?: { operation?: unknown } };
  const op = body.additional_info?.operation ?? body.action_name;
  return typeof op === 'string' ? op : null;
}

export function releaseOf(report: FailureReportReceived['data']): string | null {
  const release = report.context?.fuelRelease.release;
  return typeof release === 'string' ? release : null;
}

/** Pure: report rows. The sealed contact goes to `customer_contacts` only; a resend changes nothing. */
export function projectFailureReport(event: FailureReportEvent): RowWrite[] {
  switch (event.type) {
    case FAILURE_REPORT_RECEIVED: {
      const d = event.data;
      const clusterId = d.context?.cluster.id;
      const writes: RowWrite[] = [
        {
          kind: 'insert',
          table: 'failure_reports',
          rows: [
            {
              report_uuid: d.reportUuid,
              event_id: event.id,
              master_node_uid: d.masterNodeUid,
              received_at: event.receivedAt,
              created_at: d.createdAt,
              release: releaseOf(d),
              operation: operationOf(d),
              task_name: d.context?.error.task_name ?? null,
              cluster_id: typeof clusterId === 'number' ? clusterId : null,
              notified: d.notified,
              action_log: JSON.stringify(d.actionLog),
              context: d.context ? JSON.stringify(d.context) : null,
            },
          ],
          conflict: { target: ['report_uuid'], action: 'nothing' },
        },
      ];
      if (d.sealedContact) {
        writes.push({
          kind: 'insert',
          table: 'customer_contacts',
          rows: [{ report_uuid: d.reportUuid, key_id: d.sealedContact.split('.')[1], sealed: d.sealedContact, stored_at: event.receivedAt }],
          conflict: { target: ['report_uuid'], action: 'nothing' },
        });
      }
      return writes;
    }
    case FAILURE_REPORT_ACKNOWLEDGED:
      return [{ kind: 'sql', sql: FailureReportsProjectionSql.acknowledge, params: [event.data.reportUuid, event.receivedAt, event.data.by, event.data.note] }];
    case FAILURE_REPORT_ASSIGNED:
      return [{ kind: 'sql', sql: FailureReportsProjectionSql.assign, params: [event.data.reportUuid, event.data.assignee, event.data.by ?? null] }];
    default: {
      const never: never = event;
      return never;
    }
  }
}

export const FAILURE_REPORTS_PROJECTOR = 'fuel-failure-reports';

/**
 * The report tables, written by their own projector (replaying it rebuilds them, and nothing else). The
 * alerts projector reads the same events for notifications only; `onCommitted` tells its delivery worker
 * that reports it may have been waiting for are now readable.
 */
export function failureReportsProjector(onCommitted: () => void): Projector<FailureReportEvent> {
  return {
    name: FAILURE_REPORTS_PROJECTOR,
    version: 1,
    streams: ['fuel.failure-reports'],
    eventTypes: [FAILURE_REPORT_RECEIVED, FAILURE_REPORT_ACKNOWLEDGED, FAILURE_REPORT_ASSIGNED],
    tables: [...FAILURE_REPORT_TABLES],
    project: projectFailureReport,
    afterCommit: onCommitted,
  };
}

/** Listeners to "new report rows committed", so readers of the tables (the alert worker) need not poll. */
export class FailureReportsCommitted {
  private readonly listeners: (() => void)[] = [];

  subscribe(listener: () => void): void {
    this.listeners.push(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
