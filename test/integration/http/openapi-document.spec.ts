import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP_METHODS } from '../../../src/common/openapi-document';
import { startTestApp, TestApp } from '../../support/app';

type Json = Record<string, unknown>;
type Operation = { operationId?: string; tags?: string[]; security?: Json[]; responses?: Record<string, { content?: Record<string, { schema?: Json }> }> };

const SOURCE_TAGS = ['clearlinux', 'fuel', 'submissions', 'nodes', 'alerts', 'support', 'admin', 'console', 'platform'];
const ROOT = join(__dirname, '..', '..', '..');
const VALIDATOR = join(ROOT, 'node_modules', '@seriousme', 'openapi-schema-validator', 'bin', 'validate-api-cli.js');

/** Operations whose success answer has no body besides 204s and redirects (none today). */
const BODILESS = new Set<string>([]);

let t: TestApp;
let doc: Json & { paths: Record<string, Record<string, Operation>>; components: Json & { securitySchemes: Record<string, Json>; schemas: Record<string, Json> } };
let dir: string;

beforeAll(async () => {
  t = await startTestApp();
  const res = await t.app.inject({ method: 'GET', url: '/api/docs-json', headers: t.auth });
  expect(res.statusCode).toBe(200);
  doc = res.json();
  dir = mkdtempSync(join(tmpdir(), 'tp-openapi-'));
  writeFileSync(join(dir, 'openapi.json'), res.body);
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => ({ route: `${m.toUpperCase()} ${path}`, op: item[m]! })));

describe('the OpenAPI document at /api/docs-json', () => {
  it('is OpenAPI 3.1 with 0 errors from @seriousme/openapi-schema-validator', () => {
    expect(doc.openapi).toBe('3.1.0');
    // The validator is ESM only and prints its verdict as JSON; run as its CLI, exactly as a user would.
    const run = spawnSync(process.execPath, [VALIDATOR, join(dir, 'openapi.json')], { encoding: 'utf8' });
    const verdict = JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
    expect(verdict.errors ?? []).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it('gives every operation a unique explicit operationId, one source tag and its security', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.filter((id) => !id || !/^[a-z][A-Za-z0-9_]*$/.test(id))).toEqual([]);
    expect(ids.length).toBeGreaterThan(60);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, op } of operations()) {
      expect({ route, tags: op.tags?.length === 1 && SOURCE_TAGS.includes(op.tags[0]!) }).toEqual({ route, tags: true });
      expect({ route, security: Array.isArray(op.security) }).toEqual({ route, security: true });
    }
    const byRoute = Object.fromEntries(operations().map(({ route, op }) => [route, op]));
    expect(byRoute['POST /v3/collector']!.operationId).toBe('clearlinuxPostV3');
    expect(byRoute['POST /v3/collector']!.tags).toEqual(['clearlinux']);
    expect(byRoute['GET /api/support/failure-reports']!.tags).toEqual(['support']);
    expect(byRoute['GET /api/v1/ping']!.tags).toEqual(['fuel']);
  });

  it('declares an opaque bearer token and the session cookie; open routes say security: []', () => {
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'tp_session' }),
    });
    expect(doc.components.securitySchemes.bearer!.bearerFormat).toBeUndefined();
    const byRoute = Object.fromEntries(operations().map(({ route, op }) => [route, op]));
    for (const open of ['POST /v3/collector', 'POST /', 'GET /healthz', 'POST /api/v1/action_logs', 'POST /api/v1/failure_reports', 'GET /nodes', 'GET /api/records'])
      expect({ open, security: byRoute[open]?.security }).toEqual({ open, security: [] });
    for (const guarded of ['GET /api/clearlinux/crashes/overview', 'GET /api/support/failure-reports', 'GET /api/admin/status', 'GET /reputation'])
      expect({ guarded, security: byRoute[guarded]?.security }).toEqual({ guarded, security: [{ bearer: [] }, { cookie: [] }] });
  });

  it('gives every success answer with a body a schema, and registers schemas/ as components', () => {
    const missing: string[] = [];
    for (const { route, op } of operations()) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (success.length === 0 && !BODILESS.has(route) && !Object.keys(op.responses ?? {}).some((s) => /^3/.test(s))) missing.push(`${route}: no 2xx`);
      for (const [status, response] of success) {
        const content = Object.entries(response.content ?? {});
        if (content.length === 0 && !BODILESS.has(route) && status !== '204') missing.push(`${route} ${status}: no content`);
        for (const [type, media] of content) if (!media.schema) missing.push(`${route} ${status} ${type}: no schema`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['clearlinux.record.v1', 'clearlinux.records-response.v1', 'fuel.failure-report-request.v1']));
    // References between schema files point at components, and every reference resolves.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of new Set(refs)) {
      const pointer = JSON.parse(`{${ref}}`).$ref as string;
      expect(pointer.startsWith('#/components/schemas/')).toBe(true);
      const target = pointer
        .slice(2)
        .split('/')
        .reduce<unknown>((node, step) => (node as Json | undefined)?.[step.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect({ pointer, resolves: target !== undefined }).toEqual({ pointer, resolves: true });
    }
  });
});

void execFileSync;
