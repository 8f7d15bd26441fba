import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import ts from 'typescript';
import { HTTP_METHODS } from '../../../src/openapi/openapi-document';
import { startTestApp, TEST_ADMIN_TOKEN as TEST_TOKEN, TestApp } from '../../support/app';
import { TID, V4_HEADERS } from '../../support/clearlinux-headers';
import { aFailureReport } from '../../support/failure-reports';

type Json = Record<string, unknown>;
const execFileAsync = promisify(execFile);
type Operation = { operationId?: string; tags?: string[]; security?: Json[]; responses?: Record<string, { content?: Record<string, { schema?: Json }> }> };

const SOURCE_TAGS = ['clearlinux', 'fuel', 'submissions', 'nodes', 'alerts', 'support', 'admin', 'console', 'platform'];
const ROOT = join(__dirname, '..', '..', '..');
const VALIDATOR = join(ROOT, 'node_modules', '@seriousme', 'openapi-schema-validator', 'bin', 'validate-api-cli.js');
const OPENAPI_TYPESCRIPT = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

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
    // 3.0's `nullable` means nothing in 3.1 (null is a type there): a client generator would drop it.
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
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
    for (const open of ['POST /v3/collector', 'POST /', 'GET /healthz', 'POST /api/v1/action_logs', 'POST /api/v1/failure_reports'])
      expect({ open, security: byRoute[open]?.security }).toEqual({ open, security: [] });
    for (const guarded of ['GET /api/clearlinux/crashes/overview', 'GET /api/support/failure-reports', 'GET /api/admin/status', 'GET /reputation', 'GET /nodes', 'GET /api/records'])
      expect({ guarded, security: byRoute[guarded]?.security }).toEqual({ guarded, security: [{ bearer: [] }, { cookie: [] }] });
    // Error answers carry the error body: ErrorFilter's, or the Fuel collector's own under /api/v1/.
    expect(byRoute['GET /api/admin/status']!.responses!['401']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/api.error-response.v1' });
    expect(byRoute['POST /api/v1/action_logs']!.responses!['401']).toBeUndefined();
    for (const { route, op } of operations())
      for (const [status, response] of Object.entries(op.responses ?? {}))
        if (/^[45]/.test(status)) expect({ route, status, schema: response.content?.['application/json']?.schema !== undefined }).toEqual({ route, status, schema: true });
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

/**
 * What an integrator writes with the types openapi-typescript generates from the live document: a client of
 * the Clear Linux collector, /api/records and the support failure-reports API. Every line that reads an answer
 * depends on its response schema (a missing one leaves no `content` to index), and the @ts-expect-error lines
 * fail the check if a schema turns loose (a field of any type, a status of any string).
 */
const TYPED_CLIENT = `
import type { paths } from './api';

type V3Body = paths['/v3/collector']['post']['requestBody']['content']['application/json'];
type StoredRecord = paths['/v3/collector']['post']['responses'][200]['content']['application/json'];
type NewRecord = paths['/v3/collector']['post']['responses'][201]['content']['application/json'];
type RecordsPage = paths['/api/records']['get']['responses'][200]['content']['application/json'];
type ReportsPage = paths['/api/support/failure-reports']['get']['responses'][200]['content']['application/json'];
type ReportDetail = paths['/api/support/failure-reports/{uuid}']['get']['responses'][200]['content']['application/json'];
type Acknowledged = paths['/api/support/failure-reports/{uuid}/acknowledge']['post']['responses'][200]['content']['application/json'];
type AcknowledgeBody = paths['/api/support/failure-reports/{uuid}/acknowledge']['post']['requestBody']['content']['application/json'];

async function call<T>(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

export async function main(base: string, token: string, v3: V3Body): Promise<object> {
  const auth = { authorization: 'Bearer ' + token };
  const stored = await call<StoredRecord | NewRecord>(base + '/v3/collector', { method: 'POST', headers: { 'content-type': 'application/json', 'x-telemetry-tid': '${TID}' }, body: JSON.stringify(v3) });
  const id: number = stored.body.id;
  const severity: number = stored.body.severity;
  // @ts-expect-error a record id is a number
  const idText: string = stored.body.id;

  const page = await call<RecordsPage>(base + '/api/records?classification=' + encodeURIComponent(stored.body.classification), { headers: auth });
  const listed: string[] = page.body.records.map((r) => r.machine_id);

  const reports = await call<ReportsPage>(base + '/api/support/failure-reports', { headers: auth });
  const first = reports.body.failure_reports[0]!;
  const status: 'open' | 'acknowledged' = first.status;
  // @ts-expect-error a report is open or acknowledged, nothing else
  const closed: 'closed' = first.status;
  const detail = await call<ReportDetail>(base + '/api/support/failure-reports/' + first.report_uuid, { headers: auth });
  const email: string | undefined = detail.body.contact?.email;
  const note: AcknowledgeBody = { note: 'typed client' };
  // @ts-expect-error the acknowledge body knows only the note (who acknowledged is the calling account)
  const extra: AcknowledgeBody = { by: 'x' };
  const acknowledged = await call<Acknowledged>(base + '/api/support/failure-reports/' + first.report_uuid + '/acknowledge', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(note) });
  const by: string | null = acknowledged.body.acknowledged_by;
  void [idText, closed, extra];
  return { storedStatus: stored.status, id, severity, listed, pageStatus: page.status, reportsStatus: reports.status, status, email, acknowledgedStatus: acknowledged.body.status, by };
}
`;

/** The TypeScript diagnostics of the typed client against `api.ts` in `where`, as text (empty: it type-checks). */
function typeCheck(where: string): string[] {
  writeFileSync(join(where, 'client.ts'), TYPED_CLIENT);
  const program = ts.createProgram([join(where, 'client.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function generateTypes(documentFile: string, outFile: string): void {
  const run = spawnSync(process.execPath, [OPENAPI_TYPESCRIPT, documentFile, '-o', outFile], { encoding: 'utf8' });
  expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
}

describe('a TypeScript client generated with openapi-typescript', () => {
  it('type-checks a program against the collector, records and support APIs, and that program runs against the app', async () => {
    generateTypes(join(dir, 'openapi.json'), join(dir, 'api.ts'));
    expect(typeCheck(dir)).toEqual([]);

    // Data for the program to find: a record (its v3 body), and a failure report with a contact.
    const v3 = Object.fromEntries(Object.entries(V4_HEADERS).filter(([k]) => k !== 'X-Telemetry-TID').concat([['payload', 'typed client']]));
    const created = await t.app.inject({ method: 'POST', url: '/v3/collector', headers: { 'content-type': 'application/json', 'x-telemetry-tid': TID }, payload: JSON.stringify(v3) });
    expect(created.statusCode).toBe(201);
    const report = await t.app.inject({ method: 'POST', url: '/api/v1/failure_reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(aFailureReport()) });
    expect(report.statusCode).toBe(201);
    await t.runtime.catchUp();

    // The same program, compiled to JavaScript, against the listening app.
    const js = ts.transpileModule(TYPED_CLIENT, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'client.js'), js);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    // Asynchronously: the app answering the program runs in this process.
    const run = await execFileAsync(
      process.execPath,
      ['-e', `require(${JSON.stringify(join(dir, 'client.js'))}).main(process.argv[1], process.argv[2], JSON.parse(process.argv[3])).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); })`, `http://127.0.0.1:${address.port}`, TEST_TOKEN, JSON.stringify(v3)],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    const answers = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(answers).toEqual({
      storedStatus: 200,
      id: expect.any(Number),
      severity: 2,
      listed: [V4_HEADERS.machine_id],
      pageStatus: 200,
      reportsStatus: 200,
      status: 'open',
      email: 'grace.hopperfield@cobol-example.org',
      acknowledgedStatus: 'acknowledged',
      by: 'bootstrap admin',
    });
  });

  it('does not type-check once a response schema the program reads is missing', () => {
    const stripped = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8')) as typeof doc;
    delete (stripped.paths['/api/support/failure-reports']!.get!.responses!['200'] as { content?: unknown }).content;
    const where = mkdtempSync(join(tmpdir(), 'tp-openapi-stripped-'));
    try {
      writeFileSync(join(where, 'openapi.json'), JSON.stringify(stripped));
      generateTypes(join(where, 'openapi.json'), join(where, 'api.ts'));
      expect(typeCheck(where).join('\n')).toMatch(/Property 'application\/json' does not exist/);
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  });
});

/** Routes that answer without path parameters from a fresh app holding one record and one failure report. */
const READS = [
  'GET /healthz', 'GET /api/admin/status', 'GET /api/admin/projectors/quarantine', 'GET /api/drops', 'GET /api/plugins',
  'GET /api/submissions/documents', 'GET /api/submissions/errors', 'GET /api/submissions/stats', 'GET /api/submissions/counts', 'GET /api/submissions/schemas',
  'GET /nodes', 'GET /stats/db', 'GET /reputation', 'GET /reputation/logged', 'GET /reputation/mock/{qty}', 'POST /host_systems', 'GET /host_systems',
  'GET /api/alerts/rules', 'GET /api/alerts/channels', 'GET /api/alerts/deliveries',
  'GET /api/records', 'GET /api/clearlinux/crashes/overview', 'GET /api/clearlinux/crashes/top-guilty', 'GET /api/clearlinux/crashes/builds/{build}',
  'GET /api/clearlinux/never-guilty', 'GET /api/clearlinux/never-guilty/regroup', 'GET /api/clearlinux/guilties',
  'GET /api/clearlinux/builds', 'GET /api/clearlinux/stats', 'GET /api/clearlinux/mce', 'GET /api/clearlinux/thermal', 'GET /api/clearlinux/population',
  'GET /api/v1/ping', 'GET /api/v1/json/summary',
  ...['os', 'deployment_time', 'releases', 'hardware', 'deployment_failures', 'node_roles', 'ostf', 'installations'].map((r) => `GET /api/v1/json/report/${r}`),
  'GET /api/support/failure-reports', 'GET /api/support/failure-reports/{uuid}',
];

describe('answers of the running app', () => {
  it('match the response schemas the document publishes for them', async () => {
    // A failure report, a document and an error record, so the lists have items to check.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/failure_reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(aFailureReport()) })).statusCode).toBe(201);
    for (const payload of ['{"n": 1}', 'not json'])
      expect((await t.app.inject({ method: 'POST', url: `/submit/test/test/1/${randomUUID()}`, headers: { 'content-type': 'application/json' }, payload })).statusCode).toBe(200);
    await t.runtime.catchUp();
    const reports = (await t.app.inject({ method: 'GET', url: '/api/support/failure-reports', headers: t.auth })).json() as { failure_reports: { report_uuid: string }[] };
    const examples: Record<string, string> = { '{qty}': '3', '{build}': 'overall', '{uuid}': reports.failure_reports[0]?.report_uuid ?? 'none' };
    // 2020-12 is the dialect of OpenAPI 3.1 schemas; the document's components are the root its $refs resolve in.
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, validateFormats: false });
    ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
    const mismatches: unknown[] = [];
    for (const route of READS) {
      const [method, path] = route.split(' ') as ['GET' | 'POST', string];
      const url = path.replace(/\{[^}]+\}/g, (p) => examples[p]!);
      const res = await t.app.inject({ method, url, headers: { ...t.auth, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, payload: method === 'POST' ? '{"cpu":"typed"}' : undefined });
      const schema = doc.paths[path]?.[method.toLowerCase()]?.responses?.[String(res.statusCode)]?.content?.['application/json']?.schema;
      if (!schema) {
        mismatches.push({ route, status: res.statusCode, problem: 'no schema for this status', body: res.body.slice(0, 200) });
        continue;
      }
      const validate = ajv.compile(rebase(schema));
      const body = res.json() as unknown;
      if (!validate(body)) mismatches.push({ route, errors: validate.errors?.slice(0, 3) });
      if (route.startsWith('GET /api/submissions/documents') || route.startsWith('GET /api/submissions/errors')) expect({ route, count: (body as { count: number }).count }).toEqual({ route, count: 1 });
    }
    expect(mismatches).toEqual([]);
  });
});

/** A response schema whose `#/components/...` references resolve in the document registered as `openapi`. */
function rebase(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"openapi#/components/')) as Json;
}
