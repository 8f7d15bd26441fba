import { Browser, Page } from 'playwright-core';
import { DEFAULT_RULE_ID } from '../../src/alerts/rules';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';
import { eventually } from '../support/database';
import { aFailureReport, CONTACT } from '../support/failure-reports';
import { LOCAL_RECEIVERS_ALLOWED, WebhookReceiver } from '../support/receivers';

/** The support console in Chromium: rules editor, reports list with filters, detail with contact, dead letters. */
describe('support console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let page: Page;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await startTestApp({ ALERT_BACKOFF_BASE_MS: '20', ALERT_MAX_ATTEMPTS: '2', ...LOCAL_RECEIVERS_ALLOWED });
    baseUrl = await listen(t);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await eventually(async () => (await t.db.query('SELECT 1 FROM alert_rules WHERE id = $1', [DEFAULT_RULE_ID])).length === 1, 20_000, 'default rule');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.stop();
  });

  const post = (body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/failure_reports/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  it('adds a webhook channel and attaches it to the default rule in the rules editor', async () => {
    await signIn(page, baseUrl, '/console/alerts/rules');
    await page.fill('[data-testid=new-channel] input[name=name]', 'Support webhook');
    await page.fill('[data-testid=new-channel] input[name=target]', receiver.url);
    await page.fill('[data-testid=new-channel] input[name=secret]', 'console-signing-secret');
    await Promise.all([page.waitForURL(`${baseUrl}/console/alerts/rules`), page.click('[data-testid=new-channel] button[type=submit]')]);
    expect(await page.textContent('[data-testid=channels]')).toContain('Support webhook');

    const row = page.locator(`tr[data-rule="${DEFAULT_RULE_ID}"]`);
    await row.locator('input[name=channel_ids]').check();
    await Promise.all([page.waitForURL(`${baseUrl}/console/alerts/rules`), row.locator('form').first().locator('button[type=submit]').click()]);
    expect(await page.locator(`tr[data-rule="${DEFAULT_RULE_ID}"] input[name=channel_ids]`).isChecked()).toBe(true);

    await page.fill('[data-testid=new-rule] input[name=name]', '');
    await page.locator('[data-testid=new-rule] input[name=name]').evaluate((el) => el.removeAttribute('required'));
    await page.click('[data-testid=new-rule] button[type=submit]');
    expect(await page.textContent('[data-testid=problem]')).toContain('/name');
    await screenshot(page, 'alerts-rules');
  });

  it('lists reports newest first with filters in the URL, and shows one report with contact and deliveries', async () => {
    const old = aFailureReport({ release: '8.0', operation: 'update' });
    const latest = aFailureReport({ release: '9.0' });
    const anonymous = aFailureReport({ release: '9.0', contact: null });
    for (const b of [old, latest, anonymous]) expect((await post(b)).statusCode).toBe(201);
    await receiver.waitFor(2);
    await t.runtime.catchUp(['fuel-failure-reports', 'alerts']);

    await page.goto(`${baseUrl}/console/support/failure-reports`);
    const order = await page.locator('[data-testid=failure-reports] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-report')));
    expect(order).toEqual([anonymous, latest, old].map((b) => b.failure_report.report_uuid));
    expect(await page.textContent('[data-testid=failure-reports]')).not.toContain(CONTACT.last_name);

    await page.selectOption('[data-testid=report-filters] select[name=release]', '8.0');
    await page.waitForURL(/release=8\.0/);
    await eventually(async () => (await page.locator('[data-testid=failure-reports] tbody tr').count()) === 1, 10_000, 'filtered rows');
    expect(await page.locator('[data-testid=failure-reports] tbody tr').getAttribute('data-report')).toBe(old.failure_report.report_uuid);
    await screenshot(page, 'failure-reports-filtered');

    await page.click(`a[href="/console/support/failure-reports/${old.failure_report.report_uuid}"]`);
    await page.waitForSelector('[data-testid=contact]');
    expect(await page.textContent('[data-testid=contact]')).toContain(CONTACT.email);
    expect(await page.textContent('[data-testid=failure-message]')).toContain('Puppet run failed on node 1');
    await eventually(async () => {
      await page.reload();
      return (await page.textContent('[data-testid=deliveries]'))!.includes('sent');
    }, 20_000, 'sent delivery on the page');
    await page.fill('[data-testid=assign-form] input[name=assignee]', 'alice');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=assign-form] button[type=submit]')]);
    await page.fill('[data-testid=ack-form] input[name=note]', 'called the customer');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=ack-form] button[type=submit]')]);
    expect(await page.textContent('[data-testid=report-status]')).toContain('acknowledged');
    expect(await page.textContent('[data-testid=report-assignee]')).toBe('alice');
    await screenshot(page, 'failure-report-detail');

    await page.goto(`${baseUrl}/console/support/failure-reports/${anonymous.failure_report.report_uuid}`);
    expect(await page.textContent('[data-testid=contact]')).toContain('only the failed action log is stored');
  });

  it('lists dead letters and retries one from the console', async () => {
    receiver.answer(() => ({ status: 500 }));
    const body = aFailureReport();
    expect((await post(body)).statusCode).toBe(201);
    await eventually(async () => (await t.db.query(`SELECT 1 FROM alert_deliveries WHERE subject_key = $1 AND state = 'dead'`, [body.failure_report.report_uuid])).length === 1, 20_000, 'dead letter');
    await page.goto(`${baseUrl}/console/alerts/dead-letters`);
    const row = page.locator('[data-testid=dead-letters] tbody tr', { hasText: body.failure_report.report_uuid as string });
    expect(await row.textContent()).toContain('gave up after 2 attempts');
    await screenshot(page, 'dead-letters');
    receiver.answer(() => ({ status: 204 }));
    // the page is already at this URL, so waiting for the URL alone would not wait for the form's POST + redirect
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), row.locator('button', { hasText: 'Retry' }).click()]);
    await page.waitForURL(`${baseUrl}/console/alerts/dead-letters`);
    await eventually(async () => (await t.db.query(`SELECT 1 FROM alert_deliveries WHERE subject_key = $1 AND state = 'sent'`, [body.failure_report.report_uuid])).length === 1, 20_000, 'sent after retry');
    await page.goto(`${baseUrl}/console/alerts/dead-letters`);
    expect(await page.locator('[data-testid=dead-letters] tbody tr', { hasText: body.failure_report.report_uuid as string }).count()).toBe(0);
  });
});
