import { deploymentTimeView } from '../../../../src/sources/fuel/reports/deployment-time.report';
import type { ReportContext } from '../../../../src/sources/fuel/reports/fuel-report';
import { nodeRolesView } from '../../../../src/sources/fuel/reports/node-roles.report';
import { CONSOLE_REPORTS, FUEL_REPORTS } from '../../../../src/sources/fuel/reports/report-registry';

/** A database with nothing in it: every count is 0, every list empty. */
const empty: ReportContext = {
  db: { query: async <T>(sql: string) => (/count\(\*\)::int AS n/.test(sql) ? [{ n: 0 }] : []) as T[] },
  query: { from_date: '2016-01-01', to_date: '2016-01-31' },
  floor: 1,
};

describe('Fuel report registry', () => {
  it('names every report once; the console shows R1–R7 in order', () => {
    expect(new Set(FUEL_REPORTS.map((r) => r.name)).size).toBe(FUEL_REPORTS.length);
    expect(CONSOLE_REPORTS.map((r) => r.name)).toEqual(['os', 'deployment_time', 'releases', 'hardware', 'deployment_failures', 'node_roles', 'ostf']);
    expect(CONSOLE_REPORTS.map((r) => r.console.title)).toEqual(CONSOLE_REPORTS.map((_, i) => expect.stringMatching(new RegExp(`^R${i + 1} `))));
  });

  it.each(CONSOLE_REPORTS.map((r) => [r.name, r] as const))('%s renders an empty database without throwing', async (_name, report) => {
    const v = await report.console.page(empty);
    expect(v.title).toBe(report.console.title);
    expect(v.chart.values.every((n) => n === 0)).toBe(true);
    expect(v.headline[0]).toEqual({ label: 'Installations', value: 0, key: 'installations' });
  });
});

describe('report views (console model of the fuelstats.md §6 reports)', () => {
  it('R6: headline numbers, chart of combinations in report order, both tables', () => {
    const v = nodeRolesView({
      population: { installations: 2 }, by_role: { compute: 2, 'ceph-osd': 2, controller: 1 }, by_combination: { 'ceph-osd+compute': 2, controller: 1 }, combined_nodes: 2, total_nodes: 3,
    });
    expect(v.headline.map((h) => [h.key, h.value])).toEqual([['installations', 2], ['total_nodes', 3], ['combined_nodes', 2]]);
    expect(v.chart).toEqual({ kind: 'bar', title: 'Nodes by role combination', labels: ['ceph-osd+compute', 'controller'], values: [2, 1] });
    expect(v.tables[0].rows).toEqual([['ceph-osd+compute', 2], ['controller', 1]]);
    expect(v.tables[1].rows).toEqual([['compute', 2], ['ceph-osd', 2], ['controller', 1]]);
  });

  it('R2: one row per task and group; empty report has a null mean', () => {
    const s = { count: 1, mean_s: 2300, median_s: 2300, p90_s: 2300, min_s: 2300, max_s: 2300 };
    const v = deploymentTimeView({ population: { installations: 1 }, deploy: { all: s, '9.0': s }, phases: { provision: { all: { ...s, mean_s: 1299 } }, deployment: {} } });
    expect(v.tables[0].rows.map((r) => r.slice(0, 4))).toEqual([['deploy', 'all', 1, 2300], ['deploy', '9.0', 1, 2300], ['provision', 'all', 1, 1299]]);
    expect(deploymentTimeView({ deploy: {}, phases: { provision: {}, deployment: {} } }).headline.find((h) => h.key === 'mean_s')?.value).toBeNull();
  });
});
