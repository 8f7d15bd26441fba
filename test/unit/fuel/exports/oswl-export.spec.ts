import { OSWL_CSV_TYPES, oswlCsvHeader } from '../../../../src/sources/fuel/exports/export-columns';
import { HorizonEntry, OswlExportRecord, VersionFallback, fillDateGaps, nextDay, oswlCsvRows, versionInfoOf } from '../../../../src/sources/fuel/exports/oswl-export';
import { readFixture } from '../../../support/fixtures';

const headers = readFixture<Record<string, string[]>>('fuelstats/csv-headers.json');

const rec = (over: Partial<OswlExportRecord>): OswlExportRecord => ({
  id: '1', master_node_uid: 'u', cluster_id: '1', created_date: '2016-06-01', resource_type: 'vm', resource_checksum: 'c1',
  resource_data: { current: [], added: [], removed: [], modified: [] }, version_info: null, last_sync_date: '2016-12-31',
  ...over,
});
const collect = async (records: OswlExportRecord[], to: string) => {
  const out: [string, string][] = [];
  for await (const e of fillDateGaps(records, to)) out.push([e.statsOnDate, e.record.id]);
  return out;
};

describe('OSWL CSV headers (fuelstats.md §5.4)', () => {
  it.each(OSWL_CSV_TYPES)('%s.csv header equals the upstream header row exactly', (type) => {
    expect(oswlCsvHeader(type)).toEqual(headers[`${type}.csv`]);
  });
});

describe('fillDateGaps: the horizon (fuelstats.md §5.4)', () => {
  it('nextDay crosses months and leap days', () => {
    expect([nextDay('2016-02-28'), nextDay('2016-02-29'), nextDay('2016-12-31')]).toEqual(['2016-02-29', '2016-03-01', '2017-01-01']);
  });

  it('repeats the latest record of each (installation, cluster) every day from the first record to `to`', async () => {
    const records = [
      rec({ id: '1', created_date: '2016-06-01' }),
      rec({ id: '2', created_date: '2016-06-01', cluster_id: '2' }),
      rec({ id: '3', created_date: '2016-06-03', resource_checksum: 'c2' }), // replaces 1 from the 3rd on
    ];
    expect(await collect(records, '2016-06-04')).toEqual([
      ['2016-06-01', '1'], ['2016-06-01', '2'],
      ['2016-06-02', '1'], ['2016-06-02', '2'],
      ['2016-06-03', '3'], ['2016-06-03', '2'], // a replaced entry keeps its place
      ['2016-06-04', '3'], ['2016-06-04', '2'],
    ]);
  });

  it('a later record with the same checksum AND the same resource_data does not replace; either difference does', async () => {
    const data = { current: [{ id: 'a' }], added: [], removed: [], modified: [] };
    const same = await collect([rec({ id: '1', resource_data: data }), rec({ id: '2', created_date: '2016-06-02', resource_data: structuredClone(data) })], '2016-06-02');
    expect(same).toEqual([['2016-06-01', '1'], ['2016-06-02', '1']]);
    const reordered = { modified: [], removed: [], added: [], current: [{ id: 'a' }] }; // key order is not a difference
    expect(await collect([rec({ id: '1', resource_data: data }), rec({ id: '2', created_date: '2016-06-02', resource_data: reordered })], '2016-06-02')).toEqual(same);
    const otherData = await collect([rec({ id: '1', resource_data: data }), rec({ id: '2', created_date: '2016-06-02', resource_data: { ...data, added: [{ id: 'a' }] } })], '2016-06-02');
    expect(otherData).toEqual([['2016-06-01', '1'], ['2016-06-02', '2']]);
    const otherChecksum = await collect([rec({ id: '1', resource_data: data }), rec({ id: '2', created_date: '2016-06-02', resource_data: data, resource_checksum: 'c9' })], '2016-06-02');
    expect(otherChecksum).toEqual([['2016-06-01', '1'], ['2016-06-02', '2']]);
  });

  it("drops an entry for good from the first day after its installation's last sync", async () => {
    const records = [rec({ id: '1', last_sync_date: '2016-06-02' }), rec({ id: '2', master_node_uid: 'v' })];
    expect(await collect(records, '2016-06-04')).toEqual([
      ['2016-06-01', '1'], ['2016-06-01', '2'], ['2016-06-02', '1'], ['2016-06-02', '2'], ['2016-06-03', '2'], ['2016-06-04', '2'],
    ]);
  });

  it('no records → nothing, not even empty days', async () => {
    expect(await collect([], '2016-06-04')).toEqual([]);
  });
});

describe('versionInfoOf (fuelstats.md §5.4 fallbacks)', () => {
  const fallback: VersionFallback = {
    clusters: new Map([['1', { fuel_version: '9.0', release_version: 'mitaka-9.0', release_os: 'Ubuntu', release_name: 'Mitaka' }]]),
    fuelRelease: { fuel_version: '8.0', release_version: 'liberty-8.0' },
  };
  it("own non-empty version_info wins, else the cluster's, else the installation's fuel_release", () => {
    expect(versionInfoOf(rec({ version_info: { fuel_version: '7.0', openstack_version: null } }), fallback)).toEqual({ fuel_version: '7.0', openstack_version: null });
    expect(versionInfoOf(rec({ version_info: {} }), fallback)).toEqual({ fuel_version: '9.0', release_version: 'mitaka-9.0', release_os: 'Ubuntu', release_name: 'Mitaka' });
    expect(versionInfoOf(rec({ cluster_id: '2' }), fallback)).toEqual({ fuel_version: '8.0', release_version: 'liberty-8.0' });
  });
});

describe('oswlCsvRows (fuelstats.md §5.4)', () => {
  const vm = (id: string, status: string, extra: Record<string, unknown> = {}) => ({ id, status, tenant_id: 't', power_state: 1, ...extra });
  const record = rec({
    created_date: '2016-06-01',
    resource_data: {
      current: [vm('a', 'ACTIVE'), vm('b', 'BUILD')],
      added: [{ id: 'a', time: 't' }],
      modified: [{ id: 'b', time: 't', status: 'SHUTOFF' }],
      removed: [
        vm('c', 'DELETED', { time: 't' }), // attributes kept: its own row, is_removed
        { id: 'd', time: 't' }, // only {id, time}: no row
        vm('b', 'ERROR', { time: 't' }), // current again: no extra row, but b is_removed
      ],
    },
  });
  const vi = { fuel_version: '9.0', release_name: 'Mitaka', environment_version: '9.0', release_os: 'Ubuntu', release_version: 'mitaka-9.0' };
  const lead = (day: string) => ['1', 'u', 'vm', day, '9.0', '9.0', 'Mitaka', 'Ubuntu', 'mitaka-9.0'];
  // vm columns: created_at, flavor_id, host_id, id, image_id, power_state, status, tenant_id, is_added, is_modified, is_removed
  it('on the record day: current resources, removed ones with attributes, flags by id', () => {
    expect(oswlCsvRows('vm', { record, statsOnDate: '2016-06-01' }, vi)).toEqual([
      [...lead('2016-06-01'), '', '', '', 'a', '', '1', 'ACTIVE', 't', 'True', 'False', 'False'],
      [...lead('2016-06-01'), '', '', '', 'b', '', '1', 'BUILD', 't', 'False', 'True', 'True'],
      [...lead('2016-06-01'), '', '', '', 'c', '', '1', 'DELETED', 't', 'False', 'False', 'True'],
    ]);
  });

  it('on a gap-filled day: current only, every flag False', () => {
    const entry: HorizonEntry = { record, statsOnDate: '2016-06-02' };
    expect(oswlCsvRows('vm', entry, vi)).toEqual([
      [...lead('2016-06-02'), '', '', '', 'a', '', '1', 'ACTIVE', 't', 'False', 'False', 'False'],
      [...lead('2016-06-02'), '', '', '', 'b', '', '1', 'BUILD', 't', 'False', 'False', 'False'],
    ]);
  });

  it('ids compare by JSON value: the added id 1 is not the resource "1"', () => {
    const r = rec({ resource_data: { current: [{ id: '1' }, { id: 1 }], added: [{ id: 1, time: 0 }], removed: [], modified: [] } });
    expect(oswlCsvRows('tenant', { record: r, statsOnDate: '2016-06-01' }, {}).map((row) => row.slice(-4))).toEqual([
      ['1', 'False', 'False', 'False'],
      ['1', 'True', 'False', 'False'],
    ]);
  });

  it('volume attachments are counted', () => {
    const r = rec({ resource_type: 'volume', resource_data: { current: [{ id: 'v', attachments: [{ id: 'x' }, { id: 'y' }], bootable_flag: 'true' }], added: [], removed: [], modified: [] } });
    const [row] = oswlCsvRows('volume', { record: r, statsOnDate: '2016-06-01' }, {});
    const header = oswlCsvHeader('volume');
    expect(row[header.indexOf('volume.attachments.count')]).toBe('2');
    expect(row[header.indexOf('volume.bootable_flag')]).toBe('true');
  });
});
