import { Query } from '@nestjs/cqrs';

/** One notification the alerting side queued for a report, with its send attempts (its own rows, shown as they are). */
export type ReportDelivery = Readonly<{ id: string } & Record<string, unknown>> & Readonly<{ attemptsLog: readonly Readonly<Record<string, unknown>>[] }>;

/**
 * The delivery audit trail of one report, for the support detail. Answered by whoever sends notifications
 * (AlertsModule), so this feature reads the trail without depending on the alerting code.
 */
export class DeliveriesOfReport extends Query<ReportDelivery[]> {
  constructor(readonly reportUuid: string) {
    super();
  }
}
