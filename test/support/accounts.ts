import type { Role } from '../../src/auth/roles';
import type { TestApp } from './app';

/** An API token of the role, created through the admin API with the bootstrap token; answers its value. */
export async function tokenFor(t: TestApp, role: Role, name = `${role} token`): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...t.auth, 'content-type': 'application/json' }, payload: { name, role } });
  if (res.statusCode !== 201) throw new Error(`token for ${role}: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let clients = 0;

/**
 * POSTs the login form; answers the session cookie (`tp_session=…`) or undefined when refused, and the status.
 * Each call comes from another client address: the form allows 10 tries a minute per client, which a test
 * signing in many people would otherwise exhaust.
 */
export async function loginForm(t: TestApp, fields: Record<string, string>): Promise<{ status: number; cookie?: string }> {
  clients++;
  const remoteAddress = `10.0.${Math.floor(clients / 250) % 250}.${(clients % 250) + 1}`;
  const res = await t.app.inject({ method: 'POST', url: '/login', remoteAddress, headers: FORM, payload: new URLSearchParams({ next: '/console', ...fields }).toString() });
  const setCookie = res.headers['set-cookie'];
  const cookie = setCookie ? String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] : undefined;
  return { status: res.statusCode, cookie: res.statusCode === 303 ? cookie : undefined };
}
