import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ErrorFilter } from '../../../src/common/error.filter';
import { LogUnavailable } from '../../../src/common/errors';
import { startTestApp, TestApp, TEST_ADMIN_TOKEN } from '../../support/app';

describe('platform HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('reports database and event log health at /healthz', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, eventLog: { status: 'up' } } });
  });

  it('serves Swagger UI and the OpenAPI document to a caller with a credential', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/docs-json' })).statusCode).toBe(401);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs', headers: t.auth });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: t.auth })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/metrics', '/api/admin/status']));
  });

  it('exposes Prometheus metrics including event-log and HTTP series', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('telemetry_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toContain('# TYPE telemetry_event_log_append_duration_seconds histogram');
  });

  it('keeps the console and admin API behind the admin token', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/console', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fconsole');
    const api = await t.app.inject({ method: 'GET', url: '/api/admin/status' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toEqual({ message: 'authentication required' });
    const ok = await t.app.inject({ method: 'GET', url: '/api/admin/status', headers: t.auth });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ mode: expect.any(String), capabilities: { rollupMode: expect.any(String) } });
  });

  it('signs a browser in with the token and renders the console shell', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/login', payload: 'token=nope&next=/console', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${TEST_ADMIN_TOKEN}&next=%2Fconsole`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    expect(cookie).not.toContain(TEST_ADMIN_TOKEN);
    const home = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('data-testid="rollup-mode"');
    const partial = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie, 'hx-request': 'true' } });
    expect(partial.body).toContain('data-testid="projectors"');
    expect(partial.body).not.toContain('<html');
    const htmx = await t.app.inject({ method: 'GET', url: '/static/vendor/htmx.min.js' });
    expect(htmx.statusCode).toBe(200);
  });

  it('refuses an open redirect after login', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${TEST_ADMIN_TOKEN}&next=//evil.example`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(login.headers.location).toBe('/console');
  });
});

@Controller('probe')
class UnavailableProbeController {
  @Get()
  fail(): never {
    throw new LogUnavailable();
  }
}
@Module({ controllers: [UnavailableProbeController] })
class ProbeModule {}

describe('error filter', () => {
  it('answers 503 with Retry-After when the log is unavailable', async () => {
    const app = await NestFactory.create(ProbeModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ErrorFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/probe' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ message: 'event log unavailable, retry later' });
    await app.close();
  });
});
