import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SPOOL_PREFIX } from '../../../src/sources/fuel/exports/csv-tar';
import { startTestApp, TestApp } from '../../support/app';
import { parseCsv } from '../../support/csv';
import { readFixture } from '../../support/fixtures';
import { parseTar } from '../../support/tar';
import { postFuel } from '../../support/fuel';

const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];
const fx = <T>(name: string) => readFixture<T>(`fuelstats/${name}`);
const headers = fx<Record<string, string[]>>('csv-headers.json');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kafka mode: this run's rows carry their own uids and release tags. */
const RUN = randomUUID().slice(0, 8);
const KEPT = `kept-${RUN}`;
const DROPPED = `dropped-${RUN}`;
const FULL = `0f4a6c5e-4a5d-4a6e-9f3a-1b2c3d4e5f60-${RUN}`;
const TWO = `x-${RUN}`;
const OTHER = `xx-${RUN}`;
const WINDOW = 'from_date=2016-06-01&to_date=2016-06-04';

function structure(name: string, uid: string, release: string): Obj {
  const s = structuredClone(fx<Obj>(name).installation_structure);
  s.master_node_uid = uid;
  s.fuel_release = { api: '1', feature_groups: [], ...s.fuel_release, release };
  return { installation_structure: s };
}

const realistic = fx<{ body: { oswl_stats: Obj[] } }>('oswl-stats-realistic.json').body.oswl_stats;
const minimal = fx<{ body: { oswl_stats: Obj[] } }>('oswl-stats-minimal.json').body.oswl_stats;
const R11 = realistic.find((r) => r.id === 11)!; // the vm record of 2016-06-01
const [VM1, VM2] = R11.resource_data.current as Obj[];
const VM3 = R11.resource_data.removed[0] as Obj;

/**
 * The OSWL records of the scenario, posted in this order (one request each, projected before the next, so row
 * ids follow it in every log mode):
 * - FULL: the six realistic records of 2016-06-01 (vm 11 has version_info; volume/image/tenant/keystone_user don't);
 * - TWO: the minimal records 2, 3, 4 (all vm, cluster 1, checksum "xx", 2016-06-01): 3 replaces 2 (same checksum,
 *   other data), 4 does NOT replace 3 (same checksum, same data; only 4 has version_info);
 * - OTHER (filtered): one vm;
 * - FULL 21: a copy of 11 dated 2016-06-03 → does not replace 11;
 * - FULL 22 dated 2016-06-04: same checksum as 11 but other data → replaces it; no version_info;
 * - FULL 23 (2016-05-31) and 24 (2016-06-05): outside the window; FULL 25: a security_group record.
 */
const vmRecord = (id: number, createdDate: string, resourceData: Obj, extra: Obj = {}) => ({
  master_node_uid: FULL, id, cluster_id: 1, created_date: createdDate, updated_time: '10:00:00', resource_type: 'vm',
  resource_checksum: R11.resource_checksum, resource_data: resourceData, ...extra,
});
const VM1_OFF = { ...VM1, status: 'SHUTOFF', power_state: 4 };
const POSTS: Obj[][] = [
  realistic.map((r) => ({ ...r, master_node_uid: FULL })),
  minimal.map((r) => ({ ...r, master_node_uid: TWO })),
  [{ ...minimal[1], master_node_uid: OTHER, id: 5, resource_data: { ...minimal[1].resource_data, current: [{ id: 'filtered-vm' }] } }],
  [vmRecord(21, '2016-06-03', structuredClone(R11.resource_data), { version_info: R11.version_info })],
  [vmRecord(22, '2016-06-04', {
    current: [VM1_OFF],
    added: [],
    modified: [{ id: VM1.id, status: 'ACTIVE', power_state: 1, time: '10:00:00' }],
    removed: [{ id: VM2.id, time: '10:00:00' }, { ...VM1, time: '10:00:00' }],
  })],
  [vmRecord(23, '2016-05-31', { current: [{ id: 'too-early' }], added: [], removed: [], modified: [] })],
  [vmRecord(24, '2016-06-05', { current: [{ id: 'too-late' }], added: [], removed: [], modified: [] })],
  [{ ...vmRecord(25, '2016-06-01', { current: [{ id: 'sg' }], added: [], removed: [], modified: [] }), resource_type: 'security_group' }],
];

/** Spec fuelstats.md §5.4/§5.5 over the fixtures; every expected row below is worked out by hand from the scenario above. */
describe('Fuel OSWL exports /api/v1/csv/<resource_type>, /api/v1/csv/all (spec fuelstats.md §5.4, §5.5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FUEL_FILTERING_RULES: JSON.stringify({ [KEPT]: null }) });
    const post = async (path: string, body: unknown) => {
      await postFuel(t, path, body);
      await t.runtime.catchUp(FUEL_PROJECTORS);
    };
    await post('installation_structure', structure('installation-structure-full-9.0.json', FULL, KEPT));
    await post('installation_structure', structure('installation-structure-two-clusters.json', TWO, KEPT));
    await post('installation_structure', structure('installation-structure-two-clusters.json', OTHER, DROPPED));
    for (const records of POSTS) await post('oswl_stats', { oswl_stats: records });
    // FULL has been sending since 2016-06-01 and still does; TWO last synced on 2016-06-02.
    await t.db.query(`UPDATE fuel_installations SET creation_date = '2016-06-01T09:00:00Z', modification_date = now() WHERE master_node_uid = $1`, [FULL]);
    await t.db.query(`UPDATE fuel_installations SET creation_date = '2016-06-01T09:00:00Z', modification_date = '2016-06-02T12:00:00Z' WHERE master_node_uid = $1`, [TWO]);
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.auth });
  const csv = async (type: string, query = WINDOW) => {
    const res = await get(`/api/v1/csv/${type}?${query}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename=${type}.csv`);
    const [header, ...rows] = parseCsv(res.body);
    return { body: res.body, header, rows };
  };

  // version_info columns: environment_version, fuel_version, release_name, release_os, release_version
  const OWN = ['9.0', '9.0', 'Mitaka on Ubuntu 14.04', 'Ubuntu', 'mitaka-9.0']; // record 11's own
  const CLUSTER = ['', '9.0', 'Mitaka on Ubuntu 14.04', 'Ubuntu', 'mitaka-9.0']; // FULL's cluster 1 (fuel_version 9.0)
  const RELEASE = ['', KEPT, '', '', '']; // TWO has no cluster 1: fuel_release.release, no openstack_version
  // vm columns: created_at, flavor_id, host_id, id, image_id, power_state, status, tenant_id
  const vm = (v: Obj) => [v.created_at, v.flavor_id, v.host_id, v.id, v.image_id, String(v.power_state), v.status, v.tenant_id];
  const XXX = ['', '', '', 'xxx', '', '', 'down', ''];
  const row = (uid: string, day: string, version: string[], resource: string[], flags: string) =>
    ['1', uid, 'vm', day, ...version, ...resource, ...flags.split('').map((f) => (f === 'T' ? 'True' : 'False'))];

  it('vm.csv: gap filling, (not) replaced horizon entries, removed entries, dropped and filtered installations, version_info fallbacks', async () => {
    const { header, rows } = await csv('vm');
    expect(header).toEqual(headers['vm.csv']);
    expect(rows).toEqual([
      // 2016-06-01: record 11 on its own day (vm1 added, vm2 added+modified, vm3 removed with attributes); TWO's record 3
      row(FULL, '2016-06-01', OWN, vm(VM1), 'TFF'),
      row(FULL, '2016-06-01', OWN, vm(VM2), 'TTF'),
      row(FULL, '2016-06-01', OWN, vm(VM3), 'FFT'),
      row(TWO, '2016-06-01', RELEASE, XXX, 'FFF'), // the added id 1 (a number) is not "xxx"
      // 2016-06-02: gap filled, flags empty, no removed row
      row(FULL, '2016-06-02', OWN, vm(VM1), 'FFF'),
      row(FULL, '2016-06-02', OWN, vm(VM2), 'FFF'),
      row(TWO, '2016-06-02', RELEASE, XXX, 'FFF'),
      // 2016-06-03: record 21 did not replace 11 (had it, the flags would be set); TWO last synced on the 2nd
      row(FULL, '2016-06-03', OWN, vm(VM1), 'FFF'),
      row(FULL, '2016-06-03', OWN, vm(VM2), 'FFF'),
      // 2016-06-04: record 22 (no version_info → cluster's); vm1 modified and removed-with-attributes but current;
      // vm2 removed as {id, time} only → no row
      row(FULL, '2016-06-04', CLUSTER, vm(VM1_OFF), 'FTT'),
    ]);
  });

  it('other types: one row per current resource per day, fallbacks per record', async () => {
    const flavor = await csv('flavor');
    expect(flavor.header).toEqual(headers['flavor.csv']);
    // disk, ephemeral, id, ram, swap, vcpus
    expect(flavor.rows.slice(0, 2)).toEqual([
      ['1', FULL, 'flavor', '2016-06-01', ...OWN, '1', '0', '1', '512', '', '1', 'False', 'False', 'False'],
      ['1', FULL, 'flavor', '2016-06-01', ...OWN, '20', '0', '2', '2048', '', '1', 'False', 'False', 'False'],
    ]);
    expect(flavor.rows.map((r) => r[3])).toEqual(['01', '01', '02', '02', '03', '03', '04', '04'].map((d) => `2016-06-${d}`));

    const volume = await csv('volume');
    expect(volume.header).toEqual(headers['volume.csv']);
    // attachments.count, availability_zone, bootable_flag, encrypted_flag, id, size, snapshot_id, status, tenant_id, volume_type
    expect(volume.rows[0]).toEqual(['1', FULL, 'volume', '2016-06-01', ...CLUSTER,
      '1', 'nova', 'true', 'False', '5e0c0000-0000-4000-8000-000000000001', '1', '', 'in-use', '6b9f0b2d8c1e4f3a9d7c5b3a1e0f2d4c', '', 'False', 'False', 'False']);
    expect(volume.rows).toHaveLength(4);

    for (const [type, perDay] of [['image', 1], ['tenant', 2], ['keystone_user', 1]] as const) {
      const r = await csv(type);
      expect(r.header).toEqual(headers[`${type}.csv`]);
      expect(r.rows).toHaveLength(4 * perDay);
      expect(r.rows.every((x) => x.slice(4, 9).join('|') === CLUSTER.join('|'))).toBe(true);
    }
  });

  it('window: records before from_date do not start the series; an empty window gives the header only', async () => {
    const early = await csv('vm', 'from_date=2016-05-31&to_date=2016-05-31');
    expect(early.rows).toEqual([['1', FULL, 'vm', '2016-05-31', ...CLUSTER, '', '', '', 'too-early', '', '', '', '', 'False', 'False', 'False']]);
    const none = await csv('vm', 'from_date=2015-01-01&to_date=2015-01-31');
    expect(none.rows).toEqual([]);
  });

  it('types without a column set and unknown types → 404; bad dates → 400, both JSON error bodies', async () => {
    for (const type of ['security_group', 'cluster_stats', 'bogus']) {
      const res = await get(`/api/v1/csv/${type}?${WINDOW}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ status: 'error', message: expect.stringContaining(type) });
    }
    const bad = await get('/api/v1/csv/vm?from_date=2016-6-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ status: 'error', message: "Date 'from_date' value in wrong format. Use format: %Y-%m-%d" });
    const reversed = await get('/api/v1/csv/vm?from_date=2016-06-04&to_date=2016-06-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().status).toBe('error');
    expect((await get('/api/v1/csv/all?to_date=2016-13-01')).statusCode).toBe(400);
  });

  it('/csv/all: a tar of the stored types with a column set (sorted), clusters.csv, plugins.csv — each equal to its own export', async () => {
    const spoolsBefore = readdirSync(tmpdir()).filter((d) => d.startsWith(SPOOL_PREFIX));
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/csv/all?${WINDOW}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    expect(res.headers['content-disposition']).toBe('attachment; filename=reports_from2016-06-01_to2016-06-04.tar');
    const entries = parseTar(res.rawPayload);
    expect(entries.map((e) => e.name)).toEqual(['flavor.csv', 'image.csv', 'keystone_user.csv', 'tenant.csv', 'vm.csv', 'volume.csv', 'clusters.csv', 'plugins.csv']);
    for (const e of entries) {
      const single = await get(`/api/v1/csv/${e.name.replace(/\.csv$/, '')}?${WINDOW}`);
      expect(e.content.toString('utf8')).toBe(single.body);
    }
    // FULL (1 cluster) and TWO (2) were created on 2016-06-01: inside the window; FULL has the one plugin
    expect(parseCsv(entries[6].content.toString('utf8'))).toHaveLength(1 + 3);
    expect(parseCsv(entries[7].content.toString('utf8'))).toHaveLength(1 + 1);
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith(SPOOL_PREFIX))).toEqual(spoolsBefore);
  });

  it('needs the admin credential', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/csv/vm?${WINDOW}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/csv/all?${WINDOW}` })).statusCode).toBe(401);
  });
});
