import { REPORT_NAMES } from '../../../../src/sources/fuel/reports/reports.service';
import { reportView } from '../../../../src/sources/fuel/reports/reports-view';

describe('reportView (console model of the §6 reports)', () => {
  it('R6: headline numbers, chart of combinations in report order, both tables', () => {
    const v = reportView('node_roles', {
      population: { installations: 2 }, by_role: { compute: 2, 'ceph-osd': 2, controller: 1 }, by_combination: { 'ceph-osd+compute': 2, controller: 1 }, combined_nodes: 2, total_nodes: 3,
    });
    expect(v.headline.map((h) => [h.key, h.value])).toEqual([['installations', 2], ['total_nodes', 3], ['combined_nodes', 2]]);
    expect(v.chart).toEqual({ kind: 'bar', title: 'Nodes by role combination', labels: ['ceph-osd+compute', 'controller'], values: [2, 1] });
    expect(v.tables[0].rows).toEqual([['ceph-osd+compute', 2], ['controller', 1]]);
    expect(v.tables[1].rows).toEqual([['compute', 2], ['ceph-osd', 2], ['controller', 1]]);
  });

  it('R2: one row per task and group; empty report has a null mean', () => {
    const s = { count: 1, mean_s: 2300, median_s: 2300, p90_s: 2300, min_s: 2300, max_s: 2300 };
    const v = reportView('deployment_time', { population: { installations: 1 }, deploy: { all: s, '9.0': s }, phases: { provision: { all: { ...s, mean_s: 1299 } }, deployment: {} } });
    expect(v.tables[0].rows.map((r) => r.slice(0, 4))).toEqual([['deploy', 'all', 1, 2300], ['deploy', '9.0', 1, 2300], ['provision', 'all', 1, 1299]]);
    expect(reportView('deployment_time', { deploy: {}, phases: {} }).headline.find((h) => h.key === 'mean_s')?.value).toBeNull();
  });

  it.each(REPORT_NAMES)('%s renders an empty answer without throwing', (name) => {
    const v = reportView(name, {});
    expect(v.title).toMatch(/^R\d /);
    expect(v.chart.labels).toEqual([]);
  });
});
