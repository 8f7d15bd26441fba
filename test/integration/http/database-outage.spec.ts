import { randomUUID } from 'node:crypto';
import { v4Headers } from '../../support/clearlinux-headers';
import { readFixture } from '../../support/fixtures';
import { startTestApp, TestApp } from '../../support/app';

/**
 * With the database gone, every ingest path and every read answers 503 + Retry-After with a plain message:
 * clients retry, and nothing internal (driver or pool messages, SQL) reaches them. Fuel action logs used
 * to answer 500 and reads leaked "Knex: Timeout acquiring a connection".
 */
describe('database outage', () => {
  let t: TestApp;
  const actionLogs = readFixture<{ body: unknown }>('fuelstats/action-logs-failed-deployments.json').body;

  beforeAll(async () => {
    t = await startTestApp();
    // the pool is destroyed under the running app: every checkout from now on fails
    await t.db.orm.close(true);
  });
  afterAll(async () => t?.close());

  it.each([
    ['Clear Linux record', { method: 'POST' as const, url: '/v2/collector', headers: v4Headers({ event_id: randomUUID().replaceAll('-', '') }), payload: 'hello\n' }],
    ['Fuel action logs', { method: 'POST' as const, url: '/api/v1/action_logs/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(actionLogs) }],
    ['submission', { method: 'POST' as const, url: `/submit/test/test/1/${randomUUID()}`, headers: { 'content-type': 'application/json' }, payload: '{"a":1}' }],
    ['records API read', { method: 'GET' as const, url: '/api/records', headers: {} }],
  ])('%s → 503 + Retry-After, plain message', async (_what, request) => {
    const res = await t.app.inject({ ...request, headers: { ...request.headers, ...(request.method === 'GET' ? t.auth : {}) } });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatch(/unavailable, retry later/);
    expect(res.body).not.toMatch(/knex|timeout acquiring|pool|sql|select|insert/i);
  });

  it('/healthz says the database is down', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toMatch(/knex|timeout acquiring/i);
  });
});
