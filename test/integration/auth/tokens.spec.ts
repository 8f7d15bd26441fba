import { bearer, loginForm } from '../../support/accounts';
import { startTestApp, TestApp, TEST_ADMIN_TOKEN } from '../../support/app';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const create = (body: unknown) => t.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...t.auth, ...JSON_HEADERS }, payload: JSON.stringify(body) });

  it('lives: created (value shown once), works, listed without its value, revoked → 401 at once', async () => {
    const created = await create({ name: 'grafana', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    const { id, token, ...rest } = created.json() as { id: string; token: string };
    expect(rest).toEqual({ name: 'grafana', role: 'viewer', expires_at: null });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url

    expect((await t.app.inject({ method: 'GET', url: '/api/clearlinux/builds', headers: bearer(token) })).statusCode).toBe(200);

    const list = await t.app.inject({ method: 'GET', url: '/api/admin/tokens', headers: t.auth });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    const listed = (list.json() as { tokens: Record<string, unknown>[] }).tokens.find((row) => row.id === id)!;
    expect(Object.keys(listed).sort()).toEqual(['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'revoked_at', 'role']);
    expect(listed.last_used_at).not.toBeNull();
    // The database keeps the SHA-256, never the value.
    const [stored] = await t.db.query<{ token_hash: Buffer }>(`SELECT token_hash FROM api_tokens WHERE id = $1`, [id]);
    expect(stored!.token_hash.toString('hex')).toBe(require('node:crypto').createHash('sha256').update(token).digest('hex'));

    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/tokens/${id}`, headers: t.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/clearlinux/builds', headers: bearer(token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/tokens/${id}`, headers: t.auth })).statusCode).toBe(404);
    const revoked = (await t.app.inject({ method: 'GET', url: '/api/admin/tokens', headers: t.auth })).json() as { tokens: { id: string; revoked_at: string | null }[] };
    expect(revoked.tokens.find((row) => row.id === id)!.revoked_at).not.toBeNull();
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ role: 'viewer' }, /'name'/],
      [{ name: 'x' }, /'role'/],
      [{ name: 'x', role: 'boss' }, /^\/role/],
      [{ name: '', role: 'viewer' }, /^\/name/],
      [{ name: 'x', role: 'viewer', expires_at: 'tomorrow' }, /^\/expires_at/],
      [{ name: 'x', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' }, /^\/expires_at: must be in the future/],
      [{ name: 'x', role: 'viewer', token: 'mine' }, /additionalProperties/],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect([res.statusCode, res.json().message]).toEqual([400, expect.stringMatching(message)]);
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...t.auth, ...JSON_HEADERS }, payload: 'name=x' });
    expect(notJson.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/tokens/not-a-uuid', headers: t.auth })).statusCode).toBe(404);
  });

  it('stops working when it expires', async () => {
    const created = (await create({ name: 'short-lived', role: 'analyst', expires_at: new Date(Date.now() + 3600_000).toISOString() })).json() as { id: string; token: string; expires_at: string };
    expect(created.expires_at).toMatch(/^\d{4}-/);
    await t.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    expect((await t.app.inject({ method: 'GET', url: '/api/clearlinux/builds', headers: bearer(created.token) })).statusCode).toBe(401);
  });

  it('signs in on the console; revoking it ends that session', async () => {
    const { id, token } = (await create({ name: 'console by token', role: 'support' })).json() as { id: string; token: string };
    const login = await loginForm(t, { token });
    expect(login.status).toBe(303);
    const page = () => t.app.inject({ method: 'GET', url: '/console/support/failure-reports', headers: { cookie: login.cookie! } });
    expect((await page()).statusCode).toBe(200);
    // The session has the token's role, not admin.
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/status', headers: { cookie: login.cookie! } })).statusCode).toBe(403);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/tokens/${id}`, headers: t.auth });
    expect((await page()).statusCode).toBe(401);
  });

  it('keeps the bootstrap admin token working beside them', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/tokens', headers: bearer(TEST_ADMIN_TOKEN) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/tokens', headers: bearer('not-a-token-at-all-0123456789') })).statusCode).toBe(401);
  });
});
