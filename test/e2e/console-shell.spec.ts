import { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, screenshot, signIn } from '../support/browser';

describe('console shell in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends an anonymous visitor to the login page, then shows mode, capabilities and projectors', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/console`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, baseUrl);
    expect(await page.textContent('[data-testid=mode]')).toBe(t.config.databaseUrl ? (t.config.kafkaBrokers.length ? 'full' : 'external') : 'embedded');
    expect(await page.textContent('[data-testid=rollup-mode]')).toBe((await t.app.inject({ method: 'GET', url: '/api/admin/status', headers: t.auth })).json().capabilities.rollupMode);
    expect(await page.locator('[data-testid=projectors]').count()).toBe(1);
    expect(await page.evaluate('typeof window.htmx')).toBe('object');
    await screenshot(page, 'console-shell');
    await page.close();
  });
});
