import { randomUUID } from 'node:crypto';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../../support/app';
import { parseCsv } from '../../support/csv';
import { readFixture } from '../../support/fixtures';
import { postFuel } from '../../support/fuel';

const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];
const fx = <T>(name: string) => readFixture<T>(`fuelstats/${name}`);
const headers = fx<Record<string, string[]>>('csv-headers.json');

/** Kafka mode: topics outlive each test database, so this run's rows are told apart by uid and release. */
const RUN = randomUUID().slice(0, 8);
const KEPT = `kept-${RUN}`;
const DROPPED = `dropped-${RUN}`;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FULL = `0f4a6c5e-4a5d-4a6e-9f3a-1b2c3d4e5f60-${RUN}`;
const TWO = `x-${RUN}`;
const OTHER = `xx-${RUN}`;
/** Cell text that needs quoting: comma, quote, CR/LF (fuelstats.md §5.1). */
const AWKWARD = 'console=tty0, "quiet"\r\nnext';

function structure(name: string, uid: string, release: string, edit: (s: Obj) => void = () => undefined): Obj {
  const s = structuredClone(fx<Obj>(name).installation_structure ?? fx<Obj>(name).create.installation_structure);
  s.master_node_uid = uid;
  s.fuel_release = { api: '1', feature_groups: [], ...s.fuel_release, release };
  edit(s);
  return { installation_structure: s };
}

/** Spec fuelstats.md §5 exports: clusters/nodes/plugins CSV and the fuelstats.md §5.7 installations report; filtered installations never appear. */
describe('Fuel exports /api/v1/csv/*, /api/v1/json/report/installations (spec fuelstats.md §5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...WITHOUT_PRIVACY_FLOOR, FUEL_FILTERING_RULES: JSON.stringify({ [KEPT]: null }) });
    const post = (path: string, body: unknown) => postFuel(t, path, body);
    await post('installation_structure', structure('installation-structure-full-9.0.json', FULL, KEPT));
    await post('installation_structure', structure('installation-structure-two-clusters.json', TWO, KEPT, (s) => {
      s.clusters[0].attributes.kernel_params = AWKWARD;
    }));
    await post('installation_structure', structure('installation-structure-two-clusters.json', OTHER, DROPPED));
    const logs = fx<{ body: { action_logs: Obj[] } }>('action-logs-failed-deployments.json').body.action_logs;
    await post('action_logs', { action_logs: logs.map((r) => ({ ...r, master_node_uid: FULL })) });
    await t.runtime.catchUp(FUEL_PROJECTORS);
  });
  afterAll(async () => t?.close());

  const csv = async (path: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/csv/${path}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.body);
    const uid = header.indexOf('master_node_uid');
    const ours = rows.filter((r) => [FULL, TWO, OTHER].includes(r[uid]));
    return { res, header, rows: ours, col: (row: string[], name: string) => row[header.indexOf(name)] };
  };

  it('clusters.csv: exact header, one row per environment of kept installations, verify_networks_status, quoting', async () => {
    const { res, header, rows, col } = await csv('clusters?from_date=2016-01-01');
    expect(res.headers['content-disposition']).toBe('attachment; filename=clusters.csv');
    expect(header).toEqual(headers['clusters.csv']);
    expect(rows.every((r) => r.length === 97)).toBe(true);
    const byKey = Object.fromEntries(rows.map((r) => [`${col(r, 'master_node_uid')}/${col(r, 'id')}`, r]));
    expect(Object.keys(byKey).sort()).toEqual([`${FULL}/1`, `${TWO}/29`, `${TWO}/32`].sort()); // OTHER is filtered
    const full = byKey[`${FULL}/1`];
    expect(col(full, 'status')).toBe('operational');
    expect(col(full, 'release.os')).toBe('Ubuntu');
    expect(col(full, 'structure.fuel_release.release')).toBe(KEPT);
    expect(col(full, 'structure.fuel_release.build_id')).toBe('495');
    expect(col(full, 'structure.user_information.email')).toBe(''); // moved to the contact store on ingest (fuelstats.md §3.6)
    expect(col(full, 'verify_networks_status')).toBe('ready'); // action log 104, ended 2016-06-01
    expect(col(full, 'creation_date')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$/);
    expect(col(full, 'modification_date')).toBe('');
    expect(col(byKey[`${TWO}/29`], 'attributes.kernel_params')).toBe(AWKWARD);
    expect(col(byKey[`${TWO}/29`], 'structure.fuel_release.feature_groups.0')).toBe('experimental');
    expect(res.body).toContain(`"console=tty0, ""quiet""\r\nnext"`);
    // verify_networks_status only counts tasks ending inside [from, to]
    const later = await csv('clusters?from_date=2016-06-02');
    expect(later.col(later.rows.find((r) => later.col(r, 'master_node_uid') === FULL)!, 'verify_networks_status')).toBe('');
  });

  it('nodes.csv: 522 columns, one row per node, lists, counts and the 4 trailing columns', async () => {
    const { header, rows, col } = await csv('nodes');
    expect(header).toEqual(headers['nodes.csv']);
    expect(rows).toHaveLength(7); // 3 (full 9.0) + 4 (two clusters); the filtered copy contributes none
    const node2 = rows.find((r) => col(r, 'master_node_uid') === FULL && col(r, 'id') === '2')!;
    expect([col(node2, 'roles.0'), col(node2, 'roles.1'), col(node2, 'roles.2')]).toEqual(['compute', 'ceph-osd', '']);
    expect(col(node2, 'meta.system.manufacturer')).toBe('Dell Inc.');
    expect(col(node2, 'meta.system.product')).toBe('PowerEdge R630');
    expect(col(node2, 'cluster_id')).toBe('1');
    expect(col(node2, 'status')).toBe('ready');
    const packages = fx<Obj>('installation-structure-full-9.0.json').installation_structure.fuel_packages as string[];
    expect(col(node2, 'structure.fuel_packages')).toBe(packages.join(' '));
    const n33 = rows.find((r) => col(r, 'id') === '33')!;
    expect([col(n33, 'roles.0'), col(n33, 'roles.1'), col(n33, 'roles.2'), col(n33, 'cluster_id')]).toEqual(['a', 'b', 'c', '29']);
  });

  it('plugins.csv: one row per installed plugin', async () => {
    const { header, rows, col } = await csv('plugins');
    expect(header).toEqual(headers['plugins.csv']);
    expect(rows).toHaveLength(1);
    expect(col(rows[0], 'name')).toBe('fuel-plugin-example');
    expect(col(rows[0], 'version')).toBe('1.0.0');
    expect(col(rows[0], 'master_node_uid')).toBe(FULL);
  });

  it('date window: installations created today are outside an old window; bad dates → 400 envelope', async () => {
    const old = await csv('nodes?from_date=2016-01-01&to_date=2016-12-31');
    expect(old.rows).toHaveLength(0);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/csv/nodes?to_date=2016-13-01', headers: t.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ status: 'error', message: "Date 'to_date' value in wrong format. Use format: %Y-%m-%d" });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/csv/security_group', headers: t.auth });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().status).toBe('error');
  });

  it('fuelstats.md §6 reports leave the filtered installation out too', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/json/report/node_roles?node_status=any&release=${DROPPED}`, headers: t.auth });
    expect(res.json()).toMatchObject({ population: { installations: 0 }, total_nodes: 0 });
    const kept = await t.app.inject({ method: 'GET', url: `/api/v1/json/report/node_roles?node_status=any&release=${KEPT}`, headers: t.auth });
    expect(kept.json()).toMatchObject({ population: { installations: 2 }, total_nodes: 7 });
  });

  it('needs the admin credential', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/csv/clusters' })).statusCode).toBe(401);
  });

  describe('/json/report/installations (fuelstats.md §5.7)', () => {
    const report = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/json/report/installations?${query}`, headers: t.auth });
      expect(res.statusCode).toBe(200);
      return res.json();
    };

    it('counts kept installations of a release; filtered ones never count', async () => {
      // FULL: 1 operational cluster (kvm? see attributes), 3 nodes; TWO: clusters 29 (new, 3 nodes) and 32 (operational, 1 node)
      const body = await report(`release=${KEPT}&refresh=1`);
      expect(body.installations).toEqual({ count: 2, environments_num: { '1': 1, '2': 1 } });
      expect(body.environments).toMatchObject({
        count: 3,
        operable_envs_count: 2,
        statuses: { operational: 2, new: 1 },
        nodes_num: { '1': 1, '3': 1 },
        oses_num: { centos: 1, ubuntu: 1 },
      });
      expect(await report(`release=${DROPPED}`)).toMatchObject({ installations: { count: 0, environments_num: {} }, environments: { count: 0 } });
    });

    it('is cached per release for an hour; refresh=1 recomputes', async () => {
      const rel = `cache-${RUN}`;
      const insert = (uid: string) =>
        t.db.query(
          `INSERT INTO fuel_installations (master_node_uid, structure, creation_date, is_filtered, release, last_event_id)
           VALUES ($1, '{"clusters": [{}], "clusters_num": 1}', now(), false, $2, $3)`,
          [uid, rel, randomUUID()],
        );
      await insert(`c1-${RUN}`);
      expect((await report(`release=${rel}`)).installations.count).toBe(1);
      await insert(`c2-${RUN}`);
      expect((await report(`release=${rel}`)).installations.count).toBe(1);
      expect((await report(`release=${rel}&refresh=1`)).installations.count).toBe(2);
    });
  });
});
