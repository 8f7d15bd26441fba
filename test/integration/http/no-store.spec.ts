import { startTestApp, TestApp } from '../../support/app';
import { eventually } from '../../support/database';
import { aFailureReport, CONTACT } from '../../support/failure-reports';

/** Answers that carry decrypted contacts (or the export columns for them) must not be kept by any cache. */
describe('Cache-Control: no-store on answers with customer contacts', () => {
  let t: TestApp;
  let uuid: string;

  beforeAll(async () => {
    t = await startTestApp();
    const body = aFailureReport();
    uuid = body.failure_report.report_uuid as string;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/failure_reports/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(res.statusCode).toBe(201);
    await eventually(async () => (await get(`/api/support/failure-reports/${uuid}`)).statusCode === 200, 20_000, 'report projected');
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.auth });

  it('is on the support API detail, which decrypts the contact', async () => {
    const res = await get(`/api/support/failure-reports/${uuid}`);
    expect(res.json().contact).toMatchObject({ email: CONTACT.email });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is on the support console detail page, the list, and their errors', async () => {
    const page = await get(`/console/support/failure-reports/${uuid}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(CONTACT.email);
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await get('/console/support/failure-reports')).headers['cache-control']).toBe('no-store');
    expect((await get('/api/support/failure-reports')).headers['cache-control']).toBe('no-store');
    const missing = await get('/api/support/failure-reports/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('is on the Fuel exports with contact columns (clusters.csv, the tar, installation structures)', async () => {
    for (const url of ['/api/v1/csv/clusters', '/api/v1/csv/all', '/api/v1/json/installation_infos/filtered', `/api/v1/json/installation_info/${aFailureReport().failure_report.master_node_uid}`]) {
      const res = await get(url);
      expect([url, res.headers['cache-control']]).toEqual([url, 'no-store']);
    }
  });

  it('is not on answers without contacts', async () => {
    for (const url of ['/api/v1/csv/nodes', '/api/alerts/rules', '/api/v1/json/summary']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBeUndefined();
    }
  });
});
