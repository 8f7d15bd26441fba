import { gzipSync } from 'node:zlib';
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../../support/app';
import { v4Headers } from '../../support/clearlinux-headers';
import { aFailureReport } from '../../support/failure-reports';

/**
 * Nothing that identifies a client's address or credentials is kept: one request per source carrying every
 * proxy and credential header a real deployment sees, then every text column of every table (the event log
 * included) is searched for their values, like a dump of the database would be.
 */
const ADDRESS = '203.0.113.77';
const SECRET = `s3cr3t-${randomBytes(6).toString('hex')}`;
const PROXY_HEADERS: Readonly<Record<string, string>> = {
  'cf-connecting-ip': ADDRESS,
  'true-client-ip': ADDRESS,
  'x-client-ip': ADDRESS,
  'x-original-forwarded-for': ADDRESS,
  'x-envoy-external-address': ADDRESS,
  'x-forwarded-for': ADDRESS,
  'x-real-ip': ADDRESS,
  forwarded: `for=${ADDRESS}`,
  'proxy-authorization': `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`,
  'x-api-key': SECRET,
  cookie: `session=${SECRET}`,
};

describe('client addresses and credentials are never stored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('finds none of them in any table after every source received them', async () => {
    const send = async (url: string, headers: Record<string, string>, payload: string | Buffer) => {
      const res = await t.app.inject({ method: 'POST', url, headers: { ...PROXY_HEADERS, ...headers }, payload });
      expect({ url, accepted: res.statusCode < 300 }).toEqual({ url, accepted: true });
    };
    await send('/v2/collector', v4Headers({ machine_id: randomBytes(16).toString('hex'), event_id: randomBytes(16).toString('hex') }), 'backtrace\n');
    await send('/api/v1/failure_reports/', { 'content-type': 'application/json' }, JSON.stringify(aFailureReport()));
    await send(`/submit/telemetry/${randomUUID()}/main/Firefox/61.0a1/nightly/20180328030202`, { 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({ a: 1 })));
    await t.runtime.catchUp(t.runtime.names(), 60_000);

    const tables = await t.db.query<{ schema: string; table: string }>(`
      SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', '_timescaledb_catalog', '_timescaledb_config', '_timescaledb_cache', 'timescaledb_information', 'timescaledb_experimental')
        AND table_schema NOT LIKE '\\_timescaledb\\_%'`);
    expect(tables.map((r) => r.table)).toEqual(expect.arrayContaining(['event_log', 'records', 'failure_reports', 'submission_documents']));
    const found: string[] = [];
    for (const { schema, table } of tables) {
      const [{ n }] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}"."${table}" t WHERE t::text LIKE $1 OR t::text LIKE $2 OR t::text LIKE $3`,
        [`%${ADDRESS}%`, `%${SECRET}%`, `%${Buffer.from(`user:${SECRET}`).toString('base64')}%`],
      );
      if (n > 0) found.push(`${table}: ${n}`);
    }
    expect(found).toEqual([]);
  });
});
