import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { OstfTestRow } from './ostf-report-maths';
import { AttemptRow, NodeRolesRow, TaskRow } from './report-maths';
import { ClusterNodeOsRow, ClusterRow, HardwareRow, InstallationReleaseRow } from './structure-report-maths';

/** §5.0 installation selection (QUIRK kept) over alias `i`; $1 from, $2 to, $3 release or NULL. */
const WINDOWED = `NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND (i.creation_date >= $1::date OR i.modification_date >= $1::date)
       AND (i.creation_date <= $2::date + 1 OR i.modification_date <= $2::date + 1)`;

/**
 * SQL of the §6 reports. $1 from (date), $2 to (date), $3 release or NULL (population: $1 release).
 * Population (§6.0): installations not filtered, optional release. Structure reports select
 * installations by the §5.0 window (QUIRK kept); action-log reports window on the log's end date.
 */
export const ReportsSql = {
  windowedInstallations: ` SELECT count(*)::int AS n FROM fuel_installations i WHERE ${WINDOWED}`,
  windowedReleases: `SELECT i.master_node_uid, i.release FROM fuel_installations i WHERE ${WINDOWED}`,
  clusters: `
    SELECT c.master_node_uid, c.status, c.release_os, c.release_version, c.release_name
      FROM fuel_clusters c JOIN fuel_installations i USING (master_node_uid) WHERE ${WINDOWED}`,
  clusterNodesOs: `
    SELECT n.master_node_uid, c.status AS cluster_status, n.os
      FROM fuel_nodes n JOIN fuel_clusters c USING (master_node_uid, cluster_id) JOIN fuel_installations i USING (master_node_uid)
     WHERE ${WINDOWED} AND c.status IN ('operational', 'error')`,
  hardware: `
    SELECT n.master_node_uid, n.manufacturer, n.product FROM fuel_nodes n JOIN fuel_installations i USING (master_node_uid) WHERE ${WINDOWED}`,
  /** R7: tests of runs whose ended_at date lies in the window (non-dates kept, counted as unparseable). */
  ostfTests: `
    SELECT r.master_node_uid, r.external_id::text AS run_id, r.testset, r.ended_at, t.test_id, t.status
      FROM fuel_ostf_runs r
      JOIN fuel_installations i USING (master_node_uid)
      JOIN fuel_ostf_tests t ON t.master_node_uid = r.master_node_uid AND t.run_id = r.external_id
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND (r.ended_at !~ '^\\d{4}-\\d{2}-\\d{2}' OR substr(r.ended_at, 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
  populationInstallations: `
    SELECT count(*)::int AS n FROM fuel_installations i WHERE NOT i.is_filtered AND ($1::text IS NULL OR i.release = $1)`,
  nodes: `
    SELECT n.master_node_uid, n.roles FROM fuel_nodes n JOIN fuel_installations i USING (master_node_uid)
     WHERE ${WINDOWED} AND ($4::boolean OR n.status = 'ready')`,
  /** Top-level cluster_changes attempts (R5); end date filtered in SQL only when it looks like a date. */
  attempts: `
    SELECT a.master_node_uid, a.body->>'cluster_id' AS cluster_id, a.external_id::float8 AS external_id,
           a.body->>'end_timestamp' AS end_timestamp, a.body->'additional_info'->>'ended_with_status' AS ended_with_status
      FROM fuel_action_logs a JOIN fuel_installations i USING (master_node_uid)
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND a.action_type = 'nailgun_task' AND a.body->>'action_group' = 'cluster_changes'
       AND a.action_name IN ('deploy', 'provision', 'deployment')
       AND a.body->'additional_info'->>'parent_task_id' IS NULL
       AND a.body->'additional_info'->>'ended_with_status' IN ('ready', 'error')
       AND (a.body->>'end_timestamp' !~ '^\\d{4}-\\d{2}-\\d{2}'
            OR substr(a.body->>'end_timestamp', 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
  /** R2: successful tasks; top-level `deploy` or the `provision`/`deployment` sub-tasks. */
  tasks: `
    SELECT a.master_node_uid, i.release, a.action_name, a.body->>'start_timestamp' AS start_timestamp, a.body->>'end_timestamp' AS end_timestamp,
           (a.body->'additional_info'->>'parent_task_id') IS NULL AS top_level
      FROM fuel_action_logs a JOIN fuel_installations i USING (master_node_uid)
     WHERE NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND a.action_type = 'nailgun_task' AND a.action_name IN ('deploy', 'provision', 'deployment')
       AND a.body->'additional_info'->>'ended_with_status' = 'ready'
       AND (a.body->>'end_timestamp' !~ '^\\d{4}-\\d{2}-\\d{2}'
            OR substr(a.body->>'end_timestamp', 1, 10) BETWEEN $1::date::text AND $2::date::text)`,
} as const;

export type ReportWindow = Readonly<{ from: string; to: string; release: string | null }>;

@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  async windowedInstallations(w: ReportWindow): Promise<number> {
    return (await this.db.query<{ n: number }>(ReportsSql.windowedInstallations, [w.from, w.to, w.release]))[0].n;
  }

  windowedReleases(w: ReportWindow): Promise<InstallationReleaseRow[]> {
    return this.db.query<InstallationReleaseRow>(ReportsSql.windowedReleases, [w.from, w.to, w.release]);
  }

  clusters(w: ReportWindow): Promise<ClusterRow[]> {
    return this.db.query<ClusterRow>(ReportsSql.clusters, [w.from, w.to, w.release]);
  }

  clusterNodesOs(w: ReportWindow): Promise<ClusterNodeOsRow[]> {
    return this.db.query<ClusterNodeOsRow>(ReportsSql.clusterNodesOs, [w.from, w.to, w.release]);
  }

  hardware(w: ReportWindow): Promise<HardwareRow[]> {
    return this.db.query<HardwareRow>(ReportsSql.hardware, [w.from, w.to, w.release]);
  }

  ostfTests(w: ReportWindow): Promise<OstfTestRow[]> {
    return this.db.query<OstfTestRow>(ReportsSql.ostfTests, [w.from, w.to, w.release]);
  }

  async populationInstallations(w: ReportWindow): Promise<number> {
    return (await this.db.query<{ n: number }>(ReportsSql.populationInstallations, [w.release]))[0].n;
  }

  nodes(w: ReportWindow, anyStatus: boolean): Promise<NodeRolesRow[]> {
    return this.db.query<NodeRolesRow>(ReportsSql.nodes, [w.from, w.to, w.release, anyStatus]);
  }

  attempts(w: ReportWindow): Promise<AttemptRow[]> {
    return this.db.query<AttemptRow>(ReportsSql.attempts, [w.from, w.to, w.release]);
  }

  tasks(w: ReportWindow): Promise<(TaskRow & { top_level: boolean })[]> {
    return this.db.query<TaskRow & { top_level: boolean }>(ReportsSql.tasks, [w.from, w.to, w.release]);
  }
}
