import { randomUUID } from 'node:crypto';
import { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';
import { eventually } from '../support/database';

type Drops = {
  submissions: { accepted: number; dropped: number; byCategory: Record<string, number> };
  nodes: { stored: number; dropped: number; lines: { reason: string; count: number }[] };
  totalDropped: number;
};
const PROJECTORS = ['submission-documents', 'submission-errors'];

describe('submissions console in Chromium: counts chart, error stream viewer, drop accounting', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let node: WebSocket;
  /** Before this run's submissions (Kafka mode projects earlier runs' events into every fresh database). */
  let before: Drops;
  const jsonDocId = randomUUID();
  const schemaDocId = randomUUID();
  const testDocIds = [randomUUID(), randomUUID(), randomUUID()];

  const drops = async (): Promise<Drops> => (await t.app.inject({ method: 'GET', url: '/api/drops', headers: t.auth })).json();
  const submit = (url: string, payload: string) => t.app.inject({ method: 'POST', url, payload });

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    browser = await launchBrowser();
    await t.runtime.catchUp(PROJECTORS);
    before = await drops();
    for (const id of testDocIds) expect((await submit(`/submit/test/test/1/${id}`, '{"n":1}')).statusCode).toBe(200);
    expect((await submit(`/submit/eng-workflow/hgpush/1/${randomUUID()}`, '{"changesetID":"abc"}')).statusCode).toBe(200);
    expect((await submit(`/submit/eng-workflow/hgpush/1/${schemaDocId}`, '{"nochangeset":true}')).statusCode).toBe(200);
    expect((await submit(`/submit/test/test/1/${jsonDocId}`, 'not json {')).statusCode).toBe(200);
    expect((await submit(`/submit/test/test/1/${testDocIds[0]}`, '{"n":2}')).statusCode).toBe(200); // duplicate
    expect((await submit('/submit/test/test/x/not-a-uuid', '{}')).statusCode).toBe(400);
    await t.runtime.catchUp(PROJECTORS);
    node = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/`);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    node.send('this is not json');
    await eventually(async () => (await drops()).nodes.dropped === before.nodes.dropped + 1, 20_000, 'invalid_json recorded');
  });
  afterAll(async () => {
    node?.close();
    await browser?.close();
    await t?.close();
  });

  it('draws accepted documents per namespace with ECharts', async () => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, '/console/submissions?bucket=minute&hours=1');
    // a string: the test tsconfig has no DOM types
    const handle = await page.waitForFunction(`(() => {
      const chart = window.echarts && window.echarts.getInstanceByDom(document.getElementById('chart-submission-counts'));
      const s = chart ? chart.getOption().series : [];
      return s.length > 0 ? s.map((x) => ({ name: x.name, total: x.data.reduce((a, p) => a + p[1], 0) })) : null;
    })()`);
    const series = (await handle.jsonValue()) as { name: string; total: number }[];
    const byName = Object.fromEntries(series.map((s) => [s.name, s.total]));
    expect(byName.test).toBeGreaterThanOrEqual(3);
    expect(byName['eng-workflow']).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-submission-counts canvas').count()).toBeGreaterThan(0);
    const api = (await t.app.inject({ method: 'GET', url: '/api/submissions/counts?bucket=minute&hours=1', headers: t.auth })).json();
    const apiTest = api.series.find((s: { namespace: string }) => s.namespace === 'test');
    expect(apiTest.points.reduce((a: number, p: [string, number]) => a + p[1], 0)).toBe(byName.test);
    await screenshot(page, 'submissions-counts');
    await page.close();
  });

  it('filters the error stream by reason and shows a record\'s raw payload', async () => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, '/console/submissions/errors');
    await page.selectOption('select[name=error_type]', 'json');
    await page.waitForURL(/error_type=json/);
    await page.waitForFunction(`[...document.querySelectorAll('[data-testid=submission-errors] tbody tr')].every((r) => r.getAttribute('data-error-type') === 'json')`);
    const row = page.locator(`[data-testid=submission-errors] tbody tr`, { hasText: jsonDocId });
    expect(await row.count()).toBe(1);
    await screenshot(page, 'submissions-errors');
    await Promise.all([page.waitForURL(/\/console\/submissions\/errors\/[0-9a-f-]{36}$/), row.locator('[data-testid=view-payload]').click()]);
    expect(await page.textContent('[data-testid=error-type]')).toBe('json');
    expect(await page.textContent('[data-testid=payload-text]')).toBe('not json {');
    expect(await page.textContent('[data-testid=payload-hex]')).toContain('6e 6f 74 20 6a 73 6f 6e'); // "not json"
    expect(await page.textContent('[data-testid=payload-summary]')).toContain('10 bytes');
    await screenshot(page, 'submissions-error-payload');
    await page.goto(`${baseUrl}/console/submissions/errors?error_type=schema&namespace=eng-workflow`);
    expect(await page.locator('[data-testid=submission-errors] tbody tr', { hasText: schemaDocId }).textContent()).toContain('changesetID');
    await page.close();
  });

  it('sums every rejected, deduplicated and errored submission and every node drop by reason', async () => {
    const after = await drops();
    expect(after.submissions.accepted - before.submissions.accepted).toBe(4);
    expect(after.submissions.byCategory.rejected - before.submissions.byCategory.rejected).toBe(1);
    expect(after.submissions.byCategory.deduplicated - before.submissions.byCategory.deduplicated).toBe(1);
    expect(after.submissions.byCategory.errored - before.submissions.byCategory.errored).toBe(2);
    expect(after.nodes.lines.find((l) => l.reason === 'invalid_json')?.count).toBe(1);
    const page = await browser.newPage();
    await signIn(page, baseUrl, '/console/drops');
    const num = async (id: string) => Number(await page.textContent(`[data-testid=${id}]`));
    expect(await num('sub-accepted')).toBe(after.submissions.accepted);
    expect(await num('sub-rejected')).toBe(after.submissions.byCategory.rejected);
    expect(await num('sub-deduplicated')).toBe(after.submissions.byCategory.deduplicated);
    expect(await num('sub-errored')).toBe(after.submissions.byCategory.errored);
    expect(await num('sub-dropped')).toBe(after.submissions.dropped);
    expect(await num('nodes-dropped')).toBe(after.nodes.dropped);
    expect(await num('total-dropped')).toBe(after.submissions.dropped + after.nodes.dropped);
    expect(await page.locator('[data-testid=node-drops] tr[data-reason=invalid_json] td.num').textContent()).toBe('1');
    await screenshot(page, 'drop-accounting');
    await page.goto(`${baseUrl}/console/nodes`);
    expect(Number(await page.textContent('[data-testid=open-count]'))).toBe(1);
    await screenshot(page, 'nodes-console');
    await page.close();
  });
});
