import { bearer, loginForm } from '../../support/accounts';
import { startTestApp, TestApp } from '../../support/app';
import { aFailureReport, CONTACT } from '../../support/failure-reports';

/** Every decrypted contact shown is audited (who, when, which report); acknowledge/assign name the acting account. */
describe('contact reads and acting accounts', () => {
  let t: TestApp;
  let reportUuid: string;
  let withoutContact: string;
  let supportToken: string;
  beforeAll(async () => {
    t = await startTestApp();
    const post = async (body: ReturnType<typeof aFailureReport>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/failure_reports/', headers: { 'content-type': 'application/json', 'master-node-uid': 'x' }, payload: JSON.stringify(body) });
      expect(res.statusCode).toBe(201);
      return body.failure_report.report_uuid as string;
    };
    reportUuid = await post(aFailureReport());
    withoutContact = await post(aFailureReport({ contact: null }));
    await t.runtime.catchUp(['fuel-failure-reports']);
    const created = await t.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...t.auth, 'content-type': 'application/json' }, payload: { name: 'helpdesk', role: 'support' } });
    supportToken = created.json().token;
    await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { ...t.auth, 'content-type': 'application/json' }, payload: { name: 'rosalind', role: 'support', password: 'double helix photo 51' } });
  });
  afterAll(async () => t?.close());

  const reads = async (query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/contact-reads${query}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    return (res.json() as { contact_reads: { report_uuid: string; read_by: string; subject_kind: string; read_at: string }[] }).contact_reads;
  };

  it('writes an audit row for each contact read through the API and the console, shown to admins only', async () => {
    expect(await reads()).toEqual([]);
    const api = await t.app.inject({ method: 'GET', url: `/api/support/failure-reports/${reportUuid}`, headers: bearer(supportToken) });
    expect(api.statusCode).toBe(200);
    expect(api.json().contact).toMatchObject({ email: CONTACT.email });

    const { cookie } = await loginForm(t, { name: 'rosalind', password: 'double helix photo 51' });
    const page = await t.app.inject({ method: 'GET', url: `/console/support/failure-reports/${reportUuid}`, headers: { cookie: cookie! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(CONTACT.email);

    const rows = await reads(`?report=${reportUuid}`);
    expect(rows.map((r) => [r.report_uuid, r.read_by, r.subject_kind])).toEqual([
      [reportUuid, 'rosalind', 'user'],
      [reportUuid, 'helpdesk (token)', 'token'],
    ]);
    expect(Date.now() - Date.parse(rows[0]!.read_at)).toBeLessThan(60_000);

    // Nothing decrypted, nothing recorded: the list, a report without a contact.
    await t.app.inject({ method: 'GET', url: '/api/support/failure-reports', headers: bearer(supportToken) });
    await t.app.inject({ method: 'GET', url: `/api/support/failure-reports/${withoutContact}`, headers: bearer(supportToken) });
    expect(await reads()).toHaveLength(2);


    // The report's console page lists who read the contact to admins, not to support.
    expect(page.body).not.toContain('data-testid="contact-reads"');
    const adminPage = await t.app.inject({ method: 'GET', url: `/console/support/failure-reports/${reportUuid}`, headers: t.auth });
    expect(adminPage.body).toMatch(/data-testid="contact-reads"[\s\S]*bootstrap admin[\s\S]*rosalind[\s\S]*helpdesk \(token\)/);
    expect(await reads()).toHaveLength(3);

    const bySupport = await t.app.inject({ method: 'GET', url: '/api/admin/contact-reads', headers: bearer(supportToken) });
    expect(bySupport.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/contact-reads?limit=0', headers: t.auth })).statusCode).toBe(400);
  });

  it('records the acting account on acknowledge and assign (console form and API)', async () => {
    const { cookie } = await loginForm(t, { name: 'rosalind', password: 'double helix photo 51' });
    const form = { cookie: cookie!, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', host: 'localhost' };
    expect((await t.app.inject({ method: 'POST', url: `/console/support/failure-reports/${reportUuid}/acknowledge`, headers: form, payload: 'note=called+back&by=someone+else' })).statusCode).toBe(303);
    const assigned = await t.app.inject({ method: 'POST', url: `/api/support/failure-reports/${reportUuid}/assign`, headers: { ...bearer(supportToken), 'content-type': 'application/json' }, payload: { assignee: 'maurice' } });
    expect(assigned.json()).toMatchObject({ status: 'acknowledged', acknowledged_by: 'rosalind', ack_note: 'called back', assignee: 'maurice', assigned_by: 'helpdesk (token)' });
    // Answering acknowledge/assign decrypts nothing.
    expect(await reads()).toHaveLength(3);
  });
});
