import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { ExportInstallation } from './export-rows';
import { InstallationsReportRow } from './installations-report';
import { ReportWindow } from './reports.repository';

/** Python's str(datetime) of a naive UTC time: microseconds only when non-zero. */
const PY_DATETIME = (col: string) =>
  `regexp_replace(to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '\\.000000$', '')`;

export const ExportsSql = {
  /** §5.0 selection (QUIRK kept), one keyset page after row id $3. */
  installationsPage: `
    SELECT i.id::text AS id, i.master_node_uid, i.structure,
           ${PY_DATETIME('i.creation_date')} AS creation_date, ${PY_DATETIME('i.modification_date')} AS modification_date
      FROM fuel_installations i
     WHERE i.is_filtered IS NOT TRUE
       AND (i.creation_date >= $1::date OR i.modification_date >= $1::date)
       AND (i.creation_date <= $2::date + 1 OR i.modification_date <= $2::date + 1)
       AND i.id > $3::bigint
     ORDER BY i.id LIMIT $4`,
  /** §5.2 verify_networks_status: the latest (highest external_id) verify_networks task ending in the window. */
  verifyNetworks: `
    SELECT DISTINCT ON (a.master_node_uid, a.body->>'cluster_id')
           a.master_node_uid, a.body->>'cluster_id' AS cluster_id, a.body->'additional_info'->>'ended_with_status' AS status
      FROM fuel_action_logs a
     WHERE a.master_node_uid = ANY($1::text[]) AND a.action_type = 'nailgun_task' AND a.action_name = 'verify_networks'
       AND a.body->>'end_timestamp' ~ '^\\d{4}-\\d{2}-\\d{2}'
       AND substr(a.body->>'end_timestamp', 1, 10) BETWEEN $2::date::text AND $3::date::text
     ORDER BY a.master_node_uid, a.body->>'cluster_id', a.external_id DESC`,
  /** §5.7 input: every installation not filtered, optionally of one release. */
  installationsReport: `
    SELECT i.structure->'clusters_num' AS clusters_num, i.structure->'clusters' AS clusters
      FROM fuel_installations i WHERE i.is_filtered IS NOT TRUE AND ($1::text IS NULL OR i.release = $1)`,
} as const;

/** Installations per page: a 9.x structure with hundreds of nodes is several MB, so pages stay small. */
export const EXPORT_PAGE_SIZE = 20;

@Injectable()
export class ExportsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Keyset-paginated walk over the selected installations. Each page is its own query, so no connection
   * is held while the consumer writes (embedded mode has exactly one), and memory is one page.
   */
  async *installations(w: ReportWindow, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportInstallation[]> {
    let after = '0';
    for (;;) {
      const page = await this.db.query<ExportInstallation>(ExportsSql.installationsPage, [w.from, w.to, after, pageSize]);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].id;
    }
  }

  /** uid → (cluster id → status) for one page of installations. */
  async verifyNetworks(uids: readonly string[], w: ReportWindow): Promise<Map<string, Map<string, string>>> {
    const rows = await this.db.query<{ master_node_uid: string; cluster_id: string | null; status: string | null }>(ExportsSql.verifyNetworks, [uids, w.from, w.to]);
    const out = new Map<string, Map<string, string>>();
    for (const r of rows) {
      if (r.cluster_id === null || r.status === null) continue;
      const byCluster = out.get(r.master_node_uid) ?? new Map<string, string>();
      byCluster.set(r.cluster_id, r.status);
      out.set(r.master_node_uid, byCluster);
    }
    return out;
  }

  installationsReport(release: string | null): Promise<InstallationsReportRow[]> {
    return this.db.query<InstallationsReportRow>(ExportsSql.installationsReport, [release]);
  }
}
