import { failuresBeforeSuccessReport } from '../../../../src/sources/fuel/reports/deployment-failures.report';
import { deploymentTimeReport, durationStats } from '../../../../src/sources/fuel/reports/deployment-time.report';
import { nodeRolesReport } from '../../../../src/sources/fuel/reports/node-roles.report';
import { parseNaiveUtcMicros } from '../../../../src/sources/fuel/reports/report-maths';
import { reportWindow } from '../../../../src/sources/fuel/reports/report-window';
import { InvalidInput } from '../../../../src/common/errors';

describe('parseNaiveUtcMicros (fuelstats.md §6.0)', () => {
  it.each([
    ['2016-06-01T13:38:20.300000', Date.UTC(2016, 5, 1, 13, 38, 20) * 1000 + 300000],
    ['2016-06-01 13:38:20', Date.UTC(2016, 5, 1, 13, 38, 20) * 1000],
    ['2016-06-01T13:38', Date.UTC(2016, 5, 1, 13, 38) * 1000],
    ['2016-06-01T13:38:20.5', Date.UTC(2016, 5, 1, 13, 38, 20) * 1000 + 500000],
  ])('%s', (text, micros) => expect(parseNaiveUtcMicros(text)).toBe(micros));
  it.each(['', '1', '2', null, 5, '2016-06-01', '2016-02-30T00:00:00', '2016-06-01T13:38:20Z'])('%p → null', (v) =>
    expect(parseNaiveUtcMicros(v)).toBeNull(),
  );
});

describe('R6 nodeRolesReport', () => {
  it('counts roles, sorted de-duplicated combinations, unassigned and combined nodes', () => {
    const r = nodeRolesReport([
      { master_node_uid: 'a', roles: ['controller'] },
      { master_node_uid: 'a', roles: ['compute', 'ceph-osd'] },
      { master_node_uid: 'b', roles: ['ceph-osd', 'compute', 'compute'] },
      { master_node_uid: 'b', roles: [] },
    ]);
    expect(r).toEqual({
      by_role: { 'ceph-osd': 2, compute: 2, controller: 1, unassigned: 1 },
      by_combination: { 'ceph-osd+compute': 2, controller: 1, unassigned: 1 },
      combined_nodes: 2,
      total_nodes: 4,
    });
    expect(Object.keys(r.by_combination)).toEqual(['ceph-osd+compute', 'controller', 'unassigned']);
  });
});

describe('R5 failuresBeforeSuccessReport', () => {
  const a = (uid: string, cluster: number, id: number, end: string, status: string) => ({
    master_node_uid: uid, cluster_id: cluster, external_id: id, end_timestamp: end, ended_with_status: status,
  });
  it('counts error attempts before the first ready per environment, ordered by end time then id', () => {
    const r = failuresBeforeSuccessReport([
      a('u', 1, 113, '2016-06-01T13:38:20.3', 'ready'),
      a('u', 1, 106, '2016-06-01T10:02:13', 'error'),
      a('u', 1, 110, '2016-06-01T11:31:30', 'error'),
      a('u', 1, 120, '2016-06-02T10:00:00', 'error'), // after the success: counted in the total only
      a('u', 2, 5, '2016-06-01T10:00:00', 'ready'),
      a('v', 1, 7, '2016-06-01T10:00:00', 'error'),
      a('v', 1, 6, '2016-06-01T10:00:00', 'error'), // tie on time: id order
      a('w', 1, 1, '1', 'error'),
      ...Array.from({ length: 6 }, (_, i) => a('z', 1, i, `2016-06-0${i + 1}T00:00:00`, 'error')),
      a('z', 1, 99, '2016-06-09T00:00:00', 'ready'),
    ]);
    expect(r).toEqual({
      environments_with_success: 3,
      average_failures_before_success: 2.666667, // (2 + 0 + 6) / 3
      distribution: { '0': 1, '1': 0, '2': 1, '3': 0, '4': 0, '5+': 1 },
      environments_never_succeeded: 1,
      failed_attempts_total: 3 + 2 + 6,
      unparseable: 1,
    });
  });
});

describe('R2 deploymentTimeReport', () => {
  it('durations by release and all, phases separately; unparseable counted', () => {
    const t = (release: string, name: string, start: string, end: string) => ({ master_node_uid: 'u', release, action_name: name, start_timestamp: start, end_timestamp: end });
    const r = deploymentTimeReport(
      [
        t('9.0', 'deploy', '2016-06-01T13:00:00.300000', '2016-06-01T13:38:20.300000'), // 2300 s
        t('8.0', 'deploy', '2016-06-01T10:00:00', '2016-06-01T10:10:00'), // 600 s
        t('8.0', 'deploy', '', '2'),
      ],
      [t('9.0', 'provision', '2016-06-01T09:20:01', '2016-06-01T09:41:40'), t('9.0', 'deployment', '2016-06-01T13:00:01', '2016-06-01T13:38:20')],
    );
    expect(r.deploy.all).toEqual({ count: 2, mean_s: 1450, median_s: 1450, p90_s: 2130, min_s: 600, max_s: 2300 });
    expect(r.deploy['9.0']).toEqual({ count: 1, mean_s: 2300, median_s: 2300, p90_s: 2300, min_s: 2300, max_s: 2300 });
    expect(Object.keys(r.deploy)).toEqual(['all', '8.0', '9.0']);
    expect(r.phases.provision.all.mean_s).toBe(1299);
    expect(r.phases.deployment.all.mean_s).toBe(2299);
    expect(r.unparseable).toBe(1);
  });

  it('durationStats: median of an even count and p90 by interpolation', () => {
    expect(durationStats([1, 2, 3, 4])).toEqual({ count: 4, mean_s: 2.5, median_s: 2.5, p90_s: 3.7, min_s: 1, max_s: 4 });
  });
});

describe('reportWindow (fuelstats.md §5.0)', () => {
  const now = Date.UTC(2016, 5, 15, 12);
  it('defaults to the last 90 days', () => expect(reportWindow({}, now)).toEqual({ from: '2016-03-17', to: '2016-06-15', release: null }));
  it('takes explicit dates and release', () =>
    expect(reportWindow({ from_date: '2016-01-01', to_date: '2016-01-31', release: '9.0' }, now)).toEqual({ from: '2016-01-01', to: '2016-01-31', release: '9.0' }));
  it.each([{ from_date: '2016-1-1' }, { to_date: '2016-02-30' }, { from_date: '2016-02-01', to_date: '2016-01-01' }])('%p → 400', (q) =>
    expect(() => reportWindow(q, now)).toThrow(InvalidInput),
  );
  it('uses the upstream wording for a bad format', () =>
    expect(() => reportWindow({ from_date: 'x' }, now)).toThrow("Date 'from_date' value in wrong format. Use format: %Y-%m-%d"));
});
