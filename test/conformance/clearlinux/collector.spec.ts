import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startTestApp, TestApp } from '../../support/app';
import { TID, v4Headers } from '../../support/clearlinux-headers';
import { fixturePath, readFixture, readFixtureText } from '../../support/fixtures';

/**
 * Spec clearlinux.md §2–§6, §8.1, §9, §10 through HTTP on the real app (one app per file). Every record uses its own
 * machine id so tests can read back exactly what they stored via /api/records?machine_id=….
 */
/**
 * With KAFKA_BROKERS every test app consumes the shared topics from the beginning, so records of earlier
 * runs (other databases) reach this database too: synthetic machine ids carry a per-run suffix, fixture
 * records (fixed machine ids) are found by id + reception time, and ids start at a random offset.
 */
const RUN = randomBytes(3).toString('hex');

type HeaderFixture = { headers: Record<string, string>; body_file: string };
type JsonFixture = { http_headers: Record<string, string>; body: Record<string, string> };
type WireCapture = { path: string; rawHeaders: string[]; body_base64: string; description: string };
type RecordJson = Record<string, unknown> & { id: number };

/** A valid v4 header set in the real client's spelling; machine id and event id vary per test. */
function v4(machineId: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  return v4Headers({
    classification: 'org.clearlinux/test/conformance',
    machine_id: `${machineId}-${RUN}`,
    creation_timestamp: '1700000000',
    build: '31000',
    event_id: '0123456789abcdef0123456789abcdef',
    ...overrides,
  });
}

/** rawHeaders list → object keeping order and case (Host/Content-Length are set by inject itself). */
function headersFromRaw(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (['host', 'content-length'].includes(raw[i].toLowerCase())) continue;
    out[raw[i]] = raw[i + 1];
  }
  return out;
}

/** One raw HTTP/1.1 request over a socket (exact header names, order and bytes); resolves status + body. */
function rawRequest(port: number, head: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [statusLine] = text.split('\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('Clear Linux collector (spec clearlinux.md §2–§6)', () => {
  let t: TestApp;
  const post = (url: string, headers: Record<string, string>, payload: string | Buffer = 'payload\n') =>
    t.app.inject({ method: 'POST', url, headers, payload });
  const mine = (machineId: string) => stored(`${machineId}-${RUN}`);
  const stored = async (machineId: string): Promise<RecordJson[]> => {
    await t.runtime.catchUp(['clearlinux-records']);
    const res = await t.app.inject({ method: 'GET', url: `/api/records?machine_id=${encodeURIComponent(machineId)}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    return (res.json() as { records: RecordJson[] }).records;
  };
  /** This run's copy of a fixture record (earlier runs' copies may exist in Kafka mode). */
  const storedCopy = async (machineId: string, body: RecordJson) =>
    (await stored(machineId)).find((r) => r.id === body.id && r.ts_reception === body.ts_reception);
  const metric = async (line: string): Promise<number> => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth })).body;
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.split(' ')[1]) : 0;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.db.query(`SELECT setval('clr_record_id_seq', $1::bigint)`, [1_000_000 + Math.floor(Math.random() * 1e11)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('fixtures are accepted and read back (clearlinux.md §6.2)', () => {
    it('v2-hello-headers.json: 201 with the stored record, N/A fields for v2', async () => {
      const f = readFixture<HeaderFixture>('clearlinux/v2-hello-headers.json');
      const res = await post('/v2/collector', f.headers, readFixtureText(`clearlinux/${f.body_file}`));
      expect(res.statusCode).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json() as RecordJson;
      expect(body).toMatchObject({
        machine_id: 'clr-linux-avj01',
        machine_type: 'blank|blank|blank',
        arch: 'x86_64',
        build: '17700',
        kernel_version: '4.12.5-374.native',
        ts_capture: '2017-09-12 16:54:09 UTC',
        severity: 1,
        classification: 'org.clearlinux/hello/world',
        record_format_version: 2,
        payload: 'hello\n',
        board_name: 'N/A',
        bios_version: 'N/A',
        cpu_model: 'N/A',
        event_id: 'N/A',
        external: false,
        os_name: 'clear-linux-os',
        payload_format_version: 1,
      });
      expect(typeof body.id).toBe('number');
      expect(body.ts_reception).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      expect(await storedCopy('clr-linux-avj01', body)).toEqual(body);
    });

    it('v4-crash-headers.json on POST / (same as /v2/collector)', async () => {
      const f = readFixture<HeaderFixture>('clearlinux/v4-crash-headers.json');
      const payload = readFixtureText(`clearlinux/${f.body_file}`);
      const res = await post('/', f.headers, payload);
      expect(res.statusCode).toBe(201);
      const body = res.json() as RecordJson;
      expect(body).toMatchObject({
        classification: 'org.clearlinux/crash/clr',
        severity: 2,
        record_format_version: 4,
        event_id: '39cc109a1079df96376693ebc7a0f632',
        cpu_model: 'Intel(R) Core(TM) i5-6260U CPU @ 1.80GHz',
        board_name: 'NUC6i5SYB|Intel Corporation',
        payload,
      });
      expect(await storedCopy('66c196ce4222dd761470da5e7e35f6f1', body)).toEqual(body);
    });

    it('v3-crash-json.json on /v3/collector: values stored as received (cut at the first space)', async () => {
      const f = readFixture<JsonFixture>('clearlinux/v3-crash-json.json');
      const body = { ...f.body, machine_id: `v3fixture-${RUN}` };
      const res = await post('/v3/collector', f.http_headers, JSON.stringify(body));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ machine_type: 'Intel', cpu_model: 'Intel(R)', board_name: 'NUC6i5SYB|Intel', payload: f.body.payload, build: '29940' });
      expect((await mine('v3fixture')).map((r) => r.id)).toEqual([(res.json() as RecordJson).id]);
    });

    const captures = readdirSync(fixturePath('clearlinux/wire')).filter((f) => f.endsWith('.json')).sort();
    it('has the 11 wire captures', () => expect(captures).toHaveLength(11));
    it.each(captures)('wire capture %s is accepted byte for byte (201) and read back', async (file) => {
      const c = readFixture<WireCapture>(`clearlinux/wire/${file}`);
      expect(c.rawHeaders).toContain('X-Telemetry-TID');
      const bytes = Buffer.from(c.body_base64, 'base64');
      const res = await post(c.path, headersFromRaw(c.rawHeaders), bytes);
      expect(res.statusCode).toBe(201);
      const body = res.json() as RecordJson;
      // Debian capture host: quotes are removed from the build (clearlinux.md §3.1), os name as sent.
      expect(body).toMatchObject({ build: '12', os_name: 'debian', record_format_version: 4 });
      const expectedPayload = c.path === '/v2/collector' ? bytes.toString('utf8') : (JSON.parse(bytes.toString('utf8')) as { payload: string }).payload;
      expect(body.payload).toBe(expectedPayload);
      expect(await storedCopy(String(body.machine_id), body)).toEqual(body);
    });

    it('2.4 capture keeps the client quirks: cpu_model cut at the first space, payload with its extra newline', async () => {
      const c = readFixture<WireCapture>('clearlinux/wire/client-2.4-1.json');
      const rows = (await stored('0615c763ca289e6cf93b22ba1dfdec6a')).filter((r) => r.classification === 'org.clearlinux/hello/world');
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows[0]).toMatchObject({ cpu_model: 'AMD', payload: 'hello\n\n', ts_capture: '2026-11-23 09:05:28 UTC', classification: 'org.clearlinux/hello/world' });
      expect(c.path).toBe('/v3/collector');
    });
  });

  describe('over a real socket', () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as { port: number }).port;
    });

    it('a wire capture resent byte for byte (underscore header names) is a duplicate: 200, same record', async () => {
      const c = readFixture<WireCapture>('clearlinux/wire/client-2.3.5-2.json');
      const lines = [];
      for (let i = 0; i + 1 < c.rawHeaders.length; i += 2) lines.push(`${c.rawHeaders[i]}: ${c.rawHeaders[i + 1]}`);
      const head = `POST ${c.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`;
      const first = await rawRequest(port, head, Buffer.from(c.body_base64, 'base64'));
      expect([200, 201]).toContain(first.status);
      const again = await rawRequest(port, head, Buffer.from(c.body_base64, 'base64'));
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    });

    it('reads the body of a request without Content-Type', async () => {
      const h = v4('socket-no-ct');
      const body = Buffer.from('no content type\n');
      const head = `POST /v2/collector HTTP/1.1\r\nHost: x\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const res = await rawRequest(port, head, body);
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toMatchObject({ payload: 'no content type\n', machine_id: `socket-no-ct-${RUN}` });
    });
  });

  describe('duplicates (clearlinux.md §4)', () => {
    it('a byte-identical resend answers 200 with the original record (same id) and stores nothing new', async () => {
      const h = v4('dup-sequential');
      const first = await post('/v2/collector', h, 'same payload\n');
      expect(first.statusCode).toBe(201);
      const before = await metric('telemetry_clearlinux_records_duplicate_total');
      const second = await post('/v2/collector', h, 'same payload\n');
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      expect(await metric('telemetry_clearlinux_records_duplicate_total')).toBe(before + 1);
      expect((await mine('dup-sequential')).map((r) => r.id)).toEqual([(first.json() as RecordJson).id]);
    });

    it('a resend with other header spellings is the same record', async () => {
      const h = v4('dup-spelling');
      const first = await post('/v2/collector', h, 'x');
      const renamed = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase().replace(/_/g, '-'), v]));
      const second = await post('/', renamed, 'x');
      expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
      expect((second.json() as RecordJson).id).toBe((first.json() as RecordJson).id);
    });

    it('concurrent identical POSTs: one row, both 2xx with the same id', async () => {
      const h = v4('dup-concurrent');
      const answers = await Promise.all([1, 2, 3].map(() => post('/v2/collector', h, 'race\n')));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
      expect(new Set(answers.map((a) => (a.json() as RecordJson).id)).size).toBe(1);
      expect(await mine('dup-concurrent')).toHaveLength(1);
    });

    it('two records of one event (same event_id, other payload) are distinct', async () => {
      const h = v4('dup-event');
      expect((await post('/v2/collector', h, 'one')).statusCode).toBe(201);
      expect((await post('/v2/collector', h, 'two')).statusCode).toBe(201);
      expect(await mine('dup-event')).toHaveLength(2);
    });
  });

  describe('header names and bodies (clearlinux.md §2.1, §3.4)', () => {
    it('Title-Case-dashed names are accepted', async () => {
      const h = Object.fromEntries(Object.entries(v4('names-title')).map(([k, v]) => [k.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('-'), v]));
      expect(h['Machine-Id']).toBe(`names-title-${RUN}`);
      const res = await post('/v2/collector', h, 'x');
      expect(res.statusCode).toBe(201);
    });

    it('a field sent twice keeps its first occurrence', async () => {
      const h = { ...v4('first-wins'), 'Machine-Id': 'second-spelling' };
      const res = await post('/v2/collector', h, 'x');
      expect(res.statusCode).toBe(201);
      expect((res.json() as RecordJson).machine_id).toBe(`first-wins-${RUN}`);
    });

    it('reads the raw body with no Content-Type and with a form Content-Type (never form-parsed)', async () => {
      const none = await post('/v2/collector', v4('body-no-ct'), Buffer.from('a=1&b=2'));
      expect(none.statusCode).toBe(201);
      expect((none.json() as RecordJson).payload).toBe('a=1&b=2');
      const [logged] = await t.db.query<{ payload: string }>(`SELECT payload::text AS payload FROM event_log WHERE key = 'body-no-ct-${RUN}'`);
      if (logged) expect(Object.keys((JSON.parse(logged.payload) as { data: { raw: { headers: object } } }).data.raw.headers)).not.toContain('content-type');
      const form = await post('/v2/collector', { ...v4('body-form'), 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=2');
      expect(form.statusCode).toBe(201);
      expect((form.json() as RecordJson).payload).toBe('a=1&b=2');
    });

    it('empty body → empty payload; latin-1 fallback; NUL replaced; gzip undone', async () => {
      expect((await post('/v2/collector', v4('body-empty'), '')).json()).toMatchObject({ payload: '' });
      expect((await post('/v2/collector', v4('body-latin1'), Buffer.from([0x63, 0x61, 0x66, 0xe9]))).json()).toMatchObject({ payload: 'café' });
      expect((await post('/v2/collector', v4('body-nul'), Buffer.from('a\u0000b'))).json()).toMatchObject({ payload: 'a\uFFFDb' });
      const gz = await post('/v2/collector', { ...v4('body-gzip'), 'content-encoding': 'gzip' }, gzipSync('zipped'));
      expect(gz.statusCode).toBe(201);
      expect((gz.json() as RecordJson).payload).toBe('zipped');
    });

    it('a 12-digit Creation-Timestamp is stored as 64-bit (upstream answered 500 past 2038)', async () => {
      const res = await post('/v2/collector', v4('ts-far', { creation_timestamp: '999999999999' }), 'x');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ ts_capture: '33658-09-27 01:46:39 UTC' });
      expect((await mine('ts-far')).map((r) => r.ts_capture)).toEqual(['33658-09-27 01:46:39 UTC']);
    });

    it('X-CLR-External: true marks the record external', async () => {
      const res = await post('/v2/collector', { ...v4('external-one'), 'X-CLR-External': 'true' }, 'x');
      expect(res.json()).toMatchObject({ external: true });
    });
  });

  describe('rejections (clearlinux.md §3.1, §3.5): status, exact message, nothing stored, metric by reason', () => {
    const cases: [name: string, machineId: string, send: () => [string, Record<string, string>, string | Buffer], status: number, message: string, reason: string][] = [
      ['wrong TID', 'rej-tid', () => ['/v2/collector', v4('rej-tid', { 'X-Telemetry-TID': 'nope' }), 'x'], 400, 'Telemetry ID mismatch', 'tid'],
      ['severity 5', 'rej-sev', () => ['/v2/collector', v4('rej-sev', { severity: '5' }), 'x'], 400, 'severity value is out of range', 'severity'],
      ['missing Event-Id in v4', 'rej-missing', () => ['/', v4('rej-missing', { event_id: undefined }), 'x'], 400, 'Record-Format-Version headers are invalid, Event-Id missing', 'missing_header'],
      ['two-part classification', 'rej-class', () => ['/v2/collector', v4('rej-class', { classification: 'a/b' }), 'x'], 400, 'Classification value is invalid', 'classification'],
      ['clear build with letters', 'rej-build', () => ['/v2/collector', v4('rej-build', { build: '31000a' }), 'x'], 400, 'Clear Linux OS build version has invalid characters', 'build'],
      ['v3 body not an object', 'rej-json', () => ['/v3/collector', { 'X-Telemetry-TID': TID }, '["rej-json"]'], 400, 'invalid JSON body', 'json'],
      ['corrupt gzip', 'rej-gzip', () => ['/v2/collector', { ...v4('rej-gzip'), 'content-encoding': 'gzip' }, 'not gzip'], 400, 'payload could not be decoded', 'content_encoding'],
      ['payload over 300 KiB', 'rej-large', () => ['/v2/collector', v4('rej-large'), Buffer.alloc(300 * 1024 + 1, 0x61)], 413, 'payload too large', 'payload_too_large'],
    ];
    it.each(cases)('%s', async (_name, machineId, send, status, message, reason) => {
      const before = await metric(`telemetry_clearlinux_records_rejected_total{reason="${reason}"}`);
      const [url, headers, payload] = send();
      const res = await post(url, headers, payload);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ message });
      expect(await metric(`telemetry_clearlinux_records_rejected_total{reason="${reason}"}`)).toBe(before + 1);
      expect(await mine(machineId)).toEqual([]);
    });
  });

  describe('other methods (clearlinux.md §2)', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/v2/collector'],
    ])('%s %s redirects to the Records console page', async (method, url) => {
      const res = await t.app.inject({ method: method as 'GET', url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/console/clearlinux/records');
    });
    it.each([
      ['PUT', '/'],
      ['DELETE', '/v2/collector'],
      ['PATCH', '/v3/collector'],
      ['GET', '/v3/collector'],
    ])('%s %s → 405 JSON', async (method, url) => {
      const res = await t.app.inject({ method: method as 'PUT', url });
      expect(res.statusCode).toBe(405);
      expect(res.json()).toEqual({ message: 'method not allowed' });
    });
  });
});
