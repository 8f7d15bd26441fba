import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DeliveriesOfReport, ReportDelivery } from '../sources/fuel/failure-reports/report-deliveries.query';
import { DeliveriesRepository } from './deliveries.repository';

/** The deliveries of one failure report with their attempts, for the support detail page and API. */
@QueryHandler(DeliveriesOfReport)
export class DeliveriesOfReportHandler implements IQueryHandler<DeliveriesOfReport> {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  async execute({ reportUuid }: DeliveriesOfReport): Promise<ReportDelivery[]> {
    const deliveries = await this.deliveries.forSubject(reportUuid);
    const attempts = await this.deliveries.attemptsFor(deliveries.map((d) => d.id));
    return deliveries.map((d) => ({ ...d, attemptsLog: attempts.filter((a) => a.delivery_id === d.id) }));
  }
}
