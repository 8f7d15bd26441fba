import { loginForm } from '../../support/accounts';
import { startTestApp, TestApp } from '../../support/app';

const JSON_HEADERS = { 'content-type': 'application/json' };
const PASSWORD = 'a long enough passphrase';

describe('people and console sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const createUser = (body: unknown) => t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { ...t.auth, ...JSON_HEADERS }, payload: JSON.stringify(body) });
  const page = (cookie: string, url = '/console') => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const user = async (name: string, role: string) => {
    const res = await createUser({ name, role, password: PASSWORD });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; name: string; role: string };
  };

  it('creates accounts (password hashed with scrypt and a salt of its own), lists them without secrets, refuses bad input naming the field', async () => {
    const ada = await user('ada', 'analyst');
    expect(ada).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'ada', role: 'analyst' });
    const twin = await user('ada-twin', 'viewer');
    const hashes = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = ANY($1::uuid[]) ORDER BY name`, [[ada.id, twin.id]]);
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^scrypt\$N=\d+,r=\d+,p=\d+\$[\w-]+\$[\w-]+$/);
    expect(hashes[0]!.password_hash).not.toBe(hashes[1]!.password_hash); // same password, other salt

    const list = await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: t.auth });
    expect(list.body).not.toContain('scrypt');
    expect((list.json() as { users: { name: string }[] }).users.map((u) => u.name)).toEqual(expect.arrayContaining(['ada', 'ada-twin']));

    const cases: [unknown, number, RegExp][] = [
      [{ name: 'bob', role: 'viewer', password: 'short' }, 400, /^\/password: minLength/],
      [{ name: 'bob', role: 'viewer' }, 400, /'password'/],
      [{ name: 'bob', role: 'root', password: PASSWORD }, 400, /^\/role/],
      [{ role: 'viewer', password: PASSWORD }, 400, /'name'/],
      [{ name: 'ada', role: 'viewer', password: PASSWORD }, 409, /^\/name: an account named ada exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await createUser(body);
      expect([res.statusCode, res.json().message]).toEqual([status, expect.stringMatching(message)]);
    }
  });

  it('signs a person in with name and password; the role holds; a wrong password or name is refused alike', async () => {
    await user('grace', 'viewer');
    const login = await loginForm(t, { name: 'grace', password: PASSWORD });
    expect(login.status).toBe(303);
    expect((await page(login.cookie!)).statusCode).toBe(200);
    const forbidden = await page(login.cookie!, '/console/clearlinux/records.csv');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().message).toContain('needs role analyst');

    expect((await loginForm(t, { name: 'grace', password: `${PASSWORD}!` })).status).toBe(401);
    expect((await loginForm(t, { name: 'nobody', password: PASSWORD })).status).toBe(401);
    expect((await loginForm(t, { name: 'grace', password: '' })).status).toBe(401);
  });

  it('keeps a random session id in the cookie and only its hash in the database; each sign-in gets a new one', async () => {
    await user('hopper', 'support');
    const first = await loginForm(t, { name: 'hopper', password: PASSWORD });
    const second = await loginForm(t, { name: 'hopper', password: PASSWORD });
    const value = (cookie: string) => cookie.split('=')[1]!;
    expect(value(first.cookie!)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value(first.cookie!)).not.toBe(value(second.cookie!));
    const rows = await t.db.query<{ id_hash: Buffer; subject_kind: string; role: string; ttl_hours: number }>(
      `SELECT id_hash, subject_kind, s.role, extract(epoch FROM s.expires_at - s.created_at) / 3600 AS ttl_hours FROM sessions s JOIN users u ON u.id::text = s.subject_id WHERE u.name = 'hopper'`,
    );
    expect(rows).toHaveLength(2);
    const hash = require('node:crypto').createHash('sha256').update(value(first.cookie!)).digest('hex');
    expect(rows.map((r) => r.id_hash.toString('hex'))).toContain(hash);
    expect(rows.every((r) => r.subject_kind === 'user' && r.role === 'support' && Math.round(Number(r.ttl_hours)) === 12)).toBe(true);
  });

  it('ends the session on logout: the same cookie is refused afterwards', async () => {
    await user('lovelace', 'viewer');
    const { cookie } = await loginForm(t, { name: 'lovelace', password: PASSWORD });
    const logout = await t.app.inject({ method: 'POST', url: '/logout', headers: { cookie: cookie!, origin: 'http://localhost', host: 'localhost' } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers['set-cookie'])).toMatch(/tp_session=;/);
    expect((await page(cookie!)).statusCode).toBe(401);
  });

  it('ends every session of a removed account, and the account cannot sign in again', async () => {
    const { id } = await user('turing', 'analyst');
    const { cookie } = await loginForm(t, { name: 'turing', password: PASSWORD });
    expect((await page(cookie!)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/users/${id}`, headers: t.auth })).statusCode).toBe(204);
    expect((await page(cookie!)).statusCode).toBe(401);
    expect((await loginForm(t, { name: 'turing', password: PASSWORD })).status).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/users/${id}`, headers: t.auth })).statusCode).toBe(404);
    // The name is free for a new account.
    await user('turing', 'viewer');
  });

  it('refuses an expired session', async () => {
    await user('hamilton', 'viewer');
    const { cookie } = await loginForm(t, { name: 'hamilton', password: PASSWORD });
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE subject_id = (SELECT id::text FROM users WHERE name = 'hamilton' AND removed_at IS NULL)`);
    const res = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: cookie!, accept: 'text/html' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fconsole');
  });

  it('sets HttpOnly and SameSite=Strict, and no Secure over plain http', async () => {
    await user('knuth', 'viewer');
    const res = await t.app.inject({ method: 'POST', url: '/login', remoteAddress: '10.9.9.9', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' }, payload: `name=knuth&password=${encodeURIComponent(PASSWORD)}` });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // X-Forwarded-Proto is only believed behind TRUSTED_PROXIES.
    expect(cookie).not.toMatch(/Secure/);
  });
});

describe('session cookie behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUSTED_PROXIES: '1', SESSION_TTL_HOURS: '2' });
  });
  afterAll(async () => t?.close());

  it('is Secure when the proxy says the browser came over https, and lives SESSION_TTL_HOURS', async () => {
    const login = (proto: string) =>
      t.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': proto }, payload: `token=${encodeURIComponent(t.auth.authorization.slice(7))}` });
    const https = await login('https');
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure/);
    expect(String((await login('http')).headers['set-cookie'])).not.toMatch(/Secure/);
    const [row] = await t.db.query<{ hours: number }>(`SELECT max(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM sessions`);
    expect(Math.round(Number(row!.hours))).toBe(2);
  });
});
