import { CSV_HEADERS, NODE_COLUMNS, cell, valueAt } from '../../../../src/sources/fuel/exports/export-columns';
import { readFixture } from '../../../support/fixtures';

const headers = readFixture<Record<string, string[]>>('fuelstats/csv-headers.json');

describe('CSV export columns (fuelstats.md §5.2, §5.3)', () => {
  it.each(['clusters', 'nodes', 'plugins'] as const)('%s.csv header equals the upstream header row exactly', (name) => {
    expect(CSV_HEADERS[name]).toEqual(headers[`${name}.csv`]);
  });
  it('has 97 / 522 / 19 columns', () => {
    expect([CSV_HEADERS.clusters.length, CSV_HEADERS.nodes.length, CSV_HEADERS.plugins.length]).toEqual([97, 522, 19]);
  });
});

describe('cell rendering (fuelstats.md §5.1)', () => {
  it.each([
    [null, ''], [undefined, ''], [true, 'True'], [false, 'False'], [3, '3'], [1.5, '1.5'], ['a,b', 'a,b'],
    [['x', 'y', 1], 'x y 1'], [{ a: 1 }, '{"a":1}'],
  ])('%p → %p', (v, text) => expect(cell(v)).toBe(text));

  it('walks list indices and counts lists; missing → empty', () => {
    const col = (name: string) => NODE_COLUMNS.find((c) => c.name === name)!;
    const node = { roles: ['compute', 'ceph-osd'], nic_interfaces: [{ id: 1 }, { id: 2 }], meta: { disks: [{ size: 10 }] } };
    expect(valueAt(node, col('roles.1'))).toBe('ceph-osd');
    expect(valueAt(node, col('roles.2'))).toBe('');
    expect(valueAt(node, col('nic_interfaces.count'))).toBe('2');
    expect(valueAt(node, col('bond_interfaces.count'))).toBe('');
    expect(valueAt(node, col('meta.disks.0.size'))).toBe('10');
    expect(valueAt(node, col('meta.system.product'))).toBe('');
  });
});
