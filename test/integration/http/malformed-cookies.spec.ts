import { startTestApp, TestApp, TEST_ADMIN_TOKEN } from '../../support/app';

/**
 * A Cookie header is the client's to send: one that does not parse (bad percent-encoding, empty names, a
 * wall of bytes) is treated as no cookie at all, so a guarded route answers what it answers an anonymous
 * client (401 JSON, or a redirect to the login page for a browser) and never a 5xx.
 */
describe('malformed Cookie headers on guarded routes', () => {
  let t: TestApp;
  let session: string;
  beforeAll(async () => {
    t = await startTestApp();
    const login = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${TEST_ADMIN_TOKEN}&next=%2Fconsole`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    session = String(login.headers['set-cookie']).split(';')[0];
  });
  afterAll(async () => t?.close());

  const garbage = Array.from({ length: 8 * 1024 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join('');
  const malformed: [string, string][] = [
    ['a truncated percent escape', 'tp_session=%E0%A4%A'],
    ['an invalid percent escape', 'tp_session=%ZZ%'],
    ['separators only', ';;;='],
    ['an empty name', '=value; =; tp_session'],
    ['a name without a value', 'tp_session'],
    ['8 KiB of garbage', garbage],
    ['a lone surrogate escape', 'tp_session=%ED%A0%80'],
    ['quotes left open', 'tp_session="abc'],
  ];
  const apiRoutes = ['/api/admin/status', '/api/support/failure-reports', '/api/clearlinux/guilties', '/api/submissions/stats', '/api/alerts/rules'];
  const pageRoutes = ['/console', '/console/clearlinux/records', '/console/submissions', '/console/nodes'];

  describe.each(malformed)('with %s', (_name, cookie) => {
    it.each(apiRoutes)('%s answers 401 JSON', async (url) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ message: 'authentication required' });
    });
    it.each(pageRoutes)('%s sends a browser to the login page', async (url) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    });
    it('does not hide a valid bearer token', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/admin/status', headers: { cookie, ...t.auth } });
      expect(res.statusCode).toBe(200);
    });
  });

  it('still reads a valid session cookie next to malformed ones', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/status', headers: { cookie: `junk=%E0%A4%A; ;;=; ${session}` } });
    expect(res.statusCode).toBe(200);
  });

  const attributes = (header: unknown) => String(header).split(';').slice(1).map((a) => a.trim().toLowerCase());

  it('sets and clears the session cookie with the same attributes as before', async () => {
    expect(session).toMatch(/^tp_session=[A-Za-z0-9_-]+$/);
    const login = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${TEST_ADMIN_TOKEN}&next=%2Fconsole`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(attributes(login.headers['set-cookie'])).toEqual(expect.arrayContaining(['max-age=43200', 'path=/', 'httponly', 'samesite=strict']));
    const logout = await t.app.inject({ method: 'POST', url: '/logout', headers: { cookie: session, host: 'console.example', origin: 'http://console.example' } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers['set-cookie'])).toMatch(/^tp_session=;/);
    expect(attributes(logout.headers['set-cookie'])).toEqual(expect.arrayContaining(['max-age=0', 'path=/', 'httponly', 'samesite=strict']));
  });
});
