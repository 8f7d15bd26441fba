import { Browser, Page } from 'playwright-core';
import { RollupInstaller } from '../../src/database/rollup-installer';
import { CLR_ROLLUPS } from '../../src/sources/clearlinux/analytics/analytics.rollups';
import { loadDemoFixtures, sendDemoRecords } from '../../src/cli/seed/demo-fixtures';
import { demoRecords } from '../../src/cli/seed/demo-records';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';

/** Every analytics view in Chromium: demo records sent through the real collector, charts drawn, numbers shown. */
const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';

describe('Clear Linux analytics views in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let page: Page;
  const api = async <T>(path: string): Promise<T> => (await t.app.inject({ method: 'GET', url: path, headers: t.auth })).json() as T;
  /** Series data ECharts actually holds for a chart element. */
  const chartData = (id: string) =>
    page.evaluate(`(() => {
      const chart = window.echarts.getInstanceByDom(document.getElementById(${JSON.stringify(`chart-${id}`)}));
      return chart ? chart.getOption().series.map((s) => s.data) : null;
    })()`);
  const tableRows = (id: string) =>
    page.$$eval(`[data-testid=table-${id}] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));

  beforeAll(async () => {
    t = await startTestApp(WITHOUT_PRIVACY_FLOOR);
    baseUrl = await listen(t);
    const statuses = await sendDemoRecords(baseUrl, demoRecords(loadDemoFixtures(), { count: 400, now: new Date(), days: 30, seed: 11, salt: `e2e${Date.now()}` }), TID, 8);
    expect(statuses).toEqual({ 201: 400 });
    await t.runtime.catchUp(['clearlinux-records', 'clearlinux-analytics']);
    const rollups = t.app.get(RollupInstaller);
    for (const def of Object.values(CLR_ROLLUPS)) await rollups.refresh(def.name, null, null);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, baseUrl, '/console/clearlinux/builds');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('Builds: bar chart and table show the per-build counts of the API', async () => {
    const v = await api<{ builds: { build: string; records: number }[]; otherBuilds: { build: string; records: number }[]; total: number }>('/api/clearlinux/builds');
    await page.waitForSelector('[data-chart=builds][data-rendered=true]');
    expect(await chartData('builds')).toEqual([v.builds.map((b) => b.records)]);
    expect(await tableRows('builds')).toEqual(v.builds.map((b) => [b.build, String(b.records)]));
    expect(await tableRows('other-builds')).toEqual(v.otherBuilds.map((b) => [b.build, String(b.records)]));
    expect(v.total).toBe(400);
    await screenshot(page, 'analytics-builds');
  });

  it('Builds: the build filter refreshes the body through htmx and lands in the URL', async () => {
    await page.selectOption('select[name=build]', '31070');
    await page.waitForURL(/build=31070/);
    await page.waitForFunction(`document.querySelectorAll('[data-testid=table-builds] tbody tr').length === 1`);
    const v = await api<{ builds: { build: string; records: number }[] }>('/api/clearlinux/builds?build=31070');
    expect(await tableRows('builds')).toEqual([['31070', String(v.builds[0].records)]]);
    await page.waitForSelector('[data-chart=builds][data-rendered=true]');
    expect(await chartData('builds')).toEqual([[v.builds[0].records]]);
    expect(await page.evaluate('document.querySelectorAll("header.top").length')).toBe(1); // partial swap, not a nested page
    await screenshot(page, 'analytics-builds-filtered');
  });

  it('Stats: both pies and tables', async () => {
    await page.goto(`${baseUrl}/console/clearlinux/stats`);
    const v = await api<{ classifications: { name: string; records: number }[]; platforms: { name: string; records: number }[] }>('/api/clearlinux/stats');
    await page.waitForSelector('[data-chart=platforms][data-rendered=true]');
    expect(await chartData('classifications')).toEqual([v.classifications.map((c) => ({ name: c.name, value: c.records }))]);
    expect(await tableRows('platforms')).toEqual(v.platforms.map((c) => [c.name, String(c.records)]));
    await screenshot(page, 'analytics-stats');
  });

  it('MCE: classes, builds, weekly lines and the machine table', async () => {
    await page.goto(`${baseUrl}/console/clearlinux/mce`);
    const v = await api<{ classes: { class: string; records: number }[]; machines: { machine_id: string; total: number }[]; total: number }>('/api/clearlinux/mce');
    expect(v.total).toBeGreaterThan(0);
    await page.waitForSelector('[data-chart=mce-weekly][data-rendered=true]');
    expect(await chartData('mce-classes')).toEqual([v.classes.map((c) => ({ name: c.class, value: c.records }))]);
    expect(await tableRows('mce-classes')).toEqual(v.classes.map((c) => [c.class, String(c.records)]));
    const machines = await tableRows('mce-machines');
    expect(machines.map((r) => [r[0], r[r.length - 1]])).toEqual(v.machines.map((m) => [m.machine_id, String(m.total)]));
    await screenshot(page, 'analytics-mce');
  });

  it('Thermal: five ISO weeks', async () => {
    await page.goto(`${baseUrl}/console/clearlinux/thermal`);
    const v = await api<{ weeks: { week: string; start: string; records: number }[]; total: number }>('/api/clearlinux/thermal');
    expect(v.total).toBeGreaterThan(0);
    await page.waitForSelector('[data-chart=thermal][data-rendered=true]');
    expect(await chartData('thermal')).toEqual([v.weeks.map((w) => w.records)]);
    expect(await tableRows('thermal')).toEqual(v.weeks.map((w) => [w.week, w.start, String(w.records)]));
    await screenshot(page, 'analytics-thermal');
  });

  it('Population: five windows, internal and external series, rotation caveat on the page', async () => {
    await page.goto(`${baseUrl}/console/clearlinux/population`);
    const v = await api<{ windows: { name: string; builds: { build: string; internal: number; external: number }[] }[] }>('/api/clearlinux/population');
    await page.waitForSelector('[data-chart=population-1d][data-rendered=true]');
    for (const w of v.windows) {
      expect(await chartData(`population-${w.name}`)).toEqual([w.builds.map((b) => b.internal), w.builds.map((b) => b.external)]);
    }
    const overall = v.windows[0].builds;
    expect(overall.reduce((a, b) => a + b.internal + b.external, 0)).toBeGreaterThan(0);
    expect((await tableRows('population-overall')).slice(0, overall.length)).toEqual(overall.map((b) => [b.build, String(b.internal), String(b.external)]));
    expect(await page.textContent('main')).toContain('Machine ids rotate every 3 days');
    await screenshot(page, 'analytics-population');
  });

  it('Plugin view: the example plugin renders its chart and table', async () => {
    await page.goto(`${baseUrl}/console/plugins/records-per-os?days=60`);
    const v = await api<{ rows: { os_name: string; records: number; machines: number }[] }>('/api/plugins/records-per-os?days=60');
    await page.waitForSelector('[data-chart=plugin-records-per-os][data-rendered=true]');
    expect(await chartData('plugin-records-per-os')).toEqual([v.rows.map((r) => r.records), v.rows.map((r) => r.machines)]);
    expect(await page.$$eval('[data-testid=plugin-table] tbody tr', (trs) => trs.length)).toBe(v.rows.length);
    await screenshot(page, 'analytics-plugin');
  });
});
