/**
 * Pure: a §6 report answer → what the console shows (headline numbers, one chart, tables). The chart is
 * plain data (labels + one series) rendered client-side by ECharts.
 */
import type { ReportName } from './reports.service';

export type Cell = string | number | null;
export type ReportTable = Readonly<{ caption: string; columns: string[]; rows: Cell[][] }>;
export type ReportView = Readonly<{
  title: string;
  headline: { label: string; value: Cell; key: string }[];
  chart: { kind: 'bar' | 'pie'; title: string; labels: string[]; values: number[] };
  tables: ReportTable[];
}>;

type Counts = Record<string, number>;
type Stats = { count: number; mean_s: number; median_s: number; p90_s: number; min_s: number; max_s: number };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Report = Record<string, any>;

export const REPORT_TITLES: Record<ReportName, string> = {
  os: 'R1 OS distribution',
  deployment_time: 'R2 Average deployment time',
  releases: 'R3 Releases deployed',
  hardware: 'R4 Hardware server types',
  deployment_failures: 'R5 Failures before success',
  node_roles: 'R6 Node roles',
  ostf: 'R7 Health-check failure rates',
};

const entries = (m: Counts | undefined) => Object.entries(m ?? {});
const countsChart = (title: string, m: Counts | undefined, kind: 'bar' | 'pie' = 'bar') => ({
  kind, title, labels: entries(m).map(([k]) => k), values: entries(m).map(([, v]) => v),
});
const countsTable = (caption: string, keyName: string, valueName: string, m: Counts | undefined): ReportTable => ({
  caption, columns: [keyName, valueName], rows: entries(m).map(([k, v]) => [k, v]),
});
const statsRows = (label: string, groups: Record<string, Stats> | undefined): Cell[][] =>
  Object.entries(groups ?? {}).map(([g, s]) => [label, g, s.count, s.mean_s, s.median_s, s.p90_s, s.min_s, s.max_s]);

export function reportView(name: ReportName, r: Report): ReportView {
  const title = REPORT_TITLES[name];
  const installations = { label: 'Installations', value: r.population?.installations ?? 0, key: 'installations' };
  switch (name) {
    case 'os':
      return {
        title,
        headline: [installations, { label: 'Deployed environments', value: r.total_environments, key: 'total_environments' }],
        chart: countsChart('Environments by OS', r.environments, 'pie'),
        tables: [countsTable('Environments', 'OS', 'Environments', r.environments), countsTable('Nodes', 'OS', 'Nodes', r.nodes)],
      };
    case 'deployment_time': {
      const deploy = (r.deploy ?? {}) as Record<string, Stats>;
      return {
        title,
        headline: [installations, { label: 'Successful deployments', value: deploy.all?.count ?? 0, key: 'deployments' }, { label: 'Mean (s)', value: deploy.all?.mean_s ?? null, key: 'mean_s' }],
        chart: { kind: 'bar', title: 'Mean deployment time (s) by Fuel release', labels: Object.keys(deploy), values: Object.values(deploy).map((s) => s.mean_s) },
        tables: [{
          caption: 'Durations (seconds)',
          columns: ['Task', 'Group', 'Count', 'Mean', 'Median', 'P90', 'Min', 'Max'],
          rows: [...statsRows('deploy', deploy), ...statsRows('provision', r.phases?.provision), ...statsRows('deployment', r.phases?.deployment)],
        }],
      };
    }
    case 'releases': {
      const openstack = (r.openstack_releases ?? {}) as Record<string, { environments: number; name: string | null }>;
      return {
        title,
        headline: [installations, { label: 'Fuel releases', value: Object.keys(r.fuel_releases ?? {}).length, key: 'fuel_releases' }],
        chart: countsChart('Installations by Fuel release', r.fuel_releases),
        tables: [
          countsTable('Fuel releases', 'Release', 'Installations', r.fuel_releases),
          { caption: 'OpenStack releases (deployed environments)', columns: ['Version', 'Name', 'Environments'], rows: Object.entries(openstack).map(([v, o]) => [v, o.name, o.environments]) },
        ],
      };
    }
    case 'hardware':
      return {
        title,
        headline: [installations, { label: 'Virtual nodes', value: r.virtual, key: 'virtual' }, { label: 'Bare-metal nodes', value: r.bare_metal, key: 'bare_metal' }],
        chart: countsChart('Nodes by manufacturer', r.by_manufacturer),
        tables: [countsTable('Models', 'Manufacturer / product', 'Nodes', r.by_model), countsTable('Manufacturers', 'Manufacturer', 'Nodes', r.by_manufacturer)],
      };
    case 'deployment_failures':
      return {
        title,
        headline: [
          installations,
          { label: 'Environments with a success', value: r.environments_with_success, key: 'environments_with_success' },
          { label: 'Average failures before success', value: r.average_failures_before_success, key: 'average_failures_before_success' },
          { label: 'Never succeeded', value: r.environments_never_succeeded, key: 'environments_never_succeeded' },
        ],
        chart: countsChart('Environments by failed attempts before the first success', r.distribution),
        tables: [countsTable('Distribution', 'Failures before success', 'Environments', r.distribution)],
      };
    case 'node_roles':
      return {
        title,
        headline: [installations, { label: 'Nodes', value: r.total_nodes, key: 'total_nodes' }, { label: 'Nodes with combined roles', value: r.combined_nodes, key: 'combined_nodes' }],
        chart: countsChart('Nodes by role combination', r.by_combination),
        tables: [countsTable('Role combinations', 'Roles', 'Nodes', r.by_combination), countsTable('Roles', 'Role', 'Nodes having it', r.by_role)],
      };
    case 'ostf': {
      const tests = (r.tests ?? []) as { id: string; testset: string; runs: number; failures: number; failure_rate: number; installations: number }[];
      return {
        title,
        headline: [installations, { label: 'Test runs', value: r.total_runs, key: 'total_runs' }],
        chart: { kind: 'bar', title: 'Failure rate by test', labels: tests.map((t) => t.id), values: tests.map((t) => t.failure_rate) },
        tables: [{
          caption: 'Tests (most failures first)',
          columns: ['Test', 'Test set', 'Runs', 'Failures', 'Failure rate', 'Installations'],
          rows: tests.map((t) => [t.id, t.testset, t.runs, t.failures, t.failure_rate, t.installations]),
        }],
      };
    }
  }
}
