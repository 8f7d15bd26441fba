import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startTestApp, TestApp } from '../../support/app';
import { readFixture } from '../../support/fixtures';
import { KAFKA_BROKERS, eventually } from '../../support/database';
import { renameMasterNodeUids } from '../../support/fuel';

/** Only our projectors: in Kafka mode the archiver re-reads every stream's history into each fresh database. */
const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];
import { FuelSchemaId, FuelSchemas } from '../../../src/sources/fuel/fuel-schemas';
import { LogUnavailable } from '../../../src/common/errors';
import { EventLog } from '../../../src/event-log/event-log';
import { ClaimsRepository } from '../../../src/sources/fuel/intake/claims.repository';

type Invalid = { note: string; body: unknown; expect: number };
type Body = Record<string, unknown>;
type LogRecord = { master_node_uid: string; external_id: number; body: Body };

const fx = <T>(name: string) => readFixture<T>(`fuelstats/${name}`);
const JSON_HEADERS = { 'content-type': 'application/json', 'master-node-uid': 'x' };
/** Kafka mode: topics outlive each test database and are projected from the beginning, so every uid is per run. */
const RUN = randomUUID().slice(0, 8);
const u = (uid: string) => (uid.endsWith(`-${RUN}`) ? uid : `${uid}-${RUN}`);
const rekey = <T>(v: T): T => renameMasterNodeUids(v, u);

/** Spec fuelstats.md §2–§3: the collector endpoints, statuses, envelopes and stored effects. */
describe('Fuel collector /api/v1/ (spec fuelstats.md §2, §3)', () => {
  let t: TestApp;
  let schemas: FuelSchemas;
  beforeAll(async () => {
    t = await startTestApp();
    schemas = t.app.get(FuelSchemas);
  });
  afterAll(async () => t?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
    t.app.inject({ method: 'POST', url: `/api/v1/${path}`, headers, payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(rekey(body)) });
  /** event_log rows of a key (Kafka mode: written by the archiver, asynchronously). */
  const loggedPayloads = async (key: string, count: number) => {
    const read = () => t.db.query<{ payload: string }>(`SELECT payload::text AS payload FROM event_log WHERE key = $1`, [key]);
    await eventually(async () => (await read()).length >= count, 100_000, `event_log rows for ${key}`);
    return read();
  };
  const conforms = (id: FuelSchemaId, body: unknown) => expect(schemas.check(id, body)).toBeNull();
  const expectError = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/json');
    const body = res.json() as Body;
    conforms('fuel/error-response.v1', body);
    return body;
  };
  /** Re-keys fixture records onto a uid of this test so tests do not see each other's rows. */
  const withUid = (records: LogRecord[], uid: string) => records.map((r) => ({ ...r, master_node_uid: uid }));
  const statusById = (body: Body, key = 'action_logs', id = 'external_id') =>
    Object.fromEntries((body[key] as Body[]).map((r) => [String(r[id]), r.status]));

  describe('GET ping (fuelstats.md §2)', () => {
    it.each(['/api/v1/ping/', '/api/v1/ping', '/api/v1/ping/?x=1'])('%s → 200 ok with exec_time', async (url) => {
      const res = await t.app.inject({ method: 'GET', url, payload: 'ignored' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      conforms('fuel/ok-response.v1', body);
      expect(body.status).toBe('ok');
      expect(body.exec_time).toBeGreaterThanOrEqual(0);
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('%s on ping → 405 with Allow and the error envelope', async (method) => {
      for (const url of ['/api/v1/ping/', '/api/v1/ping']) {
        const res = await t.app.inject({ method, url, headers: JSON_HEADERS, payload: '{}' });
        const body = expectError(res, 405);
        expect(body.status).toBe('error');
        expect(String(res.headers.allow)).toContain('GET');
      }
    });
  });

  describe('wrong methods and unknown paths', () => {
    const resources = ['action_logs', 'installation_structure', 'oswl_stats', 'ostf_runs'];
    it.each(['GET', 'PUT', 'PATCH', 'DELETE'] as const)('%s on the POST resources → 405 Allow: POST', async (method) => {
      for (const r of resources) {
        for (const url of [`/api/v1/${r}/`, `/api/v1/${r}`]) {
          const res = await t.app.inject({ method, url, headers: JSON_HEADERS, payload: method === 'GET' ? undefined : '{}' });
          expectError(res, 405);
          expect(res.headers.allow).toBe('POST');
        }
      }
    });

    it.each(['/api/v1/nothing', '/api/v1/nothing/', '/api/v1/action_logs/x', '/api/v1/'])('%s → 404 envelope', async (url) => {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url, headers: JSON_HEADERS, payload: method === 'POST' ? '{}' : undefined });
        const body = expectError(res, 404);
        expect(body).toEqual({ status: 'error', message: expect.any(String) });
      }
    });
  });

  describe('request rules (fuelstats.md §2.1)', () => {
    const valid = fx<Body>('action-logs-http-requests-minimal.json');

    it.each([
      ['text/plain', 400],
      ['application/x-www-form-urlencoded', 400],
      ['', 400],
    ])('Content-Type "%s" → %d', async (ct, status) => {
      const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
      expectError(await post('action_logs/', valid, headers), status);
    });

    it('accepts application/json with parameters', async () => {
      const body = { action_logs: withUid(valid.action_logs as LogRecord[], u('ct-params')) };
      const res = await post('action_logs/', body, { 'content-type': 'Application/JSON; charset=utf-8' });
      expect(res.statusCode).toBe(200);
    });

    it.each([
      ['invalid JSON', '{"action_logs": ['],
      ['JSON null', 'null'],
      ['JSON array', '[]'],
      ['JSON string', '"x"'],
      ['empty body', ''],
    ])('%s → 400', async (_note, payload) => {
      for (const path of ['action_logs/', 'installation_structure/', 'oswl_stats/', 'ostf_runs/']) {
        expectError(await post(path, payload), 400);
      }
    });

    it('invalid UTF-8 → 400', async () => {
      expectError(await post('action_logs/', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), 400);
    });

    it('gzip Content-Encoding is decoded', async () => {
      const body = { action_logs: withUid(valid.action_logs as LogRecord[], u('gzip-uid')) };
      const res = await post('action_logs/', gzipSync(JSON.stringify(body)), { ...JSON_HEADERS, 'content-encoding': 'gzip' });
      expect(res.statusCode).toBe(200);
      expect(Object.values(statusById(res.json()))).toEqual(['added', 'added', 'added']);
    });

    it('broken gzip → 400', async () => {
      expectError(await post('action_logs/', Buffer.from('not gzip'), { ...JSON_HEADERS, 'content-encoding': 'gzip' }), 400);
    });

    it('more than 32 MiB decompressed → 413 envelope (gzip bomb and plain)', async () => {
      const big = `{"action_logs": [], "pad": "${'a'.repeat(32 * 1024 * 1024)}"}`;
      expectError(await post('action_logs/', gzipSync(big), { ...JSON_HEADERS, 'content-encoding': 'gzip' }), 413);
      expectError(await post('action_logs/', big), 413);
    });
  });

  describe('POST action_logs (fuelstats.md §3.2)', () => {
    it('http requests: 3 added, then existed on resend (with and without trailing slash)', async () => {
      const body = fx<Body>('action-logs-http-requests-minimal.json');
      const first = await post('action_logs/', body);
      expect(first.statusCode).toBe(200);
      conforms('fuel/action-logs-response.v1', first.json());
      expect(statusById(first.json())).toEqual({ 0: 'added', 1: 'added', 2: 'added' });
      const again = await post('action_logs', body);
      expect(again.statusCode).toBe(200);
      expect(statusById(again.json())).toEqual({ 0: 'existed', 1: 'existed', 2: 'existed' });
      for (const item of again.json().action_logs) expect(Object.keys(item).sort()).toEqual(['external_id', 'master_node_uid', 'status']);
    });

    it('empty array → ok with empty list', async () => {
      const res = await post('action_logs/', { action_logs: [] });
      expect(res.statusCode).toBe(200);
      conforms('fuel/action-logs-response.v1', res.json());
      expect(res.json().action_logs).toEqual([]);
    });

    it('duplicates fixture: 5 added, then 5 existed + 3 added with exactly 8 entries, first write wins', async () => {
      const d = fx<{ first: { action_logs: LogRecord[] }; second: { action_logs: LogRecord[] } }>('action-logs-duplicates.json');
      const uid = u('dup-uid');
      const first = await post('action_logs/', { action_logs: withUid(d.first.action_logs, uid) });
      expect(Object.values(statusById(first.json())).sort()).toEqual(['added', 'added', 'added', 'added', 'added']);
      // second carries a changed body for id 0: it must not replace the stored row
      const second = withUid(d.second.action_logs, uid).map((r) => (r.external_id === 0 ? { ...r, body: { ...r.body, action_name: 'changed' } } : r));
      const res = await post('action_logs/', { action_logs: second });
      expect(res.statusCode).toBe(200);
      conforms('fuel/action-logs-response.v1', res.json());
      const entries = res.json().action_logs as Body[];
      expect(entries).toHaveLength(8);
      expect(statusById(res.json())).toEqual({ 0: 'existed', 1: 'existed', 2: 'existed', 3: 'existed', 4: 'existed', 5: 'added', 6: 'added', 7: 'added' });
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query<{ n: number; renamed: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE action_name = 'changed')::int AS renamed FROM fuel_action_logs WHERE master_node_uid = $1`,
        [uid],
      );
      expect(rows[0]).toEqual({ n: 8, renamed: 0 });
    });

    it('in-request duplicates collapse: last occurrence wins, one result per key', async () => {
      const base = fx<Body>('action-logs-http-requests-minimal.json').action_logs as LogRecord[];
      const uid = u('collapse-uid');
      const a = { ...base[0], master_node_uid: uid, body: { ...base[0].body, action_name: 'first' } };
      const b = { ...base[0], master_node_uid: uid, body: { ...base[0].body, action_name: 'last' } };
      const res = await post('action_logs/', { action_logs: [a, b] });
      expect(res.json().action_logs).toEqual([{ master_node_uid: uid, external_id: 0, status: 'added' }]);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query<{ action_name: string }>(`SELECT action_name FROM fuel_action_logs WHERE master_node_uid = $1`, [uid]);
      expect(rows).toEqual([{ action_name: 'last' }]);
    });

    it('incomplete tasks: end_timestamp null → skipped and not stored; later with an end time → added', async () => {
      const f = fx<{ body: { action_logs: LogRecord[] } }>('action-logs-incomplete-tasks.json');
      const uid = u('incomplete-uid');
      const records = withUid(f.body.action_logs, uid);
      const res = await post('action_logs/', { action_logs: records });
      expect(res.statusCode).toBe(200);
      conforms('fuel/action-logs-response.v1', res.json());
      const statuses = statusById(res.json());
      const expected = Object.fromEntries(records.map((r) => [String(r.external_id), r.body.end_timestamp === null ? 'skipped' : 'added']));
      expect(statuses).toEqual(expected);
      expect(statuses['0']).toBe('skipped');
      expect(statuses['3']).toBe('skipped');
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const stored = await t.db.query<{ external_id: string }>(
        `SELECT external_id::text FROM fuel_action_logs WHERE master_node_uid = $1 ORDER BY external_id`,
        [uid],
      );
      expect(stored.map((r) => r.external_id)).not.toContain('0');
      expect(stored.map((r) => r.external_id)).not.toContain('3');
      expect(await loggedPayloads(uid, records.length - 2)).toHaveLength(records.length - 2);
      const finished = { ...records[0], body: { ...records[0].body, end_timestamp: '2' } };
      const later = await post('action_logs/', { action_logs: [finished] });
      expect(later.json().action_logs).toEqual([{ master_node_uid: uid, external_id: 0, status: 'added' }]);
    });

    it('missing end_timestamp key and "" are treated like null (fuelstats.md §2.2)', async () => {
      const uid = u('missing-end');
      const res = await post('action_logs/', {
        action_logs: [
          { master_node_uid: uid, external_id: 1, body: { action_type: 'nailgun_task', action_name: 'deploy' } },
          { master_node_uid: uid, external_id: 2, body: { action_type: 'nailgun_task', action_name: 'deploy', end_timestamp: '' } },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(statusById(res.json())).toEqual({ 1: 'skipped', 2: 'skipped' });
    });

    it('columns copy fixture: action_type/action_name copied into columns', async () => {
      const f = fx<{ body: Body; expect: Record<string, string> }>('action-logs-columns-copy.json');
      const res = await post('action_logs/', f.body);
      expect(statusById(res.json())).toEqual(f.expect);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query(`SELECT external_id::int, action_type, action_name, body->>'id' AS body_id FROM fuel_action_logs WHERE master_node_uid = $1`, [u('xx')]);
      expect(rows).toEqual([{ external_id: 2, action_type: 'http_request', action_name: '', body_id: '2' }]);
    });

    it('failed deployments fixture: statuses as expected; event id derived from the natural key', async () => {
      const f = fx<{ body: Body; expect_statuses: Record<string, string> }>('action-logs-failed-deployments.json');
      const res = await post('action_logs/', f.body);
      expect(res.statusCode).toBe(200);
      expect(statusById(res.json())).toEqual(f.expect_statuses);
      expect(statusById(res.json())['116']).toBe('skipped');
    });

    it.each(fx<Invalid[]>('action-logs-invalid.json').map((c) => [c.note, c] as const))('invalid: %s → 400 envelope', async (_n, c) => {
      const body = expectError(await post('action_logs/', c.body), c.expect);
      expect(body.message).toMatch(/\//); // names the JSON pointer
    });

    it('mixed batch (new + duplicate + invalid) fails as a whole → 400, nothing stored', async () => {
      const uid = u('mixed-uid');
      const ok = { master_node_uid: uid, external_id: 1, body: { action_type: 'http_request', end_timestamp: '1' } };
      await post('action_logs/', { action_logs: [ok] });
      const res = await post('action_logs/', {
        action_logs: [ok, { ...ok, external_id: 2 }, { master_node_uid: uid, external_id: 'x', body: { action_type: 'http_request' } }],
      });
      expectError(res, 400);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fuel_action_logs WHERE master_node_uid = $1`, [uid]);
      expect(rows[0].n).toBe(1);
    });

    it('secret-named keys are removed from additional_info before the log', async () => {
      const uid = u('secret-log');
      const res = await post('action_logs/', {
        action_logs: [
          {
            master_node_uid: uid,
            external_id: 1,
            body: {
              action_type: 'nailgun_task',
              end_timestamp: '2',
              additional_info: { output: { nodes: [{ uid: '1', admin_password: 'pw', ssh_key: 'k', keystone: 'kept' }] }, message: null },
            },
          },
        ],
      });
      expect(statusById(res.json())).toEqual({ 1: 'added' });
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const [row] = await t.db.query<{ body: Body }>(`SELECT body FROM fuel_action_logs WHERE master_node_uid = $1`, [uid]);
      expect(row.body.additional_info).toEqual({ output: { nodes: [{ uid: '1', keystone: 'kept' }] }, message: null });
      const [logged] = await loggedPayloads(uid, 1);
      expect(logged.payload).not.toContain('admin_password');
      expect(logged.payload).not.toContain('ssh_key');
    });
  });

  describe('POST installation_structure (fuelstats.md §3.3)', () => {
    it('create → 201, update → 200, stored copy replaced, modification date set', async () => {
      const f = fx<{ create: Body; update: Body }>('installation-structure-create-then-update.json');
      const created = await post('installation_structure/', f.create);
      expect(created.statusCode).toBe(201);
      conforms('fuel/ok-response.v1', created.json());
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const [before] = await t.db.query<{ structure: Body; modification_date: unknown }>(
        `SELECT structure, modification_date FROM fuel_installations WHERE master_node_uid = $1`,
        [u('xx')],
      );
      expect(before.structure).toEqual(rekey(f.create as { installation_structure: Body }).installation_structure);
      expect(before.modification_date).toBeNull();
      const updated = await post('installation_structure', f.update);
      expect(updated.statusCode).toBe(200);
      conforms('fuel/ok-response.v1', updated.json());
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query<{ structure: Body; modified: boolean; kept: boolean; versions: number }>(
        `SELECT structure, modification_date IS NOT NULL AS modified, creation_date <= modification_date AS kept,
                (SELECT count(*)::int FROM fuel_installation_versions v WHERE v.master_node_uid = i.master_node_uid) AS versions
           FROM fuel_installations i WHERE master_node_uid = $1`,
        [u('xx')],
      );
      expect(rows).toEqual([{ structure: rekey(f.update as { installation_structure: Body }).installation_structure, modified: true, kept: true, versions: 2 }]);
      expect((rows[0].structure as { unallocated_nodes_num: number }).unallocated_nodes_num).toBe(5);
    });

    it('two clusters fixture → 201; clusters and node roles projected', async () => {
      const body = fx<{ installation_structure: Body }>('installation-structure-two-clusters.json');
      const res = await post('installation_structure/', body);
      expect(res.statusCode).toBe(201);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const uid = u(body.installation_structure.master_node_uid as string);
      const clusters = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fuel_clusters WHERE master_node_uid = $1`, [uid]);
      expect(clusters[0].n).toBe((body.installation_structure.clusters as unknown[]).length);
      const nodes = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fuel_nodes WHERE master_node_uid = $1`, [uid]);
      const expectedNodes = (body.installation_structure.clusters as { nodes: unknown[] }[]).reduce((s, c) => s + c.nodes.length, 0);
      expect(nodes[0].n).toBe(expectedNodes);
    });

    it('fuel_release variants fixture: all accepted (first 201, then 200 for the same uid)', async () => {
      const variants = fx<{ note: string; body: { installation_structure: Body }; expect: number[] }[]>('installation-structure-fuel-release-variants.json');
      expect(variants).toHaveLength(4);
      const statuses: number[] = [];
      for (const v of variants) {
        const res = await post('installation_structure/', { installation_structure: { ...v.body.installation_structure, master_node_uid: u('variants-uid') } });
        expect(v.expect).toContain(res.statusCode);
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 200, 200, 200]);
    });

    it.each(fx<Invalid[]>('installation-structure-invalid.json').map((c) => [c.note, c] as const))('invalid: %s → 400', async (_n, c) => {
      expectError(await post('installation_structure/', c.body), c.expect);
    });

    it('9.0 sanitising: secrets, node name, fqdn/serial/uuid, mac and contact gone from the stored structure AND the event log', async () => {
      const body = fx<{ installation_structure: Body }>('installation-structure-full-9.0.json');
      const uid = u(body.installation_structure.master_node_uid as string);
      const res = await post('installation_structure/', body);
      expect(res.statusCode).toBe(201);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const [row] = await t.db.query<{ structure: Body }>(`SELECT structure FROM fuel_installations WHERE master_node_uid = $1`, [uid]);
      const [logged] = await loggedPayloads(uid, 1);
      const stored = JSON.stringify(row.structure);
      for (const text of [stored, logged.payload]) {
        for (const gone of ['"fsid"', '"mon_key"', '"admin_key"', '"bootstrap_osd_key"', '"radosgw_key"', 'AQDMpLJX', '"fqdn"', '"serial"', '"uuid"', '"mac"',
          'Untitled (01:11)', 'Jane Roe', 'jane.roe@example.com', 'Example Corp', 'node-1.test.domain.local', 'SN000001', '52:54:00:01:01:01']) {
          expect([gone, text.includes(gone)]).toEqual([gone, false]);
        }
      }
      expect(row.structure.user_information).toEqual({ contact_info_provided: true });
      const cluster = (row.structure.clusters as Body[])[0];
      expect((cluster.attributes as Body).volumes_ceph).toBe(true);
      expect((cluster.attributes as Body).libvirt_type).toBe('kvm');
      // equals the request minus exactly the listed keys
      const expected = rekey(body.installation_structure) as Body;
      delete (expected.user_information as Body).name;
      delete (expected.user_information as Body).email;
      delete (expected.user_information as Body).company;
      for (const c of expected.clusters as Body[]) {
        for (const k of ['fsid', 'mon_key', 'admin_key', 'bootstrap_osd_key', 'radosgw_key']) delete (c.attributes as Body)[k];
        for (const n of c.nodes as Body[]) {
          delete n.name;
          const meta = n.meta as Body | undefined;
          if (meta?.system) for (const k of ['fqdn', 'serial', 'uuid']) delete (meta.system as Body)[k];
          for (const nic of (meta?.interfaces as Body[] | undefined) ?? []) delete nic.mac;
        }
      }
      expect(row.structure).toEqual(expected);
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
      expect(metrics.body).toMatch(/telemetry_fuel_sanitised_keys_total\{rule="ceph_secret"\} [1-9]/);
      expect(metrics.body).toMatch(/telemetry_fuel_sanitised_keys_total\{rule="user_contact"\} [1-9]/);
    });
  });

  describe('POST oswl_stats (fuelstats.md §3.4)', () => {
    it('minimal fixture: added, then updated on resend (all fields replaced)', async () => {
      const f = fx<{ body: { oswl_stats: Body[] } }>('oswl-stats-minimal.json');
      const first = await post('oswl_stats/', f.body);
      expect(first.statusCode).toBe(200);
      conforms('fuel/oswl-stats-response.v1', first.json());
      expect(statusById(first.json(), 'oswl_stats', 'id')).toEqual({ 2: 'added', 3: 'added', 4: 'added' });
      const changed = { oswl_stats: f.body.oswl_stats.map((r) => ({ ...r, resource_checksum: 'yy' })) };
      const again = await post('oswl_stats', changed);
      expect(again.statusCode).toBe(200);
      conforms('fuel/oswl-stats-response.v1', again.json());
      expect(statusById(again.json(), 'oswl_stats', 'id')).toEqual({ 2: 'updated', 3: 'updated', 4: 'updated' });
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query<{ n: number; yy: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE resource_checksum = 'yy')::int AS yy FROM fuel_oswl WHERE master_node_uid = $1`,
        [u('x')],
      );
      expect(rows[0]).toEqual({ n: 3, yy: 3 });
    });

    it('realistic fixture: one record per resource type, all added', async () => {
      const f = fx<Body>('oswl-stats-realistic.json');
      const body = (f.body ?? f) as { oswl_stats: Body[] };
      const res = await post('oswl_stats/', body);
      expect(res.statusCode).toBe(200);
      const statuses = Object.values(statusById(res.json(), 'oswl_stats', 'id'));
      expect(statuses).toHaveLength(body.oswl_stats.length);
      expect(new Set(statuses)).toEqual(new Set(['added']));
    });

    it('accepts a full datetime in created_date/updated_time (QUIRK) and rejects an impossible date', async () => {
      const rec = { master_node_uid: u('dt'), id: 1, cluster_id: 1, resource_type: 'vm', resource_checksum: 'x',
        created_date: '2016-06-01 10:00:00.123456', updated_time: '2016-06-01T10:00:00', resource_data: { added: [], current: [], removed: [], modified: [] } };
      expect((await post('oswl_stats/', { oswl_stats: [rec] })).statusCode).toBe(200);
      expectError(await post('oswl_stats/', { oswl_stats: [{ ...rec, created_date: '2016-02-30' }] }), 400);
      expectError(await post('oswl_stats/', { oswl_stats: [{ ...rec, created_date: '01.06.2016' }] }), 400);
    });

    it.each(fx<Invalid[]>('oswl-stats-invalid.json').map((c) => [c.note, c] as const))('invalid: %s → 400', async (_n, c) => {
      expectError(await post('oswl_stats/', c.body), c.expect);
    });
  });

  describe('POST ostf_runs (fuelstats.md §3.5)', () => {
    const run = (id: number, status = 'failure') => ({
      master_node_uid: u('ostf-uid'), id, cluster_id: 1, testset: 'smoke', status: 'finished',
      started_at: '2016-06-01T10:00:00', ended_at: '2016-06-01T10:05:00', fuel_version: '9.0', release_version: 'mitaka-9.0',
      tests: [
        { id: 'fuel_health.tests.smoke.test_a', status: 'success', taken: 1.5 },
        { id: 'fuel_health.tests.smoke.test_b', status, taken: null },
      ],
    });

    it('added then updated; tests replaced', async () => {
      const first = await post('ostf_runs/', { ostf_runs: [run(1), run(2)] });
      expect(first.statusCode).toBe(200);
      conforms('fuel/ostf-runs-response.v1', first.json());
      expect(statusById(first.json(), 'ostf_runs', 'id')).toEqual({ 1: 'added', 2: 'added' });
      const again = await post('ostf_runs', { ostf_runs: [run(1, 'success')] });
      expect(again.json().ostf_runs).toEqual([{ master_node_uid: u('ostf-uid'), id: 1, status: 'updated' }]);
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const rows = await t.db.query(
        `SELECT run_id::int, test_id, status FROM fuel_ostf_tests WHERE master_node_uid = $1 AND status <> 'success' ORDER BY run_id`,
        [u('ostf-uid')],
      );
      expect(rows).toEqual([{ run_id: 2, test_id: 'fuel_health.tests.smoke.test_b', status: 'failure' }]);
    });

    it('invalid test status or missing key → 400', async () => {
      expectError(await post('ostf_runs/', { ostf_runs: [{ ...run(3), tests: [{ id: 't', status: 'weird' }] }] }), 400);
      expectError(await post('ostf_runs/', {}), 400);
      expectError(await post('ostf_runs/', { ostf_runs: [{ ...run(3), cluster_id: undefined }] }), 400);
    });
  });

  describe('storage unavailable (fuelstats.md §2.1) and replay', () => {
    afterEach(() => jest.restoreAllMocks());

    it('503 + Retry-After with the error envelope; nothing claimed, so the resend is still 201', async () => {
      const log = t.app.get(EventLog);
      jest.spyOn(log, 'append').mockRejectedValueOnce(new LogUnavailable());
      const body = { installation_structure: { master_node_uid: u('down-uid'), allocated_nodes_num: 0, unallocated_nodes_num: 0, clusters_num: 0, clusters: [] } };
      const res = await post('installation_structure/', body);
      expectError(res, 503);
      expect(res.headers['retry-after']).toBeDefined();
      expect((await post('installation_structure/', body)).statusCode).toBe(201);
      jest.spyOn(log, 'append').mockRejectedValueOnce(new LogUnavailable());
      const fresh = { action_logs: withUid(fx<Body>('action-logs-http-requests-minimal.json').action_logs as LogRecord[], u('down-logs')) };
      expectError(await post('action_logs/', fresh), 503);
      jest.spyOn(log, 'append').mockRejectedValueOnce(new LogUnavailable());
      expectError(await post('oswl_stats/', fx<{ body: Body }>('oswl-stats-minimal.json').body), 503);
    });

    it('a storage failure other than unavailability answers per-record failed with HTTP 200 (fuelstats.md §3.2 step 5, fuelstats.md §3.4)', async () => {
      const log = t.app.get(EventLog);
      jest.spyOn(log, 'append').mockRejectedValue(new Error('disk on fire'));
      const logs = await post('action_logs/', { action_logs: withUid(fx<Body>('action-logs-http-requests-minimal.json').action_logs as LogRecord[], u('fail-uid')) });
      expect(logs.statusCode).toBe(200);
      expect(Object.values(statusById(logs.json()))).toEqual(['failed', 'failed', 'failed']);
      const oswl = await post('oswl_stats/', { oswl_stats: [{ ...(fx<{ body: { oswl_stats: Body[] } }>('oswl-stats-minimal.json').body.oswl_stats[0]), master_node_uid: u('fail-uid') }] });
      expect(oswl.statusCode).toBe(200);
      conforms('fuel/oswl-stats-response.v1', oswl.json());
      expect(oswl.json().oswl_stats).toEqual([{ master_node_uid: u('fail-uid'), id: 2, status: 'failed' }]);
    });

    it('anything unexpected → 500 "<ErrorClass>: <text>" envelope without SQL or stack (fuelstats.md §2.2)', async () => {
      const claims = t.app.get(ClaimsRepository);
      const leak = 'duplicate key value violates unique constraint "fuel_installation_claims_pkey" INSERT INTO fuel_installation_claims';
      jest.spyOn(claims, 'claimInstallation').mockRejectedValueOnce(new TypeError(leak));
      const body = { installation_structure: { master_node_uid: u('boom-uid'), allocated_nodes_num: 0, unallocated_nodes_num: 0, clusters_num: 0, clusters: [] } };
      const res = await post('installation_structure/', body);
      const err = expectError(res, 500);
      expect(err.status).toBe('error');
      expect(err.message).toMatch(/^TypeError: /);
      expect(res.body).not.toMatch(/INSERT|constraint|fuel_installation_claims|\bat \S+ \(/);
    });

    it('an already stored record resent while marked incomplete is existed, not skipped', async () => {
      const uid = u('stored-then-null');
      const done = { master_node_uid: uid, external_id: 9, body: { action_type: 'nailgun_task', end_timestamp: '2' } };
      expect((await post('action_logs/', { action_logs: [done] })).json().action_logs[0].status).toBe('added');
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const again = await post('action_logs/', { action_logs: [{ ...done, body: { action_type: 'nailgun_task', end_timestamp: null } }] });
      expect(again.json().action_logs).toEqual([{ master_node_uid: uid, external_id: 9, status: 'existed' }]);
    });

    // Kafka mode: ProjectorRuntime.replay first waits for the archiver, which re-reads every stream's whole
    // history (tens of thousands of other sources' events on the shared test broker) into each fresh
    // database — longer than a test may take. Replay is verified in the embedded and PostgreSQL modes.
    (KAFKA_BROKERS.length > 0 ? it.skip : it)('projections rebuild identically from the log (replay)', async () => {
      await t.runtime.catchUp(FUEL_PROJECTORS);
      const mine = `%-${RUN}`;
      // replay reads event_log; in Kafka mode the archiver fills it asynchronously (and also re-reads other
      // sources' history), so wait only until every event behind this run's rows is archived.
      const unarchived = async () =>
        (
          await t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (
               SELECT event_id FROM fuel_installation_versions WHERE master_node_uid LIKE $1
               UNION SELECT event_id FROM fuel_action_logs WHERE master_node_uid LIKE $1
               UNION SELECT event_id FROM fuel_oswl WHERE master_node_uid LIKE $1
               UNION SELECT event_id FROM fuel_ostf_runs WHERE master_node_uid LIKE $1) e
             WHERE NOT EXISTS (SELECT 1 FROM event_log l WHERE l.id = e.event_id)`,
            [mine],
          )
        )[0].n;
      await eventually(async () => (await unarchived()) === 0, 100_000, 'archived fuel events');
      const snapshot = () =>
        t.db.query(
          `SELECT master_node_uid, structure::text, is_filtered, release, modification_date IS NULL AS fresh FROM fuel_installations
            WHERE master_node_uid LIKE $1 ORDER BY master_node_uid`,
          [mine],
        );
      const counts = () =>
        t.db.query(
          `SELECT (SELECT count(*)::int FROM fuel_nodes WHERE master_node_uid LIKE $1) AS nodes,
                  (SELECT count(*)::int FROM fuel_action_logs WHERE master_node_uid LIKE $1) AS logs,
                  (SELECT count(*)::int FROM fuel_oswl WHERE master_node_uid LIKE $1) AS oswl,
                  (SELECT count(*)::int FROM fuel_ostf_tests WHERE master_node_uid LIKE $1) AS tests`,
          [mine],
        );
      const before = [await snapshot(), await counts()];
      expect((before[1] as { logs: number }[])[0].logs).toBeGreaterThan(0);
      await t.runtime.replay('fuel-installations');
      await t.runtime.replay('fuel-action-logs');
      await t.runtime.replay('fuel-oswl');
      expect([await snapshot(), await counts()]).toEqual(before);
    }, 150_000);
  });
});
