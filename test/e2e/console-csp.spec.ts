import { Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, signIn } from '../support/browser';
import { v4Headers } from '../support/clearlinux-headers';

/**
 * The console under its own Content-Security-Policy (scripts from 'self' only): pages, htmx swaps, charts,
 * the navigation toggle, form posts (which the CSRF check must accept from our own pages) and the API docs
 * work, and the browser reports no violation.
 */
describe('console under its Content-Security-Policy in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    // One crash, so the Crashes page has charts to draw.
    const crash = await t.app.inject({ method: 'POST', url: '/v2/collector', headers: v4Headers({ classification: 'org.clearlinux/crash/clr' }), payload: 'Backtrace (TID 1):\n#0 0x1 in abort() from /usr/lib64/libc.so.6\n' });
    expect(crash.statusCode).toBe(201);
    await t.runtime.catchUp();
    baseUrl = await listen(t);
    browser = await launchBrowser({ enforceCsp: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const violations = (page: Page) => {
    const seen: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
    });
    return seen;
  };

  it('renders pages, charts and htmx swaps and posts forms without a violation', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const seen = violations(page);
    await signIn(page, baseUrl, '/console/clearlinux/crashes');
    await page.waitForSelector('[data-testid=clr-class-chart][data-rendered=true]');
    await page.goto(`${baseUrl}/console/clearlinux/records`);
    await page.click('[data-testid=nav-toggle]');
    expect(await page.getAttribute('[data-testid=nav-toggle]', 'aria-expanded')).toBe('true');
    await page.goto(`${baseUrl}/console/alerts/rules`);
    await page.fill('[data-testid=new-channel] input[name=name]', 'CSP webhook');
    await page.fill('[data-testid=new-channel] input[name=target]', 'https://hooks.example.com/csp');
    await page.fill('[data-testid=new-channel] input[name=secret]', 'csp-signing-secret');
    await Promise.all([page.waitForURL(`${baseUrl}/console/alerts/rules`), page.click('[data-testid=new-channel] button[type=submit]')]);
    expect(await page.textContent('[data-testid=channels]')).toContain('CSP webhook');
    expect(seen).toEqual([]);
    await page.close();
  });

  it('serves the API docs under the same policy (to a signed-in caller: they need a viewer)', async () => {
    const page = await browser.newPage();
    const seen = violations(page);
    await signIn(page, baseUrl, '/api/docs');
    await page.waitForSelector('.swagger-ui .info', { timeout: 20_000 });
    expect(seen).toEqual([]);
    await page.close();
  });
});
