/** R3: Fuel releases of the installations, OpenStack releases of the deployed environments (spec fuelstats.md §6). */
import { ReportEnvelope, seedReport } from './fuel-report';
import { Backed, Tally, applyFloor, flooredCounts, isDeployed, orderedCounts, tally, text } from './report-maths';
import { ClusterRow, WINDOWED, windowedClusters } from './report-sql';
import { ReportView, countsChart, countsTable, installationsHeadline } from './report-view';

export const ReleasesReportSql = {
  windowedReleases: `SELECT i.master_node_uid, i.release FROM fuel_installations i WHERE ${WINDOWED}`,
} as const;

export type InstallationReleaseRow = Readonly<{ master_node_uid: string; release: string | null }>;
export type ReleasesReport = Readonly<{
  fuel_releases: Record<string, number>;
  openstack_releases: Record<string, { environments: number; name: string | null }>;
}>;

/**
 * Installations without `fuel_release` are counted as `unknown` so the map adds up to the population. OpenStack
 * releases merged by the privacy floor have no name.
 */
export function releasesReport(installations: readonly InstallationReleaseRow[], clusters: readonly ClusterRow[], floor = 1): ReleasesReport {
  const fuel: Tally = new Map();
  for (const i of installations) tally(fuel, text(i.release) ?? 'unknown', i.master_node_uid);
  const envs = new Map<string, Backed<{ environments: number; name: string | null }>>();
  for (const c of clusters) {
    if (!isDeployed(c.status)) continue;
    const version = text(c.release_version) ?? 'unknown';
    const g = envs.get(version) ?? { value: { environments: 0, name: null }, installations: new Set<string>() };
    g.value.environments++;
    g.value.name ??= text(c.release_name);
    g.installations.add(c.master_node_uid);
    envs.set(version, g);
  }
  const merged = applyFloor(envs, floor, (a, b) => ({ environments: (a?.environments ?? 0) + b.environments, name: null }));
  const order = orderedCounts(new Map([...merged].map(([v, g]) => [v, g.value.environments])));
  const openstack = Object.fromEntries(Object.keys(order).map((v) => [v, merged.get(v)!.value]));
  return { fuel_releases: flooredCounts(fuel, floor), openstack_releases: openstack };
}
export type ReleasesAnswer = ReportEnvelope & ReleasesReport;

export function releasesView(r: Partial<ReleasesAnswer>): ReportView {
  const openstack = r.openstack_releases ?? {};
  return {
    title: 'R3 Releases deployed',
    headline: [installationsHeadline(r), { label: 'Fuel releases', value: Object.keys(r.fuel_releases ?? {}).length, key: 'fuel_releases' }],
    chart: countsChart('Installations by Fuel release', r.fuel_releases),
    tables: [
      countsTable('Fuel releases', 'Release', 'Installations', r.fuel_releases),
      { caption: 'OpenStack releases (deployed environments)', columns: ['Version', 'Name', 'Environments'], rows: Object.entries(openstack).map(([v, o]) => [v, o.name, o.environments]) },
    ],
  };
}

export const RELEASES_REPORT = seedReport<[InstallationReleaseRow[], ClusterRow[]], ReleasesReport>({
  name: 'releases',
  title: 'R3 Releases deployed',
  api: { summary: 'R3 Fuel releases of installations, OpenStack releases of deployed environments (spec fuelstats.md §6)', response: '{…envelope, fuel_releases:{release:n}, openstack_releases:{version:{environments,name}}}' },
  population: ([installations]) => installations.length,
  read: (db, w) => Promise.all([db.query<InstallationReleaseRow>(ReleasesReportSql.windowedReleases, [w.from, w.to, w.release]), windowedClusters(db, w)]),
  compute: ([installations, clusters], floor) => releasesReport(installations, clusters, floor),
  view: releasesView,
});
