import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp } from '../../support/app';
import { v4Headers } from '../../support/clearlinux-headers';
import { bearer, tokenFor } from '../../support/accounts';
import { hashedMachineIds } from '../../support/machine-ids';
import { MachineIds } from '../../../src/sources/clearlinux/machine-ids/machine-ids';
import { RecordsRepository } from '../../../src/sources/clearlinux/records/records.repository';
import { purgePlan, purgeStatement } from '../../../src/sources/clearlinux/retention/retention.plan';

/** Spec clearlinux.md §9 (/api/records), clearlinux.md §8.1 (console records, CSV) and clearlinux.md §10 (purge SQL) on the real app. */
/** Kafka mode: earlier runs' records reach this database through the shared topic (see collector.spec). */
const RUN = randomBytes(3).toString('hex');
const CLS = `org.clr${RUN}`;
type RecordJson = Record<string, unknown> & { id: number };

function v4(machineId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return v4Headers({
    classification: `${CLS}/api/one`,
    machine_id: `${machineId}-${RUN}`,
    creation_timestamp: '1700000000',
    host_type: 'blank|blank|blank',
    build: '31000',
    event_id: 'fedcba9876543210fedcba9876543210',
    ...overrides,
  });
}

let nextDirectId = 9_000_000;
/** A row as the projection would write it, but received `ageDays` ago (the collector cannot backdate). */
async function insertAged(t: TestApp, r: { machineId: string; classification: string; severity: number; ageDays: number }): Promise<number> {
  const id = nextDirectId++;
  const [domain, probe, rest] = r.classification.split('/');
  await t.db.query(
    `INSERT INTO records (id, record_key, log_event_id, classification, domain, probe, rest, severity, machine_id, machine_type,
       arch, kernel_version, os_name, build, record_format_version, payload_format_version, board_name, cpu_model, bios_version,
       event_id, external, ts_capture, ts_reception, payload)
     VALUES ($1::bigint, md5($1::text), gen_random_uuid(), $2, $3, $4, $5, $6, $7, 'blank|blank|blank', 'x86_64', '5.0.7-1.native', 'clear-linux-os',
       '31000', 4, 1, 'N/A', 'N/A', 'N/A', 'N/A', false, now() - make_interval(days => $8::int), now() - make_interval(days => $8::int), 'aged')`,
    [id, r.classification, domain, probe, rest ?? '', r.severity, r.machineId, r.ageDays],
  );
  return id;
}

describe('Clear Linux records views', () => {
  let t: TestApp;
  const post = (headers: Record<string, string>, payload = 'payload\n') => t.app.inject({ method: 'POST', url: '/v2/collector', headers, payload });
  const api = (query: string) => t.app.inject({ method: 'GET', url: `/api/records${query}` });
  const ids = async (query: string) => {
    const res = await api(query);
    expect(res.statusCode).toBe(200);
    return (res.json() as { records: RecordJson[] }).records.map((r) => r.id);
  };
  const page = (query: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/console/clearlinux/records${query}`, headers: { ...t.auth, ...headers } });

  let a1: number, a2: number, a3: number, b1: number;
  beforeAll(async () => {
    // clearlinux.md §9: upstream's /api/records had no credential; the installation reopens it for such clients.
    t = await startTestApp({ PUBLIC_READ_ROUTES: 'api-records' });
    await t.db.query(`SELECT setval('clr_record_id_seq', $1::bigint)`, [1_000_000 + Math.floor(Math.random() * 1e11)]);
    const created = async (h: Record<string, string>, payload?: string) => {
      const res = await post(h, payload);
      expect(res.statusCode).toBe(201);
      return (res.json() as RecordJson).id;
    };
    a1 = await created(v4('api-a', { severity: '1', build: '100' }));
    a2 = await created(v4('api-a', { severity: '3', build: '200', classification: `${CLS}/api/two` }));
    a3 = await created(v4('api-a', { severity: '3', build: '200', classification: `${CLS}/api/two`, creation_timestamp: '1700000001' }));
    b1 = await created(v4('api-b', { classification: `${CLS}/hello/world` }), 'hello "quoted", world\n');
    await t.runtime.catchUp(['clearlinux-records']);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/records (clearlinux.md §9)', () => {
    it('is open and answers {"records": [...]} newest id first', async () => {
      expect(await ids(`?machine_id=api-a-${RUN}`)).toEqual([a3, a2, a1]);
      expect(a1 < a2 && a2 < a3).toBe(true);
    });

    it.each([
      ['severity=3', () => [a3, a2]],
      [`classification=${CLS}/api/one`, () => [a1]],
      ['build=200', () => [a3, a2]],
      ['build=%22200%22', () => [a3, a2]],
      ['ts_capture=1700000000', () => [a3]],
      ['limit=1', () => [a3]],
      ['limit=5', () => [a3, a2, a1]],
      ['limit=999', () => [a3, a2, a1]],
      ['severity=1&severity=9', () => [a1]],
      ['unknown=zzz', () => [a3, a2, a1]],
      ['created_in_sec=3600', () => [a3, a2, a1]],
    ])(`machine_id=api-a-${RUN}&%s`, async (q, expected) => {
      expect(await ids(`?machine_id=api-a-${RUN}&${q}`)).toEqual(expected());
    });

    it('is documented in Swagger with the records schema', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: t.auth })).json() as { paths: Record<string, Record<string, unknown>> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/records', '/v2/collector', '/v3/collector']));
      expect(JSON.stringify(doc.paths['/api/records'].get)).toContain('#/components/schemas/clearlinux.records-response.v1');
      expect(JSON.stringify((doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas['clearlinux.record.v1'])).toContain('ts_reception');
    });

    it('from_id is inclusive', async () => {
      expect(await ids(`?machine_id=api-a-${RUN}&from_id=${a2}`)).toEqual([a3, a2]);
    });

    it('a from_id beyond any stored id (even past the bigint range) is valid and matches nothing', async () => {
      expect(await ids(`?machine_id=api-a-${RUN}&from_id=${a3 + 1}`)).toEqual([]);
      expect(await ids(`?machine_id=api-a-${RUN}&from_id=99999999999999999999999`)).toEqual([]);
    });

    it.each([
      ['severity=5', 'Severity should be a numeric value'],
      ['severity=', 'Severity should be a numeric value'],
      ['severity=9&severity=1', 'Severity should be a numeric value'],
      ['classification=a/b', 'Classification value is invalid'],
      ['classification=', 'Classification value is invalid'],
      ['build=a%01b', 'Build value is invalid'],
      [`build=${'1'.repeat(200)}`, 'Build value is invalid'],
      [`machine_id=${'m'.repeat(33)}`, 'Machine id value is invalid'],
      ['created_in_days=x', 'Created (in days) value is invalid'],
      ['created_in_sec=-1', 'Created (in seconds) value is invalid'],
      ['from_id=abc', 'Provided record id value is invalid'],
      ['ts_capture=1.5', 'Time stamp from record capture'],
      ['limit=0', 'Record limit value is invalid'],
      ['limit=1001', 'Record limit value is invalid'],
      ['limit=10000', 'Record limit value is invalid'],
      ['limit=', 'Record limit value is invalid'],
    ])('%s → 400 %s', async (q, message) => {
      const res = await api(`?${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ message });
    });

  });

  describe('console records page (clearlinux.md §8.1)', () => {
    it('needs the admin credential', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/console/clearlinux/records' });
      expect(res.statusCode).toBe(401);
    });

    it('lists records newest first in the layout, with the filter form and the nav link', async () => {
      // Filtered to this run's classification: in Kafka mode earlier runs' records (higher ids) share the table.
      const res = await page(`?classification=${encodeURIComponent(`${CLS}/*`)}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html');
      expect(res.body).toContain('href="/console/clearlinux/records" aria-current="page"');
      expect(res.body).toContain('hx-push-url="true"');
      const order = [...res.body.matchAll(/data-record-id="(\d+)"/g)].map((m) => Number(m[1]));
      const ours = new Set([a1, a2, a3, b1]);
      expect(order).toEqual([b1, a3, a2, a1]);
      expect(order.every((id) => ours.has(id))).toBe(true);
    });

    it('filters by classification wildcard, exact values and payload regex', async () => {
      const shown = async (q: string) => [...(await page(q)).body.matchAll(/data-record-id="(\d+)"/g)].map((m) => Number(m[1]));
      expect(await shown(`?classification=${CLS}/api/*`)).toEqual([a3, a2, a1]);
      expect(await shown(`?classification=${CLS}/api/two/*`)).toEqual([]);
      expect(await shown(`?classification=${CLS}/api/two`)).toEqual([a3, a2]);
      expect(await shown(`?classification=${CLS}/*&severity=1`)).toEqual([a1]);
      expect(await shown(`?classification=${CLS}/*&payload=quoted`)).toEqual([b1]);
      expect(await shown(`?machine_id=api-b-${RUN}&not_payload=quoted`)).toEqual([]);
      expect(await shown(`?machine_id=api-a-${RUN}&build=100&os_name=clear-linux-os&data_source=internal`)).toEqual([a1]);
      expect(await shown(`?machine_id=api-a-${RUN}&data_source=external`)).toEqual([]);
      expect(await shown(`?machine_id=api-a-${RUN}&from_date=2000-01-01&to_date=2000-01-02`)).toEqual([]);
      expect(await shown(`?machine_id=api-a-${RUN}&page_size=2`)).toEqual([a3, a2]);
      expect(await shown(`?machine_id=api-a-${RUN}&page_size=2&page=2`)).toEqual([a1]);
    });

    it('answers an htmx request with the table partial only', async () => {
      const res = await page(`?classification=${CLS}/hello/*`, { 'hx-request': 'true' });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<html');
      expect(res.body).toContain(`data-record-id="${b1}"`);
      expect(res.body).not.toContain(`data-record-id="${a1}"`);
    });

    it('rejects an invalid regex with 400 and a message', async () => {
      const res = await page('?payload=(');
      expect(res.statusCode).toBe(400);
      expect((res.json() as { message: string }).message).toMatch(/^payload is not a valid regular expression/);
    });

    it('shows one record with its decoded payload; unknown id → 404', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/console/clearlinux/records/${b1}`, headers: t.auth });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('hello &quot;quoted&quot;, world');
      expect((await t.app.inject({ method: 'GET', url: '/console/clearlinux/records/987654321', headers: t.auth })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/console/clearlinux/records/abc', headers: t.auth })).statusCode).toBe(404);
    });

    it('exports the filtered set as CSV, every value quoted, machine ids hashed', async () => {
      // an analyst (the export's role) reads hashed machine ids; support and above read them as sent
      const res = await t.app.inject({ method: 'GET', url: `/console/clearlinux/records.csv?machine_id=api-b-${RUN}`, headers: bearer(await tokenFor(t, 'analyst')) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.body.split('\n');
      expect(lines[0]).toBe('id,external,server_timestamp,severity,classification,build,machine_id,payload');
      expect(lines[1]).toMatch(new RegExp(`^"${b1}","false","\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC","2","${CLS}/hello/world","31000","${(await hashedMachineIds(t))(`api-b-${RUN}`)}","hello ""quoted"", world$`));
      expect(lines[2]).toBe('"');
      expect(lines).toHaveLength(4);
      expect(res.body).not.toContain(`api-b-${RUN}`);
      const asAdmin = await t.app.inject({ method: 'GET', url: `/console/clearlinux/records.csv?machine_id=api-b-${RUN}`, headers: t.auth });
      expect(asAdmin.body.split('\n')[1]).toContain(`"api-b-${RUN}"`);
    });

    it('shows raw machine ids only when the caller says the reader may see them (support and above)', async () => {
      const ids = t.app.get(MachineIds);
      expect(ids.shownAs(true)(`api-b-${RUN}`)).toBe(`api-b-${RUN}`);
      expect(ids.shownAs(false)(`api-b-${RUN}`)).toBe((await hashedMachineIds(t))(`api-b-${RUN}`));
    });
  });

  describe('rows received days ago (inserted directly: the collector cannot backdate)', () => {
    it('window: 30 days by default and at most, on reception time', async () => {
      const recent = await insertAged(t, { machineId: `api-old-${RUN}`, classification: 'test/old/x', severity: 2, ageDays: 2 });
      await insertAged(t, { machineId: `api-old-${RUN}`, classification: 'test/old/x', severity: 2, ageDays: 31 });
      expect(await ids(`?machine_id=api-old-${RUN}`)).toEqual([recent]);
      expect(await ids(`?machine_id=api-old-${RUN}&created_in_days=1`)).toEqual([]);
      expect(await ids(`?machine_id=api-old-${RUN}&created_in_days=3`)).toEqual([recent]);
      expect(await ids(`?machine_id=api-old-${RUN}&created_in_days=100`)).toEqual([recent]);
      expect(await ids(`?machine_id=api-old-${RUN}&created_in_sec=86400`)).toEqual([]);
    });
  });

  describe('purge (clearlinux.md §10 reference cases, SQL on the real schema)', () => {
    it('deletes exactly the reference rows', async () => {
      const rows: [ageDays: number, severity: number, classification: string, deleted: boolean][] = [
        [2, 1, 'test/discard/one', true],
        [2, 2, 'test/discard/two', true],
        [2, 4, 'test/discard/two', true],
        [6, 2, 'test/test/one', true],
        [2, 1, 'test/keep/one', true],
        [6, 2, 'test/keep/one', false],
        [3, 2, 'test/test/one', false],
        [6, 4, 'test/test/one', false],
      ];
      const inserted = [];
      for (const [ageDays, severity, classification, deleted] of rows) {
        inserted.push({ id: await insertAged(t, { machineId: `purge-${RUN}`, classification, severity, ageDays }), deleted });
      }
      const plan = purgePlan({
        enabled: true,
        maxDaysKeepUnfiltered: 5,
        filtered: { severity: { '1': 1, '4': 0 }, classification: { 'test/keep/one': 0, 'test/discard/*': 1 } },
      });
      await t.db.transaction((tx) => t.app.get(RecordsRepository).deleteWhere(tx, plan.map((s) => purgeStatement(s, new Date()))));
      const left = (await t.db.query<{ id: string }>(`SELECT id::text FROM records WHERE machine_id = $1 ORDER BY id`, [`purge-${RUN}`])).map((r) => Number(r.id));
      expect(left).toEqual(inserted.filter((r) => !r.deleted).map((r) => r.id));
      // Fresh collector records (age 0, severity 1 with a 1-day rule) are untouched.
      expect(await ids(`?machine_id=api-a-${RUN}`)).toEqual([a3, a2, a1]);
    });
  });
});
