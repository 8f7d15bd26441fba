import { randomBytes } from 'node:crypto';
import { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';

const TID = '6907c830-eed9-4ce9-81ae-76daf8d88f0f';
const RUN = randomBytes(3).toString('hex');
const LIBC = `/usr/lib64/libc-${RUN}.so.6`;
const APP = `/usr/bin/calc-${RUN}`;
const BUILD = String(800_000 + Math.floor(Math.random() * 90_000));
const OLD_BUILD = String(Number(BUILD) - 10);

function payload(pid: number, fn: string): string {
  return `Process: ${APP}\nPID: ${pid}\nSignal: 6\n\nBacktrace (TID ${pid}):\n#0 abort() - [${LIBC}]\n#1 ${fn} - [${APP}] - calc.c:${pid}\n#2 main() - [${APP}]\n#3 _start() - [${APP}]\n`;
}

describe('Crashes console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    const crashes: [string, string][] = [
      [BUILD, 'solve()'],
      [BUILD, 'solve()'],
      [BUILD, 'parse()'],
      [OLD_BUILD, 'parse()'],
      [OLD_BUILD, 'render()'],
    ];
    for (const [i, [build, fn]] of crashes.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v2/collector',
        headers: {
          record_format_version: '4', classification: 'org.clearlinux/crash/clr', severity: '3', machine_id: `m${i}-${RUN}`,
          creation_timestamp: String(Math.floor(Date.now() / 1000)), arch: 'x86_64', host_type: 'blank|blank|blank', build,
          kernel_version: '5.0.7-744.native', payload_format_version: '1', system_name: 'clear-linux-os', board_name: 'b',
          cpu_model: 'c', bios_version: 'v', event_id: randomBytes(16).toString('hex'), 'X-Telemetry-TID': TID,
        },
        payload: payload(1000 + i, fn),
      });
      expect(res.statusCode).toBe(201);
    }
    await t.runtime.catchUp(['clearlinux-crashes']);
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the top guilty frames, filters by build in the URL, and leads to a crash with its guilty frame highlighted', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, '/console/clearlinux/crashes');
    const api = (await t.app.inject({ method: 'GET', url: '/api/clearlinux/crashes/top-guilty', headers: t.auth })).json() as {
      rows: { label: string; total: number }[];
    };
    const ours = api.rows.filter((r) => r.label.includes(LIBC));
    expect(ours).toEqual([{ ...ours[0], label: `abort() - [${LIBC}]`, total: 5 }]);

    const row = page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `abort() - [${LIBC}]` });
    expect(await row.locator('[data-testid=guilty-total]').textContent()).toBe('5');
    expect(await row.locator(`td[data-build="${BUILD}"]`).textContent()).toBe('3');
    expect(await row.locator(`td[data-build="${OLD_BUILD}"]`).textContent()).toBe('2');
    await page.waitForSelector('[data-testid=clr-top-chart] canvas');
    await page.waitForSelector('[data-testid=clr-class-chart] canvas');
    await page.waitForSelector('[data-testid=clr-build-chart] canvas');
    await screenshot(page, 'crashes-top');

    // build filter: htmx swaps the table and pushes the filter into the URL
    await page.selectOption('select[name=build]', BUILD);
    await page.waitForURL(/build=/);
    expect(new URL(page.url()).searchParams.get('build')).toBe(BUILD);
    await page.waitForFunction(`document.querySelector('[data-testid=clr-crashes-window]')?.textContent?.includes('build ${BUILD}')`);
    const filtered = page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `abort() - [${LIBC}]` });
    expect(await filtered.locator('[data-testid=guilty-total]').textContent()).toBe('3');
    expect(await page.locator(`[data-testid=clr-top-guilty] td[data-build="${OLD_BUILD}"]`).count()).toBe(0);

    await Promise.all([page.waitForURL(/\/crashes\/guilty\?/), filtered.locator('[data-testid=guilty-crashes-link]').click()]);
    expect(await page.textContent('[data-testid=crash-list-total]')).toBe('3');
    expect(await page.locator('[data-testid=crash-item]').count()).toBe(3);
    await screenshot(page, 'crashes-guilty-list');

    await Promise.all([page.waitForURL(/\/crashes\/[0-9]+$/), page.locator('[data-testid=crash-link]').first().click()]);
    expect(await page.textContent('[data-testid=crash-program]')).toBe(APP);
    const guilty = page.locator('[data-testid=guilty-frame]');
    expect(await guilty.count()).toBe(1);
    expect(await guilty.textContent()).toContain('abort()');
    expect(await guilty.getAttribute('class')).toContain('guilty');
    // highlighted: the guilty row's cells have the highlight background, the other rows' do not
    const background = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector('${selector}')).backgroundColor`);
    expect(await background('[data-testid=guilty-frame] td')).toBe('rgb(253, 232, 230)');
    expect(await background('[data-testid=backtrace] tbody tr:not(.guilty) td')).not.toBe('rgb(253, 232, 230)');
    await screenshot(page, 'crash-detail');
    await page.close();
  });

  it('marks a frame never-guilty from a crash, regroups, and shows the split groups; unmarking undoes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, '/console/clearlinux/crashes');
    const link = page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `abort() - [${LIBC}]` }).locator('[data-testid=guilty-crashes-link]');
    await Promise.all([page.waitForURL(/\/crashes\/guilty\?/), link.click()]);
    await Promise.all([page.waitForURL(/\/crashes\/[0-9]+$/), page.locator('[data-testid=crash-link]').first().click()]);

    await page.check(`input[name=frame][aria-label="never-guilty abort()"]`);
    await Promise.all([page.waitForURL(/\/never-guilty/), page.click('[data-testid=apply-never-guilty]')]);
    await page.waitForSelector('[data-testid=regroup-done]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=regroup-total-before]')).toBe(await page.textContent('[data-testid=regroup-total-after]'));
    const changes: string[] = [];
    for (const row of await page.locator('[data-testid=regroup-changes] tbody tr').all()) {
      changes.push((await row.locator('td').allTextContents()).map((c) => c.trim()).join(' | '));
    }
    expect(changes).toEqual(
      expect.arrayContaining([
        `abort() - [${LIBC}] | 5 | 0 | -5 | merged away`,
        `solve() - [${APP}] | 0 | 2 | +2 | new group (split off)`,
        `parse() - [${APP}] | 0 | 2 | +2 | new group (split off)`,
        `render() - [${APP}] | 0 | 1 | +1 | new group (split off)`,
      ]),
    );
    expect(await page.locator('[data-testid=never-guilty-list] tbody tr', { hasText: LIBC }).count()).toBe(1);
    await screenshot(page, 'never-guilty-after-edit');

    await page.goto(`${baseUrl}/console/clearlinux/crashes`);
    const totals = await page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: APP }).locator('[data-testid=guilty-total]').allTextContents();
    expect(totals.map(Number).sort()).toEqual([1, 2, 2]);

    // undo
    await page.goto(`${baseUrl}/console/clearlinux/never-guilty`);
    await Promise.all([page.waitForURL(/\/never-guilty/), page.locator('[data-testid=never-guilty-list] tbody tr', { hasText: LIBC }).locator('[data-testid=unmark]').click()]);
    await page.waitForSelector('[data-testid=regroup-done]', { timeout: 60_000 });
    expect(await page.locator('[data-testid=never-guilty-list] tbody tr', { hasText: LIBC }).count()).toBe(0);
    await page.goto(`${baseUrl}/console/clearlinux/crashes`);
    expect(await page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `abort() - [${LIBC}]` }).locator('[data-testid=guilty-total]').textContent()).toBe('5');
    await page.close();
  });

  it('applies a checkbox edit to one crash only, comments and hides its old guilty, and unhides it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const abortRow = () => page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `abort() - [${LIBC}]` });
    const cell = (row: ReturnType<typeof abortRow>, build: string) => row.locator(`td[data-build="${build}"]`).textContent();
    await signIn(page, baseUrl, '/console/clearlinux/crashes');
    expect(await abortRow().locator('[data-testid=guilty-total]').textContent()).toBe('5');

    // the newest crash of abort() is the render() one (posted last)
    await Promise.all([page.waitForURL(/\/crashes\/guilty\?/), abortRow().locator('[data-testid=guilty-crashes-link]').click()]);
    await Promise.all([page.waitForURL(/\/crashes\/[0-9]+$/), page.locator('[data-testid=crash-link]').first().click()]);
    const crashUrl = page.url();
    // 4 frames; _start() is never offered, so 3 checkboxes, none checked yet
    expect(await page.locator('[data-testid=backtrace] tbody tr').count()).toBe(4);
    expect(await page.locator('input[name=frame]').count()).toBe(3);
    expect(await page.locator('input[name=frame]:checked').count()).toBe(0);
    expect(await page.textContent('[data-testid=crash-guilty]')).toBe(`abort() - [${LIBC}]`);

    await page.check('input[name=frame][aria-label="never-guilty abort()"]');
    await Promise.all([page.waitForURL(/applied=1/), page.click('[data-testid=apply-record]')]);
    expect(await page.textContent('[data-testid=crash-guilty]')).toBe(`render() - [${APP}]`);
    expect(await page.textContent('[data-testid=crash-applied]')).toContain(`render() - [${APP}]`);
    // pre-checked now that abort() is never-guilty
    expect(await page.isChecked('input[name=frame][aria-label="never-guilty abort()"]')).toBe(true);
    await screenshot(page, 'crash-apply-one-record');

    // only this crash moved: abort() 5 → 4 (old build 2 → 1), render() 0 → 1
    await page.goto(`${baseUrl}/console/clearlinux/crashes`);
    expect(await abortRow().locator('[data-testid=guilty-total]').textContent()).toBe('4');
    expect(await cell(abortRow(), BUILD)).toBe('3');
    expect(await cell(abortRow(), OLD_BUILD)).toBe('1');
    const renderRow = page.locator('[data-testid=clr-top-guilty] tbody tr', { hasText: `render() - [${APP}]` });
    expect(await renderRow.locator('[data-testid=guilty-total]').textContent()).toBe('1');

    // guilty detail: the 4 remaining crashes per (build, machine), newest build first
    await Promise.all([page.waitForURL(/\/guilties\/[0-9a-f]{16}$/), abortRow().locator('[data-testid=guilty-link]').click()]);
    expect(await page.textContent('[data-testid=guilty-machines-total]')).toBe('4');
    const machineRows: string[] = [];
    for (const row of await page.locator('[data-testid=guilty-machines] tbody tr').all()) machineRows.push((await row.locator('td').allTextContents()).join(' '));
    expect(machineRows).toEqual([`${BUILD} m0-${RUN} 1`, `${BUILD} m1-${RUN} 1`, `${BUILD} m2-${RUN} 1`, `${OLD_BUILD} m3-${RUN} 1`]);

    await page.fill('input[name=comment]', 'abort after a failed assertion; see bug 42');
    await Promise.all([page.waitForURL(/saved=1/), page.click('[data-testid=guilty-comment-save]')]);
    expect(await page.textContent('[data-testid=guilty-comment-value]')).toBe('abort after a failed assertion; see bug 42');
    await Promise.all([page.waitForURL(/saved=1/), page.click('[data-testid=guilty-hide]')]);
    expect(await page.textContent('[data-testid=guilty-visibility]')).toBe('hidden');
    await screenshot(page, 'guilty-detail-hidden');
    const detailUrl = page.url().replace(/\?.*$/, '');

    await page.goto(`${baseUrl}/console/clearlinux/crashes`);
    expect(await abortRow().count()).toBe(0);
    expect(await renderRow.locator('[data-testid=guilty-total]').textContent()).toBe('1');
    expect(await page.textContent('[data-testid=clr-hidden-guilties]')).toContain(`abort() - [${LIBC}] — abort after a failed assertion; see bug 42`);
    await screenshot(page, 'crashes-with-hidden-guilty');

    await page.goto(detailUrl);
    await Promise.all([page.waitForURL(/saved=1/), page.click('[data-testid=guilty-unhide]')]);
    await page.goto(`${baseUrl}/console/clearlinux/crashes`);
    expect(await abortRow().locator('[data-testid=guilty-total]').textContent()).toBe('4');
    expect(await abortRow().locator('[data-testid=guilty-comment]').textContent()).toBe('abort after a failed assertion; see bug 42');
    await screenshot(page, 'crashes-guilty-comment');

    // the crash keeps its re-processed guilty
    await page.goto(crashUrl);
    expect(await page.textContent('[data-testid=crash-guilty]')).toBe(`render() - [${APP}]`);
    await page.close();
  });
});
