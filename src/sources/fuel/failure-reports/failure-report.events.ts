import { TelemetryEvent, eventIdFromKey, newEventId } from '../../../event-log/event';
import type { ActionLogRecord } from '../fuel.events';

/**
 * Failure-report facts on the `fuel.failure-reports` stream, keyed by master node uid. The contact is
 * only ever carried sealed (ContactCipher), so the log never holds it in clear.
 */
export const FAILURE_REPORT_RECEIVED = 'fuel.failure-report.received';
export const FAILURE_REPORT_ACKNOWLEDGED = 'fuel.failure-report.acknowledged';
export const FAILURE_REPORT_ASSIGNED = 'fuel.failure-report.assigned';

/** Installation context of an opted-in report (spec fuelstats.md §7.3), secrets already removed. */
export type FailureContext = Readonly<{
  fuelRelease: Record<string, unknown>;
  fuelPackages: readonly string[];
  cluster: Record<string, unknown>;
  error: Readonly<{ task_name: string; message: string; failed_nodes: readonly Record<string, unknown>[] }>;
  subtaskLogs: readonly ActionLogRecord[];
}>;

export type FailureReportReceived = TelemetryEvent<
  typeof FAILURE_REPORT_RECEIVED,
  {
    reportUuid: string;
    masterNodeUid: string;
    createdAt: string;
    actionLog: ActionLogRecord;
    /** A support notification is due: the report came with a contact (fuelstats.md §7.3). */
    notified: boolean;
    /** null when no contact was given: then only the failed action log is kept (seed). */
    context: FailureContext | null;
    sealedContact: string | null;
  },
  1
>;
export type FailureReportAcknowledged = TelemetryEvent<typeof FAILURE_REPORT_ACKNOWLEDGED, { reportUuid: string; by: string; note: string | null }, 1>;
/** `by`: the account that assigned (absent in events from before accounts existed). */
export type FailureReportAssigned = TelemetryEvent<typeof FAILURE_REPORT_ASSIGNED, { reportUuid: string; assignee: string | null; by?: string }, 1>;
export type FailureReportEvent = FailureReportReceived | FailureReportAcknowledged | FailureReportAssigned;

/** report_uuid is the idempotency key (fuelstats.md §3.1): a resend maps to the same event id, which the log refuses. */
export function failureReportEventId(reportUuid: string): string {
  return eventIdFromKey(FAILURE_REPORT_RECEIVED, reportUuid.toLowerCase());
}

export function failureReportReceived(data: FailureReportReceived['data'], receivedAt: string): FailureReportReceived {
  return {
    id: failureReportEventId(data.reportUuid),
    type: FAILURE_REPORT_RECEIVED,
    version: 1,
    stream: 'fuel.failure-reports',
    source: 'fuel',
    key: data.masterNodeUid,
    receivedAt,
    data,
  };
}

/** Support actions share the report's partition key (master node uid), so they never overtake the report. */
export function failureReportAcknowledged(data: FailureReportAcknowledged['data'], masterNodeUid: string, at: string): FailureReportAcknowledged {
  return { id: newEventId(), type: FAILURE_REPORT_ACKNOWLEDGED, version: 1, stream: 'fuel.failure-reports', source: 'support', key: masterNodeUid, receivedAt: at, data };
}

export function failureReportAssigned(data: FailureReportAssigned['data'], masterNodeUid: string, at: string): FailureReportAssigned {
  return { id: newEventId(), type: FAILURE_REPORT_ASSIGNED, version: 1, stream: 'fuel.failure-reports', source: 'support', key: masterNodeUid, receivedAt: at, data };
}
