import { installationsReport } from '../../../../src/sources/fuel/reports/installations.report';
import { readFixture } from '../../../support/fixtures';

type Stored = { master_node_uid: string; is_filtered: boolean; release: string; structure: { clusters: unknown[]; clusters_num: number } };
const example = readFixture<{ stored: Stored[]; expect: Record<string, { installations: unknown; environments: { count: number } }> }>(
  'fuelstats/json-report-installations-example.json',
);
/** The repository's selection (not filtered, optional release), applied to the fixture rows. */
const rowsFor = (release: string | null) =>
  example.stored
    .filter((s) => !s.is_filtered && (release === null || s.release === release))
    .map((s) => ({ clusters_num: s.structure.clusters_num, clusters: s.structure.clusters }));

describe('installationsReport (fuelstats.md §5.7) against the upstream analytics example', () => {
  it.each([['', null], ['release=8.0', '8.0'], ['release=xxx', 'xxx']] as const)('%s', (key, release) => {
    const r = installationsReport(rowsFor(release));
    expect(r.installations).toEqual(example.expect[key].installations);
    expect(r.environments.count).toBe(example.expect[key].environments.count);
  });

  it('deployed clusters feed hypervisors/oses; nodes_num and operable only with nodes', () => {
    const r = installationsReport([
      {
        clusters_num: 3,
        clusters: [
          { status: 'operational', nodes_num: 3, attributes: { libvirt_type: 'KVM' }, release: { os: 'Ubuntu' } },
          { status: 'error', nodes_num: 0, attributes: { libvirt_type: 'qemu' }, release: { os: 'CentOS' } },
          { status: 'new', nodes_num: 2, attributes: { libvirt_type: 'kvm' }, release: { os: 'Ubuntu' } },
        ],
      },
    ]);
    expect(r.environments).toEqual({
      count: 3,
      operable_envs_count: 1,
      statuses: { error: 1, new: 1, operational: 1 },
      nodes_num: { '3': 1 },
      hypervisors_num: { kvm: 1, qemu: 1 },
      oses_num: { centos: 1, ubuntu: 1 },
    });
  });
});
