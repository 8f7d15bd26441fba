import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readFixture, readFixtureText } from '../../support/fixtures';
import { startTestApp, TestApp } from '../../support/app';

type UriCase = { uri: string; expect: 'accept' | 'reject'; status?: number };
const { cases } = readFixture<{ cases: UriCase[] }>('submissions/uri-cases.json');
const validInputs = readFixtureText('submissions/decoder-valid-input.ndjson')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { attributeMap: Record<string, string>; payload: string });

const json = (payload: unknown) => JSON.stringify(payload);
/** Only ours: in Kafka mode other projectors (archiver, other sources) replay every earlier run's events. */
const PROJECTORS = ['submission-documents', 'submission-errors'];
/** Per-run document ids: in Kafka mode the topics outlive each test database and are read from the beginning. */
const RUN = randomBytes(3).toString('hex');
const withRun = (uri: string) => uri.replace(/([0-9a-f]{2})[0-9a-f]{6}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g, `${RUN}$1$2`);

describe('POST/PUT /submit/... (spec submissions-and-nodes.md §A)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.runtime.catchUp(PROJECTORS);
    for (const type of ['uri', 'schema', 'schema_missing', 'duplicate', 'json', 'decompress', 'too_large']) {
      baseline[type] = (await get(`/api/submissions/errors?error_type=${type}`)).body.count;
    }
    baseline.hgpushSchema = (await get('/api/submissions/errors?error_type=schema&namespace=eng-workflow')).body.count;
    baseline.hgpushDuplicates = (await get('/api/submissions/stats?namespace=eng-workflow')).body.duplicates;
  });
  afterAll(async () => t?.close());
  /** Counts before this run (Kafka mode: earlier runs' events are projected into each fresh database). */
  const baseline: Record<string, number> = {};
  const delta = async (url: string, key: string) => (await get(url)).body.count - baseline[key];

  const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}, method: 'POST' | 'PUT' = 'POST') =>
    t.app.inject({ method, url, payload, headers });
  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: t.auth });
    return { status: res.statusCode, body: res.json() };
  };

  it('answers every uri-cases.json case with its status and records the rejections', async () => {
    // the hgpush case fails its schema; the telemetry one has no schema — both still 200
    for (const c of cases) {
      const res = await post(withRun(c.uri).replace(' ', '%20'), '{}');
      const expected = c.expect === 'accept' ? 200 : (c.status ?? 400);
      expect([c.uri, res.statusCode]).toEqual([c.uri, expected]);
      if (expected === 200) expect(res.body).toBe('');
      else expect(typeof res.json().message).toBe('string');
    }
    await t.runtime.catchUp(PROJECTORS);
    // the /other/... case never reaches this source (404 from the router), the other 5 are recorded
    expect(await delta('/api/submissions/errors?error_type=uri', 'uri')).toBe(5);
    const uriErrors = await get('/api/submissions/errors?error_type=uri');
    expect(uriErrors.body.items.every((i: { payload_base64: unknown }) => i.payload_base64 === null)).toBe(true);
    const accepted = await get(`/api/submissions/documents?document_id=${RUN}2c-d84a-4d02-8a92-fa54a3376048`);
    expect(accepted.body.count).toBe(1);
    const schema = await get(`/api/submissions/errors?error_type=schema&document_id=${RUN}2c-d84a-4d02-8a92-fa54a3376049`);
    expect(schema.body.count).toBe(1);
    expect(schema.body.items[0].payload_base64).toBe(Buffer.from('{}').toString('base64'));
    expect(schema.body.items[0].error_message).toContain('changesetID');
    const missing = await get(`/api/submissions/errors?error_type=schema_missing&document_id=${RUN}ce-f595-4c69-b6a6-f7a436604648`);
    expect(missing.body.count).toBe(1);
    expect(missing.body.items[0].document_id).toBe(`${RUN}ce-f595-4c69-b6a6-f7a436604648`);
  });

  it('405 with Allow for GET, PUT treated like POST', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/submit/test/test/1/${RUN}4c-d84a-4d02-8a92-fa54a3376048` });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST, PUT');
    expect(res.json()).toEqual({ message: 'method GET not allowed' });
    const put = await post(`/submit/test/test/1/${RUN}4c-d84a-4d02-8a92-fa54a3376048`, '{"x":1}', {}, 'PUT');
    expect(put.statusCode).toBe(200);
  });

  it('accepts the four decoder-valid fixtures (one gzip) with metadata and no IP', async () => {
    for (const input of validInputs) {
      const headers: Record<string, string> = { host: input.attributeMap.host, 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:61.0) Gecko/20100101 Firefox/61.0' };
      if (input.attributeMap.x_forwarded_for) headers['x-forwarded-for'] = input.attributeMap.x_forwarded_for;
      const res = await post(`${withRun(input.attributeMap.uri)}?v=2`, Buffer.from(input.payload, 'base64'), headers);
      expect(res.statusCode).toBe(200);
    }
    await t.runtime.catchUp(PROJECTORS);
    const gz = await get(`/api/submissions/documents?document_id=${RUN}3c-d84a-4d02-8a92-fa54a3376051`);
    expect(gz.body.count).toBe(1);
    const item = gz.body.items[0];
    expect(item.payload).toEqual({});
    expect(item.metadata).toMatchObject({
      document_namespace: 'test',
      document_type: 'test',
      document_version: '1',
      document_id: `${RUN}3c-d84a-4d02-8a92-fa54a3376051`,
      client_compression: 'gzip',
      normalized_country_code: '??',
      user_agent_browser: 'Firefox',
      user_agent_browser_version: '61',
      user_agent_os: 'Windows 10',
      host: 'test4',
      args: 'v=2',
    });
    expect(item.submission_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const all = await get('/api/submissions/documents?namespace=test&limit=1000');
    const text = JSON.stringify(all.body);
    expect(text).not.toContain('202.196.224.0');
    expect(text).not.toContain('user_agent"');
    expect(text).not.toContain('x_forwarded_for');
  });

  it('dedupes by URI: same 200, a duplicate record, no second document', async () => {
    const url = `/submit/test/test/1/${RUN}5c-d84a-4d02-8a92-fa54a3376048`;
    expect((await post(url, '{"n":1}')).statusCode).toBe(200);
    expect((await post(url, '{"n":2}')).statusCode).toBe(200);
    // a retry of a document that failed validation is a duplicate too
    const bad = `/submit/eng-workflow/hgpush/1/${RUN}5c-d84a-4d02-8a92-fa54a3376049`;
    expect((await post(bad, '{}')).statusCode).toBe(200);
    expect((await post(bad, '{}')).statusCode).toBe(200);
    await t.runtime.catchUp(PROJECTORS);
    const docs = await get(`/api/submissions/documents?document_id=${RUN}5c-d84a-4d02-8a92-fa54a3376048`);
    expect(docs.body.count).toBe(1);
    expect(docs.body.items[0].payload).toEqual({ n: 1 });
    // 3 = these two + the first decoder-valid fixture, whose URI is also the first uri-cases.json case
    expect(await delta('/api/submissions/errors?error_type=duplicate', 'duplicate')).toBe(3);
    const dups = await get('/api/submissions/errors?error_type=duplicate');
    const dupOfValid = await get(`/api/submissions/errors?error_type=duplicate&document_id=${RUN}5c-d84a-4d02-8a92-fa54a3376048`);
    expect(dupOfValid.body.count).toBe(1);
    expect(dups.body.items.every((i: { payload_base64: unknown }) => i.payload_base64 === null)).toBe(true);
    // one from the uri-cases test, one here
    expect(await delta('/api/submissions/errors?error_type=schema&namespace=eng-workflow', 'hgpushSchema')).toBe(2);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
    expect(metrics.body).toMatch(/telemetry_submission_duplicates_total 3/);
  });

  it('json and decompress errors keep the original bytes', async () => {
    const broken = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]);
    expect((await post(`/submit/test/test/1/${RUN}6c-d84a-4d02-8a92-fa54a3376048`, broken)).statusCode).toBe(200);
    expect((await post(`/submit/test/test/1/${RUN}6c-d84a-4d02-8a92-fa54a3376049`, 'not json', { 'content-encoding': 'gzip' })).statusCode).toBe(200);
    await t.runtime.catchUp(PROJECTORS);
    const dec = await get('/api/submissions/errors?error_type=decompress');
    expect(dec.body.items[0].payload_base64).toBe(broken.toString('base64'));
    expect(await delta('/api/submissions/errors?error_type=json', 'json')).toBe(1);
    const js = await get('/api/submissions/errors?error_type=json');
    expect(Buffer.from(js.body.items[0].payload_base64, 'base64').toString()).toBe('not json');
  });

  it('413 for a body over 1 MiB (declared and chunked), recorded as too_large without payload', async () => {
    const big = Buffer.alloc(1_048_577, 0x20);
    const res = await post(`/submit/test/test/1/${RUN}7c-d84a-4d02-8a92-fa54a3376048`, big);
    expect(res.statusCode).toBe(413);
    expect(typeof res.json().message).toBe('string');

    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/submit/test/test/1/${RUN}7c-d84a-4d02-8a92-fa5400000000`, headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(300_000, 0x20));
      req.end();
    });
    expect(chunked).toBe(413);
    // raw socket: node's client would add Transfer-Encoding: chunked by itself
    const lengthless = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`POST /submit/test/test/1/${RUN}7c-d84a-4d02-8a92-fa5400000001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(lengthless.split('\r\n')[0]).toBe('HTTP/1.1 411 Length Required');
    await t.runtime.catchUp(PROJECTORS);
    expect(await delta('/api/submissions/errors?error_type=too_large', 'too_large')).toBe(2);
    const tooLarge = await get('/api/submissions/errors?error_type=too_large');
    expect(tooLarge.body.items.every((i: { payload_base64: unknown }) => i.payload_base64 === null)).toBe(true);
    // a too-large attempt does not consume the URI: a smaller retry is accepted
    expect((await post(`/submit/test/test/1/${RUN}7c-d84a-4d02-8a92-fa54a3376048`, '{}')).statusCode).toBe(200);
    await t.runtime.catchUp(PROJECTORS);
    expect((await get(`/api/submissions/documents?document_id=${RUN}7c-d84a-4d02-8a92-fa54a3376048`)).body.count).toBe(1);
  });

  it('414 for a path over 10 240 bytes', async () => {
    const res = await post(`/submit/${'a'.repeat(10_300)}`, '{}');
    expect(res.statusCode).toBe(414);
    expect(typeof res.json().message).toBe('string');
  });

  it('431 for a query string or kept header over 1024 bytes', async () => {
    expect((await post(`/submit/test/test/1/${RUN}8c-d84a-4d02-8a92-fa54a3376048?${'a'.repeat(1025)}`, '{}')).statusCode).toBe(431);
    const res = await post(`/submit/test/test/1/${RUN}8c-d84a-4d02-8a92-fa54a3376049`, '{}', { 'x-debug-id': 'd'.repeat(1025) });
    expect(res.statusCode).toBe(431);
    expect(res.json()).toEqual({ message: 'header too large' });
  });

  it('read API: stats, schemas, 400 on bad parameters, 401 without credentials', async () => {
    await t.runtime.catchUp(PROJECTORS);
    const stats = await get('/api/submissions/stats?namespace=eng-workflow');
    expect(stats.body.accepted).toBe(0);
    expect(stats.body.duplicates - baseline.hgpushDuplicates).toBe(1);
    expect(stats.body.errors.schema - baseline.hgpushSchema).toBe(2);
    const schemas = await get('/api/submissions/schemas');
    expect(schemas.body.map((s: { namespace: string; doctype: string; version: string }) => `${s.namespace}/${s.doctype}/${s.version}`)).toEqual([
      'eng-workflow/hgpush/1',
      'test/test/1',
    ]);
    for (const url of ['/api/submissions/documents?limit=0', '/api/submissions/documents?limit=abc', '/api/submissions/errors?error_type=nope', '/api/submissions/documents?document_id=x', '/api/submissions/stats?namespace=a%20b']) {
      const res = await t.app.inject({ method: 'GET', url, headers: t.auth });
      expect([url, res.statusCode]).toEqual([url, 400]);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/submissions/documents' })).statusCode).toBe(401);
  });
});

describe('SUBMIT_OVERSIZE_STATUS=202 (legacy 2013 server answer)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_OVERSIZE_STATUS: '202', SUBMIT_MAX_BODY_BYTES: '100' });
  });
  afterAll(async () => t?.close());

  it('answers 202 and discards, keeping a too_large record', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/submit/test/test/1/${RUN}9c-d84a-4d02-8a92-fa54a3376048`, payload: json({ a: 'x'.repeat(200) }) });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ message: 'Server will discard submission' });
    await t.runtime.catchUp(PROJECTORS);
    const longPath = await t.app.inject({ method: 'POST', url: `/submit/${'a'.repeat(10_300)}`, payload: '{}' });
    expect(longPath.statusCode).toBe(202);
    const docid = `${RUN}9c-d84a-4d02-8a92-fa54a3376048`;
    const errors = await t.app.inject({ method: 'GET', url: `/api/submissions/errors?error_type=too_large&document_id=${docid}`, headers: t.auth });
    expect(errors.json().count).toBe(1);
    expect(errors.json().items[0].payload_base64).toBeNull();
    const docs = await t.app.inject({ method: 'GET', url: `/api/submissions/documents?document_id=${docid}`, headers: t.auth });
    expect(docs.json().count).toBe(0);
  });
});
