import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { ExportInstallation } from './export-rows';
import { OSWL_CSV_TYPES, OswlCsvType } from './export-columns';
import { OswlExportRecord, VersionFallback, VersionInfo } from './oswl-export';
import { ReportWindow } from '../reports/report-window';

/**
 * A naive UTC time as Python renders it: str(datetime) (`sep` ' ', the CSV exports) or isoformat() (`sep` 'T',
 * the JSON exports); microseconds only when non-zero.
 */
export const pyDatetime = (col: string, sep: ' ' | 'T' = ' ') =>
  `regexp_replace(to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD${sep === 'T' ? '"T"' : ' '}HH24:MI:SS.US'), '\\.000000$', '')`;

export const CsvExportsSql = {
  /** fuelstats.md §5.0 selection (QUIRK kept), one keyset page after row id $3. */
  installationsPage: `
    SELECT i.id::text AS id, i.master_node_uid, i.structure,
           ${pyDatetime('i.creation_date')} AS creation_date, ${pyDatetime('i.modification_date')} AS modification_date
      FROM fuel_installations i
     WHERE i.is_filtered IS NOT TRUE
       AND (i.creation_date >= $1::date OR i.modification_date >= $1::date)
       AND (i.creation_date <= $2::date + 1 OR i.modification_date <= $2::date + 1)
       AND i.id > $3::bigint
     ORDER BY i.id LIMIT $4`,
  /** fuelstats.md §5.2 verify_networks_status: the latest (highest external_id) verify_networks task ending in the window. */
  verifyNetworks: `
    SELECT DISTINCT ON (a.master_node_uid, a.body->>'cluster_id')
           a.master_node_uid, a.body->>'cluster_id' AS cluster_id, a.body->'additional_info'->>'ended_with_status' AS status
      FROM fuel_action_logs a
     WHERE a.master_node_uid = ANY($1::text[]) AND a.action_type = 'nailgun_task' AND a.action_name = 'verify_networks'
       AND a.body->>'end_timestamp' ~ '^\\d{4}-\\d{2}-\\d{2}'
       AND substr(a.body->>'end_timestamp', 1, 10) BETWEEN $2::date::text AND $3::date::text
     ORDER BY a.master_node_uid, a.body->>'cluster_id', a.external_id DESC`,
  /**
   * fuelstats.md §5.4 records of one type created in the window, of installations not filtered, one keyset page after
   * (created_date, id) = ($4, $5); with the UTC day of the installation's last sync.
   */
  oswlPage: `
    SELECT o.id::text AS id, o.master_node_uid, o.cluster_id::text AS cluster_id, to_char(o.created_date, 'YYYY-MM-DD') AS created_date,
           o.resource_type, o.resource_checksum, o.resource_data, o.version_info,
           to_char(greatest(i.creation_date, i.modification_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last_sync_date
      FROM fuel_oswl o JOIN fuel_installations i USING (master_node_uid)
     WHERE o.resource_type = $1 AND i.is_filtered IS NOT TRUE
       AND o.created_date BETWEEN $2::date AND $3::date
       AND (o.created_date, o.id) > ($4::date, $5::bigint)
     ORDER BY o.created_date, o.id LIMIT $6`,
  /**
   * fuelstats.md §5.4 version_info fallbacks of some installations: `fuel_release` release/openstack_version, and per
   * cluster that has a fuel_version its version and release (read from fuel_clusters, not the structure).
   */
  versionFallbacks: `
    SELECT i.master_node_uid, i.structure->'fuel_release'->'release' AS release,
           i.structure->'fuel_release'->'openstack_version' AS openstack_version,
           (SELECT coalesce(jsonb_agg(jsonb_build_array(c.cluster_id::text, c.fuel_version, c.release_version, c.release_os, c.release_name)), '[]')
              FROM fuel_clusters c WHERE c.master_node_uid = i.master_node_uid AND c.fuel_version <> '') AS clusters
      FROM fuel_installations i WHERE i.master_node_uid = ANY($1::text[])`,
  /** fuelstats.md §5.5: which of the given types have stored records (any installation, any date, as upstream). */
  storedTypes: `SELECT t FROM unnest($1::text[]) t WHERE EXISTS (SELECT 1 FROM fuel_oswl o WHERE o.resource_type = t) ORDER BY t`,
} as const;

/** Installations per page: a 9.x structure with hundreds of nodes is several MB, so pages stay small. */
export const EXPORT_PAGE_SIZE = 20;
/** OSWL records per page: one record lists every resource of its kind in an environment. */
export const OSWL_PAGE_SIZE = 200;

type VersionFallbackRow = { master_node_uid: string; release: unknown; openstack_version: unknown; clusters: [string, ...(string | null)[]][] };

@Injectable()
export class CsvExportsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Keyset-paginated walk over the selected installations. Each page is its own query, so no connection
   * is held while the consumer writes (embedded mode has exactly one), and memory is one page.
   */
  async *installations(w: ReportWindow, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportInstallation[]> {
    let after = '0';
    for (;;) {
      const page = await this.db.query<ExportInstallation>(CsvExportsSql.installationsPage, [w.from, w.to, after, pageSize]);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].id;
    }
  }

  /** uid → (cluster id → status) for one page of installations. */
  async verifyNetworks(uids: readonly string[], w: ReportWindow): Promise<Map<string, Map<string, string>>> {
    const rows = await this.db.query<{ master_node_uid: string; cluster_id: string | null; status: string | null }>(CsvExportsSql.verifyNetworks, [uids, w.from, w.to]);
    const out = new Map<string, Map<string, string>>();
    for (const r of rows) {
      if (r.cluster_id === null || r.status === null) continue;
      const byCluster = out.get(r.master_node_uid) ?? new Map<string, string>();
      byCluster.set(r.cluster_id, r.status);
      out.set(r.master_node_uid, byCluster);
    }
    return out;
  }

  /** Keyset-paginated walk over fuelstats.md §5.4 records in (created_date, id) order; one query per page, as above. */
  async *oswlRecords(type: OswlCsvType, w: ReportWindow, pageSize = OSWL_PAGE_SIZE): AsyncGenerator<OswlExportRecord[]> {
    let after = { date: w.from, id: '0' };
    for (;;) {
      const page = await this.db.query<OswlExportRecord>(CsvExportsSql.oswlPage, [type, w.from, w.to, after.date, after.id, pageSize]);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1];
      after = { date: last.created_date, id: last.id };
    }
  }

  async versionFallbacks(uids: readonly string[]): Promise<Map<string, VersionFallback>> {
    const rows = await this.db.query<VersionFallbackRow>(CsvExportsSql.versionFallbacks, [uids]);
    return new Map(
      rows.map((r) => [
        r.master_node_uid,
        {
          fuelRelease: { fuel_version: r.release, release_version: r.openstack_version },
          clusters: new Map<string, VersionInfo>(
            r.clusters.map(([id, fuel_version, release_version, release_os, release_name]) => [id, { fuel_version, release_version, release_os, release_name }]),
          ),
        },
      ]),
    );
  }

  /** The fuelstats.md §5.4 types with a column set that have stored records, sorted. */
  async storedOswlTypes(): Promise<OswlCsvType[]> {
    return (await this.db.query<{ t: OswlCsvType }>(CsvExportsSql.storedTypes, [OSWL_CSV_TYPES])).map((r) => r.t);
  }
}
