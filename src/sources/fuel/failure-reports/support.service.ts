import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { actingName, Principal } from '../../../auth/principal';
import { InvalidInput, NotFound } from '../../../common/errors';
import { EventLog } from '../../../event-log/event-log';
import { ProjectorRuntime } from '../../../event-log/projector-runtime';
import { ContactCipher, ContactDecryptionError, CustomerContact } from './contact-cipher';
import { ContactReadsRepository } from './contact-reads.repository';
import { failureReportAcknowledged, failureReportAssigned } from './failure-report.events';
import { FAILURE_REPORTS_PROJECTOR } from './failure-reports.projection';
import { FailureReportsRepository, ReportDetailRow, ReportFilter, ReportRow } from './failure-reports.repository';
import { DeliveriesOfReport, ReportDelivery } from './report-deliveries.query';

export type ReportDetail = Readonly<{
  report: Omit<ReportDetailRow, 'sealed_contact'>;
  /** Decrypted for the support role only; `contactError` says why it could not be read. */
  contact: CustomerContact | null;
  contactError: string | null;
  deliveries: ReportDelivery[];
}>;

export const PAGE_SIZE = 50;

/** Support reads and actions on failure reports. Acknowledge/assign are events, like every change. */
@Injectable()
export class SupportService {
  private readonly logger = new Logger('support');

  constructor(
    private readonly reports: FailureReportsRepository,
    private readonly queries: QueryBus,
    private readonly cipher: ContactCipher,
    private readonly log: EventLog,
    private readonly runtime: ProjectorRuntime,
    private readonly contactReads: ContactReadsRepository,
  ) {}

  list(filter: ReportFilter, page: number): Promise<ReportRow[]> {
    return this.reports.list(filter, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
  }

  releases(): Promise<string[]> {
    return this.reports.releases();
  }

  /**
   * One report with its decrypted contact. Every contact shown is written to the audit trail first (who,
   * when, which report): a read that cannot be recorded is not answered.
   */
  async detail(reportUuid: string, reader: Principal): Promise<ReportDetail> {
    const row = await this.existing(reportUuid);
    const { sealed_contact, ...report } = row;
    let contact: CustomerContact | null = null;
    let contactError: string | null = null;
    if (sealed_contact) {
      try {
        contact = this.cipher.decrypt(sealed_contact, row.report_uuid);
      } catch (err) {
        if (!(err instanceof ContactDecryptionError)) throw err;
        contactError = err.message;
      }
    }
    if (contact) await this.contactReads.record({ reportUuid: row.report_uuid, readBy: actingName(reader), subjectKind: reader.kind, subjectId: reader.id });
    const deliveries = await this.queries.execute(new DeliveriesOfReport(row.report_uuid));
    return { report, contact, contactError, deliveries };
  }

  /** The report without its contact (nothing decrypted, nothing to audit): the answer to acknowledge/assign. */
  async report(reportUuid: string): Promise<ReportDetail['report']> {
    const { sealed_contact: _sealed, ...report } = await this.existing(reportUuid);
    return report;
  }

  /** Recorded as acknowledged by the acting account, never by a name the caller types. */
  async acknowledge(reportUuid: string, actor: Principal, note: string | null): Promise<void> {
    const row = await this.existing(reportUuid);
    await this.log.appendOne(failureReportAcknowledged({ reportUuid: row.report_uuid, by: actingName(actor).slice(0, 200), note: note?.slice(0, 2000) || null }, row.master_node_uid, new Date().toISOString()));
    await this.settle();
  }

  async assign(reportUuid: string, assignee: string | null, actor: Principal): Promise<void> {
    const row = await this.existing(reportUuid);
    if (assignee !== null && assignee.length > 200) throw new InvalidInput('/assignee: at most 200 characters', 'schema');
    await this.log.appendOne(failureReportAssigned({ reportUuid: row.report_uuid, assignee: assignee?.trim() || null, by: actingName(actor).slice(0, 200) }, row.master_node_uid, new Date().toISOString()));
    await this.settle();
  }

  contactReadsOf(reportUuid: string | null, limit: number) {
    return this.contactReads.list(reportUuid?.toLowerCase() ?? null, limit);
  }

  private async existing(reportUuid: string): Promise<ReportDetailRow> {
    const row = await this.reports.detail(reportUuid);
    if (!row) throw new NotFound(`failure report ${reportUuid} not found`, 'not_found');
    return row;
  }

  private async settle(): Promise<void> {
    await this.runtime.catchUp([FAILURE_REPORTS_PROJECTOR], 10_000).catch((err) => this.logger.warn(`change not yet visible: ${(err as Error).message}`));
  }
}
