import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventLog } from '../../../event-log/event-log';
import { Metrics } from '../../../metrics/metrics';
import { ActionLogRecord, actionLogRecorded } from '../fuel.events';
import { sanitiseInstallationStructure } from '../intake/sanitiser';
import { sanitiseActionLog } from '../intake/submit-action-logs.handler';
import { ContactCipher, CustomerContact } from './contact-cipher';
import { FailureContext, failureReportReceived, FailureReportReceived } from './failure-report.events';
import { FailureReportsRepository } from './failure-reports.repository';
import { FailureReportOutcome, SubmitFailureReport } from './submit-failure-report.command';

type ReportBody = Readonly<{
  report_uuid: string;
  master_node_uid: string;
  created_at: string;
  action_log: ActionLogRecord;
  subtask_logs?: ActionLogRecord[];
  fuel_release: Record<string, unknown>;
  fuel_packages?: string[];
  cluster: Record<string, unknown>;
  error: FailureContext['error'];
  contact?: CustomerContact | null;
}>;

/**
 * Pure apart from the cipher's random IV: the event for a schema-valid report. Secrets are removed as
 * for every Fuel structure (fuelstats.md §3.6); without a contact only the failed action log is kept (seed).
 */
export function buildFailureReportEvent(report: ReportBody, cipher: ContactCipher, receivedAt: string): FailureReportReceived {
  const reportUuid = report.report_uuid.toLowerCase();
  const actionLog = sanitiseActionLog(report.action_log).record;
  const contact = report.contact ?? null;
  const context: FailureContext | null = contact
    ? {
        fuelRelease: report.fuel_release,
        fuelPackages: report.fuel_packages ?? [],
        cluster: (sanitiseInstallationStructure({ clusters: [report.cluster] }).value.clusters as Record<string, unknown>[])[0],
        error: report.error,
        subtaskLogs: (report.subtask_logs ?? []).map((l) => sanitiseActionLog(l).record),
      }
    : null;
  return failureReportReceived(
    {
      reportUuid,
      masterNodeUid: report.master_node_uid,
      createdAt: report.created_at,
      actionLog,
      notified: contact !== null,
      context,
      sealedContact: contact ? cipher.encrypt(contact, reportUuid) : null,
    },
    receivedAt,
  );
}

/**
 * Spec fuelstats.md §7.3: the failed action log (as fuelstats.md §3.2, `added`/`existed`: already stored, or refused by the log as a duplicate) and the report are appended together and
 * answered only once durable; the notification itself is derived from the report event by the alerts
 * projector, so "queued" and "durable" are the same moment. A known report_uuid answers 200 and changes
 * nothing (the derived event id makes the log refuse it even before the projection has it).
 */
@CommandHandler(SubmitFailureReport)
export class SubmitFailureReportHandler implements ICommandHandler<SubmitFailureReport> {
  private readonly received;

  constructor(
    private readonly log: EventLog,
    private readonly reports: FailureReportsRepository,
    private readonly cipher: ContactCipher,
    metrics: Metrics,
  ) {
    this.received = metrics.counter('telemetry_failure_reports_received_total', 'Failure reports by outcome', ['outcome']);
  }

  async execute({ body, receivedAt }: SubmitFailureReport): Promise<FailureReportOutcome> {
    const report = body.failure_report as unknown as ReportBody;
    const state = await this.reports.intakeState(report.report_uuid, report.action_log.master_node_uid, report.action_log.external_id);
    if (state.notified !== null) return this.existed(report.report_uuid, state.notified);

    const event = buildFailureReportEvent(report, this.cipher, receivedAt);
    const alreadyStored = state.actionLogStored;
    const events = alreadyStored ? [event] : [actionLogRecorded(event.data.actionLog, receivedAt), event];
    const outcomes = await this.log.append(events);
    const reportOutcome = outcomes[outcomes.length - 1];
    // A concurrent or not-yet-projected resend: it carries the same body, hence the same contact presence.
    if (!reportOutcome.appended) return this.existed(event.data.reportUuid, event.data.notified);
    this.received.inc({ outcome: event.data.notified ? 'notified' : 'stored' });
    return {
      report_uuid: event.data.reportUuid,
      notified: event.data.notified,
      action_log_status: alreadyStored || !outcomes[0].appended ? 'existed' : 'added',
    };
  }

  private existed(reportUuid: string, notified: boolean): FailureReportOutcome {
    this.received.inc({ outcome: 'existed' });
    return { report_uuid: reportUuid.toLowerCase(), existed: true, notified };
  }
}
