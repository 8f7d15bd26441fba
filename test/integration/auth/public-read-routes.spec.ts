import { ConfigError, loadConfig } from '../../../src/config/app-config';
import { startTestApp, TestApp } from '../../support/app';

/** The read routes upstream clients called without credentials: closed by default, reopened by name. */
const READ_ROUTES: readonly [name: string, url: string][] = [
  ['api-records', '/api/records'],
  ['nodes', '/nodes'],
  ['nodes', '/nodes/'],
  ['nodes', '/nodes/logs?peer_id=p'],
  ['nodes', '/nodes/log_stats?peer_id=p'],
  ['stats-db', '/stats/db'],
  ['metrics', '/metrics'],
  ['docs', '/api/docs'],
  ['docs', '/api/docs-json'],
];

/** What stays open whatever PUBLIC_READ_ROUTES says: ingest, health, the login page, static assets. */
async function expectAlwaysOpen(t: TestApp): Promise<void> {
  for (const url of ['/healthz', '/login', '/static/vendor/htmx.min.js', '/api/v1/ping']) {
    expect([url, (await t.app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 200]);
  }
  const submission = await t.app.inject({ method: 'POST', url: '/submit/test/test/1/4d1d3a2e-5b0c-4a86-9a37-4a0b1d5f0c11', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
  expect(submission.statusCode).toBe(200);
}

describe('PUBLIC_READ_ROUTES', () => {
  describe('unset (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => t?.close());

    it('every private read route needs a credential; a viewer gets in', async () => {
      for (const [, url] of READ_ROUTES) {
        expect([url, (await t.app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 401]);
        expect([url, (await t.app.inject({ method: 'GET', url, headers: t.auth })).statusCode]).toEqual([url, 200]);
      }
      await expectAlwaysOpen(t);
    });
  });

  describe('api-records,metrics', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ PUBLIC_READ_ROUTES: 'api-records, metrics' });
    });
    afterAll(async () => t?.close());

    it('reopens exactly the named routes', async () => {
      for (const [name, url] of READ_ROUTES) {
        const status = (await t.app.inject({ method: 'GET', url })).statusCode;
        expect([url, status]).toEqual([url, name === 'api-records' || name === 'metrics' ? 200 : 401]);
      }
      await expectAlwaysOpen(t);
    });
  });

  it('refuses to start with an unknown name, naming it and the known ones', () => {
    expect(() => loadConfig({ PUBLIC_READ_ROUTES: 'nodes,records' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_READ_ROUTES: 'nodes,records' })).toThrow('PUBLIC_READ_ROUTES: unknown route name "records"; known: api-records, nodes, metrics, docs, stats-db');
    expect(loadConfig({ PUBLIC_READ_ROUTES: 'docs,stats-db' }).publicReadRoutes).toEqual(['docs', 'stats-db']);
  });
});
