import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { TestApp, TEST_ADMIN_TOKEN } from './app';

export const SCREENSHOTS_DIR = join(__dirname, '..', 'e2e', 'screenshots');

/**
 * Debian's chromium, never a downloaded browser; flags keep it off the (closed) network. Pages bypass the
 * console's Content-Security-Policy unless `enforceCsp`: Playwright evaluates the tests' string predicates
 * with eval, which that policy rightly forbids. console-csp.spec.ts drives the console with it enforced.
 */
export async function launchBrowser(options: Readonly<{ enforceCsp?: boolean }> = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  if (!options.enforceCsp) {
    const newPage = browser.newPage.bind(browser);
    browser.newPage = (pageOptions = {}) => newPage({ bypassCSP: true, ...pageOptions });
  }
  return browser;
}

/** Starts the app on a loopback port and returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/** Signs in through the real login form, with the bootstrap admin token. */
export async function signIn(page: Page, baseUrl: string, next = '/console'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('[data-testid=token-login] input[name=token]', TEST_ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${baseUrl}${next}`), page.click('[data-testid=token-login] button[type=submit]')]);
}

/** Signs in through the real login form with a person's name and password. */
export async function signInWithPassword(page: Page, baseUrl: string, name: string, password: string, next = '/console'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('[data-testid=password-login] input[name=name]', name);
  await page.fill('[data-testid=password-login] input[name=password]', password);
  await Promise.all([page.waitForURL(`${baseUrl}${next}`), page.click('[data-testid=password-login] button[type=submit]')]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
