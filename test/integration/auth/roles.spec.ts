import { randomUUID } from 'node:crypto';
import { ROLES, Role, roleAtLeast } from '../../../src/auth/roles';
import { bearer, tokenFor } from '../../support/accounts';
import { startTestApp, TestApp } from '../../support/app';

/**
 * The access policy as the issue states it, independent of the decorators in the code: every operation of
 * the OpenAPI document is walked with no credential and with a token of each role. A route whose decorator
 * disagrees with this table fails here.
 */
const OPEN: readonly RegExp[] = [
  /^\/healthz$/,
  /^\/$/,
  /^\/v[23]\/collector$/,
  /^\/submit\//,
  /^\/api\/v1\/(ping|action_logs|installation_structure|oswl_stats|ostf_runs|failure_reports|\{path\})$/,
];

function declaredRole(method: string, path: string): Role | 'open' {
  if (OPEN.some((r) => r.test(path))) return 'open';
  if (path.startsWith('/api/admin/')) return 'admin';
  if (method === 'POST' && /^\/(host_systems|benchmarks)$/.test(path)) return 'admin';
  if (path.startsWith('/api/support/') || path.startsWith('/api/alerts/')) return 'support';
  if (/^\/api\/v1\/(csv\/|json\/(?!report\/))/.test(path) || path.startsWith('/api/plugins')) return 'analyst';
  if (path.startsWith('/api/clearlinux/') && method !== 'GET') return 'analyst';
  return 'viewer';
}

/** Console pages are left out of the OpenAPI document: a representative set per role. */
const CONSOLE_ROUTES: readonly [method: string, path: string, role: Role][] = [
  ['GET', '/console', 'viewer'],
  ['GET', '/console/clearlinux/records', 'viewer'],
  ['GET', '/console/fuel/reports', 'viewer'],
  ['GET', '/console/clearlinux/records.csv', 'analyst'],
  ['GET', '/console/clearlinux/builds.csv', 'analyst'],
  ['GET', '/console/plugins', 'analyst'],
  ['POST', '/console/clearlinux/never-guilty/reset', 'analyst'],
  ['GET', '/console/support/failure-reports', 'support'],
  ['GET', '/console/alerts/rules', 'support'],
];

const PARAMS: Record<string, string> = { name: 'no-such-projector', recordId: '1', build: '1', qty: '1', peerId: 'peer', uid: 'uid', resource_type: 'vm', path: 'x' };
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? randomUUID());

describe('roles: every route answers 403 below its role and lets its role and above in', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;
  let operations: [method: string, path: string][] = [];
  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ROLES) tokens[role] = await tokenFor(t, role);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: bearer(tokens.viewer) })).json() as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as [string, string]));
  }, 120_000);
  afterAll(async () => t?.close());

  const call = (method: string, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: method as 'GET', url, headers: { ...headers, ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-type': 'application/json', origin: 'http://localhost' }) }, payload: method === 'GET' || method === 'HEAD' ? undefined : '{}' });

  async function check(method: string, path: string, role: Role | 'open'): Promise<string[]> {
    const url = concrete(path);
    const problems: string[] = [];
    const anonymous = await call(method, url);
    if (role === 'open') {
      if (anonymous.statusCode === 401 || anonymous.statusCode === 403) problems.push(`${method} ${path}: open route answered ${anonymous.statusCode}`);
      return problems;
    }
    if (anonymous.statusCode !== 401) problems.push(`${method} ${path} without a credential: ${anonymous.statusCode}, want 401`);
    for (const held of ROLES) {
      const res = await call(method, url, bearer(tokens[held]));
      if (!roleAtLeast(held, role)) {
        if (res.statusCode !== 403 || !res.body.includes(`needs role ${role}`)) problems.push(`${method} ${path} as ${held}: ${res.statusCode} ${res.body.slice(0, 80)}, want 403 naming ${role}`);
      } else if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) {
        problems.push(`${method} ${path} as ${held}: ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    return problems;
  }

  it('walks the OpenAPI document', async () => {
    expect(operations.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const [method, path] of operations) problems.push(...(await check(method, path, declaredRole(method, path))));
    expect(problems).toEqual([]);
    // Every level is represented, so each boundary (viewer/analyst, analyst/support, support/admin) was crossed.
    const levels = new Set(operations.map(([m, p]) => declaredRole(m, p)));
    expect([...levels].sort()).toEqual(['admin', 'analyst', 'open', 'support', 'viewer']);
  }, 300_000);

  it('guards the console pages the same way', async () => {
    const problems: string[] = [];
    for (const [method, path, role] of CONSOLE_ROUTES) problems.push(...(await check(method, path, role)));
    expect(problems).toEqual([]);
  }, 120_000);

  it('names the role needed in the 403 body', async () => {
    const res = await call('GET', '/api/support/failure-reports', bearer(tokens.analyst));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ message: 'this route needs role support or higher (you have analyst)' });
  });
});
