/** R1: OS distribution of the deployed (operational/error) environments and of their nodes (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { Tally, flooredCounts, isDeployed, tally, text } from './report-maths';
import { ClusterRow, WINDOWED, windowedClusters } from './report-sql';
import { ReportView, countsChart, countsTable, installationsHeadline } from './report-view';

export const OsReportSql = {
  clusterNodesOs: `
    SELECT n.master_node_uid, c.status AS cluster_status, n.os
      FROM fuel_nodes n JOIN fuel_clusters c USING (master_node_uid, cluster_id) JOIN fuel_installations i USING (master_node_uid)
     WHERE ${WINDOWED} AND c.status IN ('operational', 'error')`,
} as const;

export type ClusterNodeOsRow = Readonly<{ master_node_uid: string; cluster_status: string | null; os: string | null }>;
export type OsReport = Readonly<{ environments: Record<string, number>; nodes: Record<string, number>; total_environments: number }>;

/** Missing OS values are skipped (as fuelstats.md §5.7 `oses_num`), but the environment still counts in the total. */
export function osReport(clusters: readonly ClusterRow[], nodes: readonly ClusterNodeOsRow[], floor = 1): OsReport {
  const envs: Tally = new Map();
  const nodeOs: Tally = new Map();
  let total = 0;
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    total++;
    const os = text(c.release_os);
    if (os !== null) tally(envs, os.toLowerCase(), c.master_node_uid);
  }
  for (const n of nodes) {
    const os = text(n.os);
    if (isDeployed(n.cluster_status) && os !== null) tally(nodeOs, os.toLowerCase(), n.master_node_uid);
  }
  return { environments: flooredCounts(envs, floor), nodes: flooredCounts(nodeOs, floor), total_environments: total };
}
export type OsAnswer = ReportEnvelope & OsReport;

export function osView(r: Partial<OsAnswer>): ReportView {
  return {
    title: 'R1 OS distribution',
    headline: [installationsHeadline(r), { label: 'Deployed environments', value: r.total_environments ?? null, key: 'total_environments' }],
    chart: countsChart('Environments by OS', r.environments, 'pie'),
    tables: [countsTable('Environments', 'OS', 'Environments', r.environments), countsTable('Nodes', 'OS', 'Nodes', r.nodes)],
  };
}

export const OS_REPORT = seedReport({
  name: 'os',
  title: 'R1 OS distribution',
  api: { summary: 'R1 OS distribution of operational/error environments and their nodes (spec fuelstats.md §6)', response: '{from_date,to_date,release,population, environments:{os:n}, nodes:{os:n}, total_environments}' },
  population: 'windowed',
  read: (db, w) => Promise.all([windowedClusters(db, w), db.query<ClusterNodeOsRow>(OsReportSql.clusterNodesOs, [w.from, w.to, w.release])]),
  compute: ([clusters, nodes], floor) => osReport(clusters, nodes, floor),
  view: osView,
});
