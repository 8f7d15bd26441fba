import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminToken } from '../../../src/auth/admin-token';
import { safeNext } from '../../../src/console/console.controller';
import { startTestApp, TestApp, TEST_ADMIN_TOKEN } from '../../support/app';

/** The console's doors: security headers, CSRF, open redirects, login guessing, a guessable token file. */
describe('console hardening', () => {
  let t: TestApp;
  let session: string;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  // Sign-ins come from another client than the login-guessing test's, which counts its own attempts.
  const signIn = async () => {
    const login = await t.app.inject({ method: 'POST', url: '/login', remoteAddress: '10.0.0.2', payload: `token=${TEST_ADMIN_TOKEN}&next=%2Fconsole`, headers: form });
    return String(login.headers['set-cookie']).split(';')[0]!;
  };
  beforeAll(async () => {
    t = await startTestApp();
    session = await signIn();
  });
  afterAll(async () => t?.close());

  it('answers every page with security headers: CSP with scripts from self only, no framing, nosniff, a referrer policy', async () => {
    for (const url of ['/login', '/console', '/healthz']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: session } });
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('refuses a cookie-authenticated change posted from another site, accepts it from this one and with the bearer token', async () => {
    const channel = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/logout', headers: { host: 'console.example', ...form, ...headers } });
    const foreign = await channel({ cookie: session, origin: 'http://evil.example:8081' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toMatch(/cross-site/);
    expect((await channel({ cookie: session })).statusCode).toBe(403);
    expect((await channel({ cookie: session, origin: 'null' })).statusCode).toBe(403);
    expect((await channel({ cookie: session, referer: 'http://console.example/console' })).statusCode).toBe(303);
    // That logout ended the session on the server: the same cookie no longer gets in.
    expect((await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: session } })).statusCode).toBe(401);
    session = await signIn();
    expect((await channel({ cookie: session, origin: 'http://console.example' })).statusCode).toBe(303);
    expect((await channel({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).statusCode).toBe(303);
    session = await signIn();
    // Reads stay open to the session from anywhere (links), changes do not.
    expect((await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: session, origin: 'http://evil.example' } })).statusCode).toBe(200);
  });

  it('never redirects off-site after login', () => {
    for (const next of ['/\\evil.example/phish', '//evil.example', '/\t/evil.example', 'https://evil.example', '/%5Cevil.example'.replace('%5C', '\\'), 'evil', '']) {
      expect({ next, to: safeNext(next) }).toEqual({ next, to: '/console' });
    }
    expect(safeNext('/console/clearlinux/records?build=1')).toBe('/console/clearlinux/records?build=1');
  });

  it('limits login attempts: the 11th wrong token within a minute gets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/login', payload: 'token=wrong', headers: form })).statusCode);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('refuses to start with an empty or short DATA_DIR/admin-token instead of accepting a guessable session', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-token-'));
    try {
      writeFileSync(join(dir, 'admin-token'), '\n');
      expect(() => AdminToken.resolve(undefined, dir)).toThrow(/shorter than 16 characters/);
      writeFileSync(join(dir, 'admin-token'), 'short-token\n');
      expect(() => AdminToken.resolve(undefined, dir)).toThrow(/delete the file/);
      writeFileSync(join(dir, 'admin-token'), 'a-token-long-enough-for-us\n');
      expect(AdminToken.resolve(undefined, dir).token.matches('a-token-long-enough-for-us')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
