import { Command } from '@nestjs/cqrs';

export type FailureReportOutcome = Readonly<
  | { report_uuid: string; notified: boolean; action_log_status: 'added' | 'existed'; existed?: undefined }
  | { report_uuid: string; notified: boolean; existed: true }
>;

/** A schema-valid `{"failure_report": {...}}` body (spec fuelstats.md §7.3). */
export class SubmitFailureReport extends Command<FailureReportOutcome> {
  constructor(
    readonly body: Readonly<{ failure_report: Record<string, unknown> }>,
    readonly receivedAt: string,
  ) {
    super();
  }
}
