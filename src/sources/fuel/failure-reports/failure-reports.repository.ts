import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';

export type ReportFilter = Readonly<{ release?: string; status?: 'open' | 'acknowledged'; notified?: boolean }>;

export type ReportRow = Readonly<{
  report_uuid: string;
  master_node_uid: string;
  received_at: string;
  created_at: string;
  release: string | null;
  operation: string | null;
  task_name: string | null;
  cluster_id: string | null;
  notified: boolean;
  status: 'open' | 'acknowledged';
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  ack_note: string | null;
  assignee: string | null;
  assigned_by: string | null;
}>;

export type ReportDetailRow = ReportRow &
  Readonly<{ action_log: Record<string, unknown>; context: Record<string, unknown> | null; sealed_contact: string | null }>;

const LIST_COLUMNS = `report_uuid, master_node_uid, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_at,
  created_at, release, operation, task_name, cluster_id::text AS cluster_id, notified, status,
  to_char(acknowledged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS acknowledged_at, acknowledged_by, ack_note, assignee, assigned_by`;

/** One report with its sealed contact; `param` is the placeholder of the report uuid. */
export function reportDetailSelect(param: string): string {
  return `SELECT ${LIST_COLUMNS}, r.action_log, r.context, c.sealed AS sealed_contact
    FROM failure_reports r LEFT JOIN customer_contacts c USING (report_uuid) WHERE r.report_uuid = ${param}`;
}

export const FailureReportsSql = {
  /** Known report (and whether it notified), and whether its action log is already stored: one round trip. */
  intakeState: `
    SELECT (SELECT notified FROM failure_reports WHERE report_uuid = $1) AS notified,
           EXISTS (SELECT 1 FROM fuel_action_logs WHERE master_node_uid = $2 AND external_id = $3) AS action_log_stored`,
  /** Newest first; every filter optional (NULL = any). */
  list: `
    SELECT ${LIST_COLUMNS} FROM failure_reports
    WHERE ($1::text IS NULL OR release = $1) AND ($2::text IS NULL OR status = $2) AND ($3::boolean IS NULL OR notified = $3)
    ORDER BY received_at DESC, report_uuid LIMIT $4 OFFSET $5`,
  releases: `SELECT DISTINCT release FROM failure_reports WHERE release IS NOT NULL ORDER BY release`,
  /** The one place a sealed contact is read (support detail page, notifications). */
  detail: reportDetailSelect('$1'),
} as const;

@Injectable()
export class FailureReportsRepository {
  constructor(private readonly db: Database) {}

  async intakeState(reportUuid: string, masterNodeUid: string, externalId: number): Promise<{ notified: boolean | null; actionLogStored: boolean }> {
    const [row] = await this.db.query<{ notified: boolean | null; action_log_stored: boolean }>(FailureReportsSql.intakeState, [
      reportUuid.toLowerCase(),
      masterNodeUid,
      externalId,
    ]);
    return { notified: row.notified, actionLogStored: row.action_log_stored };
  }

  list(filter: ReportFilter, limit: number, offset: number): Promise<ReportRow[]> {
    return this.db.query<ReportRow>(FailureReportsSql.list, [filter.release ?? null, filter.status ?? null, filter.notified ?? null, limit, offset]);
  }

  async releases(): Promise<string[]> {
    return (await this.db.query<{ release: string }>(FailureReportsSql.releases)).map((r) => r.release);
  }

  async detail(reportUuid: string): Promise<ReportDetailRow | undefined> {
    return (await this.db.query<ReportDetailRow>(FailureReportsSql.detail, [reportUuid.toLowerCase()]))[0];
  }
}
