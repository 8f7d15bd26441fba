import { randomBytes } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { v4Headers } from '../support/clearlinux-headers';
import { eventually } from '../support/database';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';

/** The Records view (spec clearlinux.md §8.1) in Debian chromium: filter by classification, paginate, open a record. */
const RUN = randomBytes(3).toString('hex');
const CRASH = `org.e2e${RUN}/crash/clr`;
const HELLO = `org.e2e${RUN}/hello/world`;
const CRASHES = 60; // more than one page of 50
const HELLOS = 7;

function recordHeaders(classification: string, i: number): Record<string, string> {
  return v4Headers({
    classification,
    machine_id: `${i.toString(16).padStart(4, '0')}${RUN}`.padEnd(32, '0'),
    creation_timestamp: String(1700000000 + i),
    build: '31000',
    event_id: randomBytes(16).toString('hex'),
  });
}

describe('Records view in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  const payloads = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    const posts = [
      ...Array.from({ length: CRASHES }, (_, i) => ({ classification: CRASH, i, payload: `Crash ${i} in ${RUN}\n#0 0x1 in main () from /usr/bin/e2e` })),
      ...Array.from({ length: HELLOS }, (_, i) => ({ classification: HELLO, i: 1000 + i, payload: `hello ${i}` })),
    ];
    for (const p of posts) {
      const res = await t.app.inject({ method: 'POST', url: '/v2/collector', headers: recordHeaders(p.classification, p.i), payload: p.payload });
      expect(res.statusCode).toBe(201);
      payloads.set(String(res.json().id), p.payload);
    }
    await eventually(
      async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE classification LIKE $1`, [`org.e2e${RUN}/%`]))[0].n === posts.length,
      30_000,
      'records projected',
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shownRows = (page: Page) =>
    page.$$eval('[data-testid=clr-records] tbody tr[data-record-id]', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-record-id')!, classification: tr.children[5].textContent!.trim() })),
    );

  it('filters by classification with an htmx swap, reflects the filter in the URL, paginates and opens a record', async () => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, '/console/clearlinux/records');
    const unfiltered = await shownRows(page);
    expect(unfiltered).toHaveLength(50);

    // Choosing a classification swaps only the table (htmx) and pushes the filter into the URL.
    await page.evaluate(`window.swapped = false; document.body.addEventListener('htmx:afterSwap', () => (window.swapped = true))`);
    await page.selectOption('select[name=classification]', CRASH);
    await page.waitForFunction('window.swapped === true');
    await page.waitForURL((url) => url.searchParams.get('classification') === CRASH);
    const first = await shownRows(page);
    expect(first).toHaveLength(50);
    expect(new Set(first.map((r) => r.classification))).toEqual(new Set([CRASH]));
    await screenshot(page, 'records-filtered');

    await page.click('nav.pager a:has-text("Older")');
    await page.waitForURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('classification') === CRASH);
    const second = await shownRows(page);
    expect(second).toHaveLength(CRASHES - 50);
    expect(new Set(second.map((r) => r.classification))).toEqual(new Set([CRASH]));
    // Together the two pages are exactly the crash records, newest first, none repeated.
    const ids = [...first, ...second].map((r) => Number(r.id));
    expect(new Set(ids).size).toBe(CRASHES);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    await screenshot(page, 'records-page-2');

    // A reload of the pushed URL renders the same filtered page (filters live in the URL).
    await page.reload();
    expect((await shownRows(page)).map((r) => r.id)).toEqual(second.map((r) => r.id));
    expect(await page.inputValue('select[name=classification]')).toBe(CRASH);

    const target = second[0].id;
    await page.click(`tr[data-record-id="${target}"] a`);
    await page.waitForURL(`${baseUrl}/console/clearlinux/records/${target}`);
    expect(await page.textContent('[data-testid=clr-payload]')).toBe(payloads.get(target));
    expect(await page.textContent('[data-testid=clr-record]')).toContain(CRASH);
    await screenshot(page, 'record-detail');
    await page.close();
  });
});
