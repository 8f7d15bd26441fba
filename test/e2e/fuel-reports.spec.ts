import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { WITHOUT_PRIVACY_FLOOR, startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';
import { readFixture } from '../support/fixtures';

const FUEL_PROJECTORS = ['fuel-action-logs', 'fuel-installations', 'fuel-oswl'];
/** Kafka mode shares topics across runs: this run's installations carry their own uids and release. */
const RUN = randomUUID().slice(0, 8);
const REL = `rel-${RUN}`;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function tagged(name: string): Obj {
  const s = structuredClone(readFixture<Obj>(`fuelstats/${name}`).installation_structure);
  s.master_node_uid = `${s.master_node_uid}-${RUN}`;
  s.fuel_release = { api: '1', feature_groups: [], ...s.fuel_release, release: REL };
  return { installation_structure: s };
}

/** The Fuel report pages (spec fuelstats.md §6) in Chromium: numbers of the fixture set, chart drawn, htmx navigation, URL state. */
describe('Fuel reports console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let page: Page;
  beforeAll(async () => {
    t = await startTestApp(WITHOUT_PRIVACY_FLOOR);
    const post = async (path: string, body: unknown) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/${path}/`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    };
    await post('installation_structure', tagged('installation-structure-full-9.0.json'));
    await post('installation_structure', tagged('installation-structure-two-clusters.json'));
    const logs = readFixture<{ body: { action_logs: Obj[] } }>('fuelstats/action-logs-failed-deployments.json').body.action_logs;
    await post('action_logs', { action_logs: logs.map((r) => ({ ...r, master_node_uid: `${r.master_node_uid}-${RUN}` })) });
    await t.runtime.catchUp(FUEL_PROJECTORS);
    baseUrl = await listen(t);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const headline = (key: string) => page.textContent(`[data-testid=headline-${key}]`);
  const tableRows = async (index: number) =>
    page.locator('[data-testid=fuel-table]').nth(index).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

  it('R6 node roles: combined roles counted as such; chart drawn with ECharts', async () => {
    await page.goto(`${baseUrl}/console/fuel/reports?report=node_roles&release=${REL}`);
    // full-9.0 has 3 ready nodes: controller, compute+ceph-osd ×2 (the other installation's nodes are not ready)
    expect(await headline('installations')).toBe('2');
    expect(await headline('total_nodes')).toBe('3');
    expect(await headline('combined_nodes')).toBe('2');
    expect(await tableRows(0)).toEqual([['ceph-osd+compute', '2'], ['controller', '1']]);
    await page.waitForSelector('[data-testid=fuel-chart][data-rendered=true] svg');
    expect(await page.getAttribute('nav a[aria-current=page]', 'href')).toBe('/console/fuel/reports');
    await screenshot(page, 'fuel-reports-node-roles');
  });

  it('switches to R5 through htmx (no reload), keeping the range in the URL', async () => {
    await page.goto(`${baseUrl}/console/fuel/reports?report=node_roles&from_date=2016-01-01&release=${REL}`);
    await page.evaluate('window.marker = 1');
    await page.click('[data-testid=fuel-report-tabs] >> text=R5 Failures before success');
    await page.waitForSelector('[data-testid=fuel-report][data-report=deployment_failures]');
    expect(await page.evaluate('window.marker')).toBe(1); // partial swap, same document
    const url = new URL(page.url());
    expect(url.searchParams.get('report')).toBe('deployment_failures');
    expect(url.searchParams.get('from_date')).toBe('2016-01-01');
    // fixture environment: deploy 106 error, 110 error, 113 ready → 2 failures before success
    expect(await headline('environments_with_success')).toBe('1');
    expect(await headline('average_failures_before_success')).toBe('2');
    expect(await tableRows(0)).toEqual([['0', '0'], ['1', '0'], ['2', '1'], ['3', '0'], ['4', '0'], ['5+', '0']]);
    await page.waitForSelector('[data-testid=fuel-chart][data-rendered=true] svg');
    await screenshot(page, 'fuel-reports-failures');
    // the date form travels with the report shown: changing it keeps R5
    await page.fill('input[name=to_date]', '2016-05-31');
    await page.click('[data-testid=fuel-report-filters] button[type=submit]');
    await page.waitForFunction(`document.querySelector('[data-testid=headline-environments_with_success]')?.textContent === '0'`);
    expect(new URL(page.url()).searchParams.get('report')).toBe('deployment_failures');
  });

  it('R2 deployment time and a date range that excludes the fixture history', async () => {
    await page.goto(`${baseUrl}/console/fuel/reports?report=deployment_time&from_date=2016-01-01&release=${REL}`);
    expect(await headline('deployments')).toBe('1');
    expect(await headline('mean_s')).toBe('2300');
    await page.fill('input[name=to_date]', '2016-05-31');
    await page.click('[data-testid=fuel-report-filters] button[type=submit]');
    await page.waitForFunction(`new URL(location.href).searchParams.get('to_date') === '2016-05-31'`);
    await page.waitForFunction(`document.querySelector('[data-testid=headline-deployments]')?.textContent === '0'`);
    await screenshot(page, 'fuel-reports-deployment-time');
  });

  it('R4 hardware and R1 OS pages show the fixture numbers; export links download CSV', async () => {
    await page.goto(`${baseUrl}/console/fuel/reports?report=hardware&release=${REL}`);
    expect(await headline('virtual')).toBe('1');
    expect(await headline('bare_metal')).toBe('6');
    await page.goto(`${baseUrl}/console/fuel/reports?report=os&release=${REL}`);
    expect(await headline('total_environments')).toBe('2');
    expect(await tableRows(0)).toEqual([['centos', '1'], ['ubuntu', '1']]);
    await page.waitForSelector('[data-testid=fuel-chart][data-rendered=true] svg');
    await screenshot(page, 'fuel-reports-os');
    const href = await page.getAttribute('[data-testid=fuel-exports] a:has-text("nodes.csv")', 'href');
    const res = await page.request.get(`${baseUrl}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');
    expect((await res.text()).split('\r\n')[0].startsWith('bond_interfaces.count,group_id,id,')).toBe(true);
  });

  it('links the OSWL CSVs, the tar of all CSVs and the JSON exports', async () => {
    await page.goto(`${baseUrl}/console/fuel/reports?report=os&from_date=2016-06-01&to_date=2016-06-04`);
    const links = await page.locator('[data-testid=fuel-exports] a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    const range = '?from_date=2016-06-01&to_date=2016-06-04';
    expect(links).toEqual(expect.arrayContaining([
      ...['vm', 'flavor', 'volume', 'image', 'tenant', 'keystone_user'].map((t) => [`${t}.csv`, `/api/v1/csv/${t}${range}`]),
      ['all CSVs (tar)', `/api/v1/csv/all${range}`],
      ['summary (JSON)', '/api/v1/json/summary'],
      ['filtered installations (JSON)', '/api/v1/json/installation_infos/filtered'],
    ]));
    const tar = await page.request.get(`${baseUrl}/api/v1/csv/all${range}`);
    expect(tar.status()).toBe(200);
    expect(tar.headers()['content-type']).toBe('application/x-tar');
    const vm = await page.request.get(`${baseUrl}/api/v1/csv/vm${range}`);
    expect((await vm.text()).startsWith('cluster_id,master_node_uid,resource_type,stats_on_date,')).toBe(true);
  });
});
