import type { Queryable } from '../../../database/database';
import type { ReportWindow } from './report-window';

/** fuelstats.md §5.0 installation selection (QUIRK kept) over alias `i`; $1 from, $2 to, $3 release or NULL. */
export const WINDOWED = `NOT i.is_filtered AND ($3::text IS NULL OR i.release = $3)
       AND (i.creation_date >= $1::date OR i.modification_date >= $1::date)
       AND (i.creation_date <= $2::date + 1 OR i.modification_date <= $2::date + 1)`;

/**
 * SQL several fuelstats.md §6 reports share; each report's own statements live in its file. $1 from (date), $2 to (date),
 * $3 release or NULL (population: $1 release). Population (fuelstats.md §6.0): installations not filtered, optional
 * release. Structure reports select installations by the fuelstats.md §5.0 window (QUIRK kept); action-log reports
 * window on the log's end date.
 */
export const ReportSql = {
  windowedInstallations: ` SELECT count(*)::int AS n FROM fuel_installations i WHERE ${WINDOWED}`,
  populationInstallations: `
    SELECT count(*)::int AS n FROM fuel_installations i WHERE NOT i.is_filtered AND ($1::text IS NULL OR i.release = $1)`,
  clusters: `
    SELECT c.master_node_uid, c.status, c.release_os, c.release_version, c.release_name
      FROM fuel_clusters c JOIN fuel_installations i USING (master_node_uid) WHERE ${WINDOWED}`,
} as const;

export type ClusterRow = Readonly<{ master_node_uid: string; status: string | null; release_os: string | null; release_version: string | null; release_name: string | null }>;

/** The fuelstats.md §6.0 population of the structure reports: installations selected by the window. */
export async function windowedInstallations(db: Queryable, w: ReportWindow): Promise<number> {
  return (await db.query<{ n: number }>(ReportSql.windowedInstallations, [w.from, w.to, w.release]))[0].n;
}

/** The fuelstats.md §6.0 population of the action-log reports: every installation not filtered (of the release). */
export async function populationInstallations(db: Queryable, w: ReportWindow): Promise<number> {
  return (await db.query<{ n: number }>(ReportSql.populationInstallations, [w.release]))[0].n;
}

export function windowedClusters(db: Queryable, w: ReportWindow): Promise<ClusterRow[]> {
  return db.query<ClusterRow>(ReportSql.clusters, [w.from, w.to, w.release]);
}
