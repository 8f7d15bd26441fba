import { failuresBeforeSuccessReport } from '../../../../src/sources/fuel/reports/deployment-failures.report';
import { deploymentTimeReport } from '../../../../src/sources/fuel/reports/deployment-time.report';
import { hardwareReport } from '../../../../src/sources/fuel/reports/hardware.report';
import { nodeRolesReport } from '../../../../src/sources/fuel/reports/node-roles.report';
import { osReport } from '../../../../src/sources/fuel/reports/os.report';
import { ostfReport } from '../../../../src/sources/fuel/reports/ostf.report';
import { releasesReport } from '../../../../src/sources/fuel/reports/releases.report';
import { Backed, applyFloor } from '../../../../src/sources/fuel/reports/report-maths';

/** fuelstats.md §6.0 REPORT_MIN_INSTALLATIONS: every expected map below is worked out by hand with a floor of 2 installations. */
const backed = (value: number, ...uids: string[]): Backed<number> => ({ value, installations: new Set(uids) });

describe('applyFloor', () => {
  const groups = new Map([['a', backed(5, 'u1', 'u2', 'u3')], ['b', backed(2, 'u1')], ['c', backed(1, 'u4')], ['other', backed(4, 'u5', 'u6')], ['empty', backed(0)]]);
  it('merges buckets backed by 1 … floor−1 installations, and any existing "other", into "other"', () => {
    const merged = applyFloor(groups, 2, (a = 0, b) => a + b);
    expect([...merged].map(([k, g]) => [k, g.value, [...g.installations].sort()])).toEqual([
      ['a', 5, ['u1', 'u2', 'u3']],
      ['empty', 0, []],
      ['other', 7, ['u1', 'u4', 'u5', 'u6']],
    ]);
  });
  it('floor 1 (the default) changes nothing', () => {
    expect(applyFloor(groups, 1, (a = 0, b) => a + b)).toEqual(groups);
  });
});

describe('R1–R7 with REPORT_MIN_INSTALLATIONS = 2', () => {
  it('R1: OS buckets of one installation become "other"', () => {
    const c = (uid: string, status: string, os: string) => ({ master_node_uid: uid, status, release_os: os, release_version: null, release_name: null });
    const n = (uid: string, os: string) => ({ master_node_uid: uid, cluster_status: 'operational', os });
    const r = osReport([c('u1', 'operational', 'Ubuntu'), c('u2', 'error', 'ubuntu'), c('u3', 'operational', 'CentOS')], [n('u1', 'ubuntu'), n('u1', 'ubuntu'), n('u3', 'centos')], 2);
    expect(r).toEqual({ environments: { ubuntu: 2, other: 1 }, nodes: { other: 3 }, total_environments: 3 });
  });

  it('R2: release groups of one installation pool their durations in "other"; "all" stays', () => {
    const t = (uid: string, release: string, seconds: number) => ({
      master_node_uid: uid, release, action_name: 'deploy', start_timestamp: '2016-06-01T10:00:00', end_timestamp: new Date(Date.UTC(2016, 5, 1, 10, 0, seconds)).toISOString().slice(0, 19),
    });
    const r = deploymentTimeReport([t('u1', '9.0', 100), t('u2', '9.0', 300), t('u3', '8.0', 200), t('u4', '7.0', 400)], [], 2);
    expect(Object.keys(r.deploy)).toEqual(['all', '9.0', 'other']);
    expect(r.deploy.all).toMatchObject({ count: 4, mean_s: 250 });
    expect(r.deploy['9.0']).toMatchObject({ count: 2, mean_s: 200 });
    expect(r.deploy.other).toMatchObject({ count: 2, mean_s: 300, min_s: 200, max_s: 400 });
  });

  it('R3: Fuel releases and OpenStack releases; a merged OpenStack release has no name', () => {
    const i = (uid: string, release: string) => ({ master_node_uid: uid, release });
    const c = (uid: string, version: string, name: string) => ({ master_node_uid: uid, status: 'operational', release_os: 'Ubuntu', release_version: version, release_name: name });
    const r = releasesReport([i('u1', '9.0'), i('u2', '9.0'), i('u3', '8.0')], [c('u1', 'mitaka-9.0', 'Mitaka'), c('u2', 'mitaka-9.0', 'Mitaka'), c('u3', 'liberty-8.0', 'Liberty')], 2);
    expect(r).toEqual({ fuel_releases: { '9.0': 2, other: 1 }, openstack_releases: { 'mitaka-9.0': { environments: 2, name: 'Mitaka' }, other: { environments: 1, name: null } } });
  });

  it('R4: manufacturers and models; virtual/bare-metal totals untouched', () => {
    const n = (uid: string, m: string, p: string) => ({ master_node_uid: uid, manufacturer: m, product: p });
    const r = hardwareReport([n('u1', 'Dell Inc.', 'R630'), n('u2', 'Dell Inc.', 'R640'), n('u3', 'QEMU', 'Standard PC')], 2);
    expect(r).toEqual({ by_manufacturer: { 'Dell Inc.': 2, other: 1 }, by_model: { other: 3 }, virtual: 1, bare_metal: 2 });
  });

  it('R5: a distribution bucket of one installation moves to "other"; empty buckets stay', () => {
    const a = (uid: string, id: number, end: string, status: string) => ({ master_node_uid: uid, cluster_id: 1, external_id: id, end_timestamp: end, ended_with_status: status });
    const r = failuresBeforeSuccessReport([
      a('u1', 1, '2016-06-01T10:00:00', 'ready'),
      a('u2', 1, '2016-06-01T10:00:00', 'ready'),
      a('u3', 1, '2016-06-01T10:00:00', 'error'),
      a('u3', 2, '2016-06-01T11:00:00', 'ready'),
    ], 2);
    expect(r.distribution).toEqual({ '0': 2, '2': 0, '3': 0, '4': 0, '5+': 0, other: 1 });
    expect(Object.keys(r.distribution)).toEqual(['0', '2', '3', '4', '5+', 'other']);
    expect([r.environments_with_success, r.failed_attempts_total]).toEqual([3, 1]);
  });

  it('R6: roles and combinations', () => {
    const n = (uid: string, ...roles: string[]) => ({ master_node_uid: uid, roles });
    const r = nodeRolesReport([n('u1', 'controller'), n('u2', 'controller'), n('u1', 'compute', 'ceph-osd'), n('u3', 'mongo')], 2);
    expect(r).toEqual({ by_role: { other: 3, controller: 2 }, by_combination: { controller: 2, other: 2 }, combined_nodes: 1, total_nodes: 4 });
  });

  it('R7: tests run by one installation are summed into one test "other"', () => {
    const row = (uid: string, run: number, test: string, status: string) => ({ master_node_uid: uid, run_id: run, testset: 'smoke', ended_at: '2016-06-01T00:00:00', test_id: test, status });
    const r = ostfReport([row('u1', 1, 't1', 'failure'), row('u2', 2, 't1', 'success'), row('u1', 1, 't2', 'failure'), row('u3', 3, 't3', 'error'), row('u3', 3, 't4', 'success')], 50, 2);
    expect(r.tests).toEqual([
      { id: 'other', testset: 'other', runs: 3, failures: 2, failure_rate: 0.6667, installations: 2 },
      { id: 't1', testset: 'smoke', runs: 2, failures: 1, failure_rate: 0.5, installations: 2 },
    ]);
  });
});
