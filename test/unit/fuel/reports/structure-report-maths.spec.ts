import { hardwareReport, isVirtualHardware } from '../../../../src/sources/fuel/reports/hardware.report';
import { osReport } from '../../../../src/sources/fuel/reports/os.report';
import { ostfReport } from '../../../../src/sources/fuel/reports/ostf.report';
import { releasesReport } from '../../../../src/sources/fuel/reports/releases.report';

const cluster = (status: string | null, os: string | null, version: string | null = null, name: string | null = null, uid = 'u') => ({
  master_node_uid: uid, status, release_os: os, release_version: version, release_name: name,
});

describe('R1 osReport', () => {
  it('counts only operational/error environments, lower-cases and trims; missing OS skipped but counted in the total', () => {
    const r = osReport(
      [cluster('operational', ' Ubuntu '), cluster('error', 'CentOS'), cluster('new', 'Ubuntu'), cluster('operational', null)],
      [{ master_node_uid: 'u', cluster_status: 'operational', os: 'ubuntu' }, { master_node_uid: 'u', cluster_status: 'new', os: 'centos' }, { master_node_uid: 'u', cluster_status: 'error', os: null }],
    );
    expect(r).toEqual({ environments: { centos: 1, ubuntu: 1 }, nodes: { ubuntu: 1 }, total_environments: 3 });
  });
});

describe('R3 releasesReport', () => {
  it('counts installations per Fuel release (missing → unknown) and deployed environments per OpenStack version', () => {
    const r = releasesReport([{ master_node_uid: 'a', release: '9.0' }, { master_node_uid: 'b', release: '9.0' }, { master_node_uid: 'c', release: null }], [
      cluster('operational', 'Ubuntu', 'mitaka-9.0', 'Mitaka'), cluster('error', 'Ubuntu', 'mitaka-9.0', 'Mitaka'), cluster('new', 'CentOS', '2014.2-6.0', 'Juno'),
    ]);
    expect(r).toEqual({ fuel_releases: { '9.0': 2, unknown: 1 }, openstack_releases: { 'mitaka-9.0': { environments: 2, name: 'Mitaka' } } });
  });
});

describe('R4 hardware', () => {
  it.each([
    ['QEMU', 'Standard PC (i440FX + PIIX, 1996)', true],
    ['innotek GmbH', 'VirtualBox', true],
    ['Red Hat', 'KVM', true],
    ['Microsoft Corporation', 'Virtual Machine', true],
    ['Microsoft Corporation', 'Surface Book', false],
    ['VMware, Inc.', 'VMware Virtual Platform', true],
    ['Dell Inc.', 'PowerEdge R630', false],
    [null, null, false],
  ])('%p / %p virtual=%p', (m, p, v) => expect(isVirtualHardware(m, p)).toBe(v));

  it('groups by trimmed manufacturer and model; missing → unknown', () => {
    expect(hardwareReport([
      { master_node_uid: 'u', manufacturer: ' Dell Inc. ', product: 'R630' }, { master_node_uid: 'u', manufacturer: 'Dell Inc.', product: 'R630' },
      { master_node_uid: 'u', manufacturer: '', product: null }, { master_node_uid: 'u', manufacturer: 'QEMU', product: null },
    ])).toEqual({ by_manufacturer: { 'Dell Inc.': 2, QEMU: 1, unknown: 1 }, by_model: { 'Dell Inc. / R630': 2, 'QEMU / unknown': 1, 'unknown / unknown': 1 }, virtual: 1, bare_metal: 3 });
  });
});

describe('R7 ostfReport', () => {
  const row = (uid: string, run: number, test: string, status: string, endedAt = '2016-06-01T00:00:00') => ({
    master_node_uid: uid, run_id: run, testset: 'smoke', ended_at: endedAt, test_id: test, status,
  });
  it('rates failures+errors over success+failure+error, rounds to 4 decimals, orders by failures desc', () => {
    const r = ostfReport([
      row('a', 1, 't1', 'success'), row('a', 2, 't1', 'failure'), row('b', 3, 't1', 'success'),
      row('a', 1, 't2', 'error'), row('a', 2, 't2', 'error'), row('a', 1, 't3', 'stopped'), row('c', 9, 't1', 'failure', ''),
    ], 50);
    expect(r.tests).toEqual([
      { id: 't2', testset: 'smoke', runs: 2, failures: 2, failure_rate: 1, installations: 1 },
      { id: 't1', testset: 'smoke', runs: 3, failures: 1, failure_rate: 0.3333, installations: 2 },
    ]);
    expect(r.total_runs).toBe(3);
    expect(r.unparseable).toBe(1);
  });
});
