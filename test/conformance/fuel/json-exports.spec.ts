import { randomUUID } from 'node:crypto';
import { FuelSchemaId, FuelSchemas } from '../../../src/sources/fuel/fuel-schemas';
import { startTestApp, TestApp } from '../../support/app';
import { readFixture } from '../../support/fixtures';
import { postFuel } from '../../support/fuel';

const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];
const fx = <T>(name: string) => readFixture<T>(`fuelstats/${name}`);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kafka mode: this run's rows carry their own uids and release tags. */
const RUN = randomUUID().slice(0, 8);
const KEPT = `kept-${RUN}`;
const DROPPED = `dropped-${RUN}`;
const FULL = `full-${RUN}`;
const FULL2 = `full2-${RUN}`;
const TWO = `x-${RUN}`;
const OTHER = `xx-${RUN}`;
/** Action logs bulk-inserted for one installation, so a page spans several of the repository's chunks. */
const MANY_UID = `many-${RUN}`;
const MANY = 1200;

function structure(name: string, uid: string, release: string): Obj {
  const s = structuredClone(fx<Obj>(name).installation_structure);
  s.master_node_uid = uid;
  s.fuel_release = { api: '1', feature_groups: [], ...s.fuel_release, release };
  return { installation_structure: s };
}

/**
 * Spec fuelstats.md §5.6 JSON exports, fuelstats.md §6.0 privacy floor and the fuelstats.md §5 analytics network rule, on one app started with
 * REPORT_MIN_INSTALLATIONS=2 and TRUSTED_PROXIES=1 (so X-Forwarded-For names the client; without it the
 * client is the loopback socket).
 */
describe('Fuel JSON exports /api/v1/json/* (spec fuelstats.md §5.6), privacy floor (fuelstats.md §6.0), analytics networks (fuelstats.md §5)', () => {
  let t: TestApp;
  const schemas = new FuelSchemas();
  beforeAll(async () => {
    t = await startTestApp({ FUEL_FILTERING_RULES: JSON.stringify({ [KEPT]: null }), REPORT_MIN_INSTALLATIONS: '2', TRUSTED_PROXIES: '1' });
    const post = (path: string, body: unknown) => postFuel(t, path, body);
    await post('installation_structure', structure('installation-structure-full-9.0.json', FULL, KEPT));
    await post('installation_structure', structure('installation-structure-full-9.0.json', FULL2, KEPT));
    await post('installation_structure', structure('installation-structure-two-clusters.json', TWO, KEPT));
    await post('installation_structure', structure('installation-structure-two-clusters.json', OTHER, DROPPED));
    const http = fx<{ action_logs: Obj[] }>('action-logs-http-requests-minimal.json').action_logs;
    await post('action_logs', { action_logs: http.map((r) => ({ ...r, master_node_uid: FULL })) });
    await post('oswl_stats', { oswl_stats: fx<{ body: { oswl_stats: Obj[] } }>('oswl-stats-realistic.json').body.oswl_stats.map((r) => ({ ...r, master_node_uid: FULL })) });
    await post('oswl_stats', { oswl_stats: fx<{ body: { oswl_stats: Obj[] } }>('oswl-stats-minimal.json').body.oswl_stats.map((r) => ({ ...r, master_node_uid: TWO })) });
    await t.runtime.catchUp(FUEL_PROJECTORS);
    await t.db.query(
      `INSERT INTO fuel_action_logs (master_node_uid, external_id, action_type, action_name, body, event_id, received_at)
       SELECT $1, g, 'http_request', 'cluster_collection', jsonb_build_object('id', g), gen_random_uuid(), now() FROM generate_series(1, $2::int) g`,
      [MANY_UID, MANY],
    );
  });
  afterAll(async () => t?.close());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/${path}`, headers: { ...t.auth, ...headers } });
    return { status: res.statusCode, body: res.json() };
  };
  const valid = (id: FuelSchemaId, body: unknown) => expect(schemas.check(id, body)).toBeNull();
  const paging = (p: object) => `paging_params=${encodeURIComponent(JSON.stringify(p))}`;

  describe('fuelstats.md §5.6', () => {
    it('installation_info/<uid>: the stored row; unknown uid → 404 error body', async () => {
      const { status, body } = await get(`json/installation_info/${FULL}`);
      expect(status).toBe(200);
      valid('fuel/installation-info-response.v1', body);
      expect(body).toMatchObject({ master_node_uid: FULL, is_filtered: false, release: KEPT, modification_date: null });
      expect(body.structure.master_node_uid).toBe(FULL);
      expect(body.structure.user_information).toEqual({ contact_info_provided: true }); // contact moved out on ingest (fuelstats.md §3.6)
      expect(body.creation_date).toMatch(new RegExp(`^${new Date().toISOString().slice(0, 10)}T`));
      const unknown = await get(`json/installation_info/nobody-${RUN}`);
      expect(unknown.status).toBe(404);
      valid('fuel/error-response.v1', unknown.body);
    });

    it('oswls/<uid>: rows by id with paging_params echoed; one type; paging', async () => {
      const all = await get(`json/oswls/${FULL}`);
      valid('fuel/oswls-response.v1', all.body);
      expect(all.body.paging_params).toEqual({ limit: 1000, offset: 0, total: 6 });
      expect(all.body.objs.map((o: Obj) => [o.external_id, o.resource_type])).toEqual([[11, 'vm'], [12, 'flavor'], [13, 'volume'], [14, 'image'], [15, 'tenant'], [16, 'keystone_user']]);
      expect(all.body.objs[0]).toMatchObject({ master_node_uid: FULL, cluster_id: 1, created_date: '2016-06-01', updated_time: '15:51:11.690102', resource_checksum: '2f1e4c0a9f5e7d3b1a0c8e6f4d2b0a9c8e7f6d5c' });
      expect(all.body.objs[2].version_info).toBeNull();
      const ids = all.body.objs.map((o: Obj) => o.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);

      const page = await get(`json/oswls/${FULL}?${paging({ limit: 2, offset: 1 })}`);
      expect(page.body).toEqual({ paging_params: { limit: 2, offset: 1, total: 6 }, objs: all.body.objs.slice(1, 3) });

      const vms = await get(`json/oswls/${TWO}/vm`);
      valid('fuel/oswls-response.v1', vms.body);
      expect(vms.body.paging_params.total).toBe(3);
      expect(vms.body.objs.map((o: Obj) => o.external_id)).toEqual([2, 3, 4]);
      expect(vms.body.objs[2].version_info).toEqual({ fuel_version: '7.0', openstack_version: null });
      expect((await get(`json/oswls/${TWO}/flavor`)).body).toEqual({ paging_params: { limit: 1000, offset: 0, total: 0 }, objs: [] });
      expect((await get(`json/oswls/nobody-${RUN}`)).body).toEqual({ paging_params: { limit: 1000, offset: 0, total: 0 }, objs: [] });
    });

    it('action_logs/<uid>: rows with the body as an object', async () => {
      const { body } = await get(`json/action_logs/${FULL}`);
      valid('fuel/action-logs-export-response.v1', body);
      expect(body.paging_params.total).toBe(3);
      expect(body.objs.map((o: Obj) => [o.external_id, o.action_type, o.action_name, o.body.cluster_id])).toEqual([[0, 'http_request', '', 5], [1, 'http_request', '', 5], [2, 'http_request', '', 5]]);
    });

    it('paging over many rows: defaults (1000), offset + limit across chunks, unparseable → defaults', async () => {
      const first = await get(`json/action_logs/${MANY_UID}`);
      expect(first.body.paging_params).toEqual({ limit: 1000, offset: 0, total: MANY });
      expect(first.body.objs.map((o: Obj) => o.external_id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      const tail = await get(`json/action_logs/${MANY_UID}?${paging({ limit: 1100, offset: 50 })}`);
      expect(tail.body.paging_params).toEqual({ limit: 1100, offset: 50, total: MANY });
      expect(tail.body.objs.map((o: Obj) => o.external_id)).toEqual(Array.from({ length: 1100 }, (_, i) => i + 51)); // 51 … 1150
      const last = await get(`json/action_logs/${MANY_UID}?${paging({ limit: 1000, offset: 1150 })}`);
      expect(last.body.objs.map((o: Obj) => o.external_id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1151));
      const zero = await get(`json/action_logs/${MANY_UID}?${paging({ limit: 0 })}`);
      expect(zero.body.objs).toEqual([]);
      for (const junk of ['paging_params=nonsense', 'paging_params=%5B1%5D', `${paging({ limit: -5, offset: 'x' })}`]) {
        const r = await get(`json/action_logs/${MANY_UID}?${junk}`);
        expect(r.body.paging_params).toEqual({ limit: 1000, offset: 0, total: MANY });
        expect(r.body.objs).toHaveLength(1000);
      }
    });

    it('installation_infos/filtered: only the filtered installation', async () => {
      const { body } = await get('json/installation_infos/filtered');
      valid('fuel/installation-infos-filtered-response.v1', body);
      expect(body.paging_params).toEqual({ limit: 1000, offset: 0, total: 1 });
      expect(body.objs.map((o: Obj) => [o.master_node_uid, o.is_filtered, o.release])).toEqual([[OTHER, true, DROPPED]]);
    });

    it('summary: counts; an installation without a filtered flag counts as not filtered', async () => {
      const before = await get('json/summary');
      valid('fuel/summary-response.v1', before.body);
      expect(before.body).toEqual({ installation_structures: { total: 4, not_filtered: 3, filtered: 1 }, action_logs: { total: 3 + MANY }, oswl_stats: { total: 9 } });
      // Our schema never writes NULL (the flag is computed at every upsert); rows carried over from an upstream
      // database may have it. This throw-away test database lifts the constraint to store one.
      await t.db.query('ALTER TABLE fuel_installations ALTER COLUMN is_filtered DROP NOT NULL');
      await t.db.query(
        `INSERT INTO fuel_installations (master_node_uid, structure, creation_date, is_filtered, release, last_event_id) VALUES ($1, '{}', now(), NULL, NULL, $2)`,
        [`legacy-${RUN}`, randomUUID()],
      );
      const after = await get('json/summary');
      expect(after.body.installation_structures).toEqual({ total: 5, not_filtered: 4, filtered: 1 });
    });

    it('the response schemas are published in the OpenAPI document as components of schemas/fuel', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json();
      const ok = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema;
      const component = (schema: { $ref: string }) => doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
      expect(ok('/api/v1/json/summary')).toEqual({ $ref: '#/components/schemas/fuel.summary-response.v1' });
      expect(Object.keys(component(ok('/api/v1/json/summary')).properties)).toEqual(['installation_structures', 'action_logs', 'oswl_stats']);
      const filtered = component(ok('/api/v1/json/installation_infos/filtered'));
      expect(filtered.properties.paging_params).toEqual({ $ref: '#/components/schemas/fuel.paging-params.v1' });
      expect(component(filtered.properties.paging_params).required).toEqual(['limit', 'offset', 'total']);
      expect(component(filtered.properties.objs.items).properties.modification_date).toMatchObject({ type: ['string', 'null'] });
    });

    it('needs the admin credential', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/json/summary' });
      expect(res.statusCode).toBe(401);
      expect(res.json().status).toBe('error');
    });
  });

  describe('fuelstats.md §6.0 REPORT_MIN_INSTALLATIONS=2', () => {
    it('R6: buckets of one installation merge into "other" (FULL and FULL2 share theirs; TWO\'s roles are its own)', async () => {
      const { body } = await get(`json/report/node_roles?release=${KEPT}&node_status=any`);
      expect(body.population).toEqual({ installations: 3 });
      // roles: controller ×2, compute ×4, ceph-osd ×4 (FULL, FULL2); a 1, b 2, c 3, s 1 (TWO only) → other 7
      expect(body.by_role).toEqual({ other: 7, 'ceph-osd': 4, compute: 4, controller: 2 });
      expect(Object.keys(body.by_role)).toEqual(['other', 'ceph-osd', 'compute', 'controller']);
      // combinations: ceph-osd+compute 4, controller 2; TWO's a+b+c, b+c, c, s → other 4
      expect(body.by_combination).toEqual({ 'ceph-osd+compute': 4, other: 4, controller: 2 });
      expect([body.combined_nodes, body.total_nodes]).toEqual([6, 10]);
    });

    it('R1: the CentOS environment of TWO alone becomes "other"; the console page shows it', async () => {
      const { body } = await get(`json/report/os?release=${KEPT}`);
      expect(body).toMatchObject({ environments: { ubuntu: 2, other: 1 }, nodes: { ubuntu: 6 }, total_environments: 3 });
      const page = await t.app.inject({ method: 'GET', url: `/console/fuel/reports?report=os&release=${KEPT}`, headers: { ...t.auth, accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<td>other<\/td><td>1<\/td>/);
      expect(page.body).not.toContain('<td>centos</td>');
    });
  });

  describe('fuelstats.md §5 ANALYTICS_ALLOWED_CIDRS (default loopback + RFC 1918)', () => {
    // TRUSTED_PROXIES=1: the client is the address our one proxy appended (the last hop); earlier hops are the client's word.
    const paths = ['json/summary', `json/installation_info/${FULL}`, 'csv/vm', 'csv/all', 'csv/clusters', 'json/report/os', 'json/report/installations'];
    it.each(paths)('%s: 403 error body for an outside client, even one claiming a private address; served to private networks', async (path) => {
      const from = (xff: string) => t.app.inject({ method: 'GET', url: `/api/v1/${path}`, headers: { ...t.auth, 'x-forwarded-for': xff } });
      const outside = await from('10.1.1.1, 203.0.113.7');
      expect(outside.statusCode).toBe(403);
      valid('fuel/error-response.v1', outside.json());
      expect((await from('203.0.113.7, 10.20.30.40')).statusCode).toBe(200);
    });

    it('the credential is checked first: no credential → 401 wherever the client is', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/json/summary', headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(res.statusCode).toBe(401);
    });
  });
});
