import { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { launchBrowser, listen, signInWithPassword } from '../support/browser';

/** A person signs in with name and password in Chromium, gets their role's pages, and signing out ends the session. */
describe('console sign-in by name and password', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { ...t.auth, 'content-type': 'application/json' }, payload: { name: 'ada', role: 'analyst', password: 'analytical engine notes' } });
    expect(created.statusCode).toBe(201);
    baseUrl = await listen(t);
    browser = await launchBrowser({ enforceCsp: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, is refused a support page with 403, signs out, and the old cookie no longer works', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithPassword(page, baseUrl, 'ada', 'analytical engine notes', '/console/plugins');
    expect(page.url()).toBe(`${baseUrl}/console/plugins`);
    const cookie = (await context.cookies()).find((c) => c.name === 'tp_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });

    const support = await page.goto(`${baseUrl}/console/support/failure-reports`);
    expect(support!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('needs role support');

    await page.goto(`${baseUrl}/console`);
    await Promise.all([page.waitForURL(`${baseUrl}/login`), page.click('form.logout button[type=submit]')]);
    const reused = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: `tp_session=${cookie.value}` } });
    expect(reused.statusCode).toBe(401);

    // A wrong password stays on the login page with a message.
    await page.goto(`${baseUrl}/login`);
    await page.fill('[data-testid=password-login] input[name=name]', 'ada');
    await page.fill('[data-testid=password-login] input[name=password]', 'not the password at all');
    await page.click('[data-testid=password-login] button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('not valid');
    await context.close();
  }, 60_000);
});
