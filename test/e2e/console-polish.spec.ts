import { Browser, Page } from 'playwright-core';
import { seedDemo, startOfUtcDay } from '../../src/cli/seed/seed-demo.run';
import { RollupInstaller } from '../../src/database/rollup-installer';
import { CLR_ROLLUPS } from '../../src/sources/clearlinux/analytics/analytics.rollups';
import { TEST_ADMIN_TOKEN, WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';

/**
 * Console polish in Chromium: the explicit empty state of the one chart protocol, axis titles, CSV beside
 * JSON on the analytics views, the collapsible navigation at phone width — and screenshots of every
 * source's main page after `seed:demo` (test/e2e/screenshots/demo-*.png).
 */
describe('console polish in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let page: Page;
  const option = (id: string) => page.$eval(`#chart-${id}-option`, (el) => JSON.parse(el.textContent!) as Record<string, { name?: string }>);

  beforeAll(async () => {
    t = await startTestApp(WITHOUT_PRIVACY_FLOOR);
    baseUrl = await listen(t);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, baseUrl, '/console/clearlinux/stats');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows "No data in this window" instead of an empty disc or grid', async () => {
    await page.goto(`${baseUrl}/console/clearlinux/stats`);
    const empty = page.locator('[data-chart-empty=classifications]');
    expect(await empty.textContent()).toContain('No data in this window');
    expect(await page.locator('[data-chart=classifications]').count()).toBe(0);
    await page.goto(`${baseUrl}/console/clearlinux/builds`);
    expect(await page.locator('[data-chart-empty]').count()).toBe(2);
    await screenshot(page, 'empty-state');
  });

  it('collapses the navigation behind a Menu button at 390 px and opens it on a tap', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${baseUrl}/console`);
    const toggle = phone.locator('[data-testid=nav-toggle]');
    expect(await toggle.isVisible()).toBe(true);
    expect(await phone.locator('#console-nav').isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    // collapsed, the header takes one line: the page heading is on the first screen
    expect((await phone.locator('header.top').boundingBox())!.height).toBeLessThan(80);
    await toggle.click();
    expect(await phone.locator('#console-nav').isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await phone.locator('#console-nav a[href="/console/nodes"]').isVisible()).toBe(true);
    await screenshot(phone, 'nav-390-open');
    await toggle.click();
    expect(await phone.locator('#console-nav').isVisible()).toBe(false);
    await phone.close();
    // wide: no toggle, the navigation is always there
    await page.goto(`${baseUrl}/console`);
    expect(await page.locator('[data-testid=nav-toggle]').isVisible()).toBe(false);
    expect(await page.locator('#console-nav').isVisible()).toBe(true);
  });

  it('after seed:demo: charts with axis titles, CSV beside JSON, every source page populated', async () => {
    const report = await seedDemo({
      url: baseUrl,
      seed: 3,
      anchor: startOfUtcDay(new Date()),
      clearLinux: { count: 400, days: 30, telemetryId: '6907c830-eed9-4ce9-81ae-76daf8d88f0f' },
      fuelInstallations: 6,
      submissions: 20,
      nodeSessions: 4,
      // the demo reads /nodes, which needs a viewer
      token: TEST_ADMIN_TOKEN,
    });
    expect(report.failed).toBe(0);
    await t.runtime.catchUp();
    const rollups = t.app.get(RollupInstaller);
    for (const def of Object.values(CLR_ROLLUPS)) await rollups.refresh(def.name, null, null);

    await page.goto(`${baseUrl}/console/clearlinux/builds`);
    await page.waitForSelector('[data-chart=builds][data-rendered=true]');
    const builds = (await option('builds')) as { xAxis: { name: string }; yAxis: { name: string } };
    expect([builds.xAxis.name, builds.yAxis.name]).toEqual(['Build', 'Records (count)']);

    // CSV next to JSON, with the same filters; one table per ?table=
    const json = await page.getAttribute('[data-testid=analytics-api]', 'href');
    const csv = await page.getAttribute('[data-testid=analytics-csv]', 'href');
    expect(csv).toBe(json!.replace('/api/clearlinux/builds', '/console/clearlinux/builds.csv'));
    const all = await page.request.get(`${baseUrl}${csv}`);
    expect(all.headers()['content-type']).toContain('text/csv');
    expect((await all.text()).split('\n').slice(0, 2)).toEqual(['Integer builds', 'Build,Records']);
    const one = await page.request.get(`${baseUrl}${await page.getAttribute('[data-testid=table-csv-builds]', 'href')}`);
    const rows = (await one.text()).trim().split('\n');
    const shown = await page.$$eval('[data-testid=table-builds] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()).join(',')));
    expect(rows).toEqual(['Build,Records', ...shown]);
    for (const view of ['stats', 'mce', 'thermal', 'population']) {
      await page.goto(`${baseUrl}/console/clearlinux/${view}`);
      expect(await page.locator('[data-testid=analytics-csv]').count()).toBe(1);
      expect((await page.request.get(`${baseUrl}${await page.getAttribute('[data-testid=analytics-csv]', 'href')}`)).status()).toBe(200);
    }

    const shots: [string, string, string][] = [
      ['/console', 'demo-home', '[data-testid=mode]'],
      ['/console/clearlinux/records', 'demo-clearlinux-records', 'table'],
      ['/console/clearlinux/crashes', 'demo-clearlinux-crashes', '[data-chart=clr-top][data-rendered=true]'],
      ['/console/clearlinux/stats', 'demo-clearlinux-stats', '[data-chart=platforms][data-rendered=true]'],
      ['/console/clearlinux/mce', 'demo-clearlinux-mce', '[data-chart=mce-weekly][data-rendered=true]'],
      ['/console/clearlinux/thermal', 'demo-clearlinux-thermal', '[data-chart=thermal][data-rendered=true]'],
      ['/console/clearlinux/population', 'demo-clearlinux-population', 'table'],
      ['/console/fuel/reports', 'demo-fuel-reports', 'main'],
      ['/console/support/failure-reports', 'demo-support-failure-reports', 'table'],
      ['/console/submissions', 'demo-submissions', '[data-chart=submission-counts][data-rendered=true]'],
      ['/console/submissions/errors', 'demo-submission-errors', 'table'],
      ['/console/nodes', 'demo-nodes', 'table'],
    ];
    for (const [path, name, ready] of shots) {
      await page.goto(`${baseUrl}${path}`);
      await page.waitForSelector(ready);
      await page.waitForTimeout(300);
      await screenshot(page, name);
    }
    // every source's main page shows seeded data
    await page.goto(`${baseUrl}/console/nodes`);
    expect(await page.textContent('main')).toContain('demo-validator-alice');
    await page.goto(`${baseUrl}/console/submissions/errors`);
    expect(await page.textContent('main')).toContain('changesetID');
    await page.goto(`${baseUrl}/console/support/failure-reports`);
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(0);
  }, 300_000);
});
