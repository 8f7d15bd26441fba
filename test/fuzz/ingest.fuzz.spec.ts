import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/app';
import { V4_HEADERS } from '../support/clearlinux-headers';
import { aFailureReport } from '../support/failure-reports';
import { readFixture } from '../support/fixtures';

/**
 * Property-based fuzzing of every HTTP ingest endpoint with hostile input: mutated record headers, random
 * and deep JSON, lone surrogates and NULs, truncated bodies, random bytes, broken gzip, odd methods,
 * traversal in /submit ids. Properties: the answer is 2xx or 4xx, never 5xx; the process stays up; after the
 * run every projector has applied everything (a poison event acknowledged at ingest would stall its
 * projector and fail the last check). FUZZ_SEED / FUZZ_RUNS override the fixed seed and the case count.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

type Case = Readonly<{ method: string; url: string; headers: Record<string, string>; body: Buffer | undefined; label: string }>;

const fuel = <T>(file: string): T => readFixture<T>(`fuelstats/${file}`);
const VALID_JSON_BODIES: Readonly<Record<string, unknown>> = {
  'api/v1/installation_structure': fuel<object>('installation-structure-full-9.0.json'),
  'api/v1/action_logs': fuel<object>('action-logs-http-requests-minimal.json'),
  'api/v1/oswl_stats': fuel<{ body: object }>('oswl-stats-minimal.json').body,
  'api/v1/failure_reports': aFailureReport(),
};
const V3_BODY = { ...Object.fromEntries(Object.entries(V4_HEADERS).filter(([k]) => k.toLowerCase() !== 'x-telemetry-tid')), payload: 'backtrace\n' };
const CLEARLINUX_PATHS = ['/', '/v2/collector', '/v3/collector'];
const FUEL_PATHS = Object.keys(VALID_JSON_BODIES).flatMap((p) => [`/${p}`, `/${p}/`]).concat(['/api/v1/ostf_runs/']);

/** Characters storage cannot hold or parsers choke on, put into a string of otherwise valid JSON. */
const poison = fc.constantFrom('\ud800', '\udfff', '\u0000', 'x\ud83d', '\udbff\udbff', '\ufffe');
const deepJson = fc.integer({ min: 60, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const deepObject = fc.integer({ min: 60, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
const anyText = fc.string({ unit: 'binary', maxLength: 200 });

/** `value` with `text` appended to its n-th string (keys included), so the JSON stays well-formed. */
function poisoned(value: unknown, n: number, text: string): unknown {
  const strings: { get: () => string; set: (s: string) => void }[] = [];
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((v, i) => (typeof v === 'string' ? strings.push({ get: () => node[i] as string, set: (s) => (node[i] = s) }) : visit(v)));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        strings.push({ get: () => key, set: (s) => ((o[s] = o[key]), delete o[key]) });
        if (typeof o[key] === 'string') strings.push({ get: () => o[key] as string, set: (s) => (o[key] = s) });
        else visit(o[key]);
      }
    }
  };
  visit(copy);
  if (strings.length === 0) return copy;
  const target = strings[n % strings.length];
  target.set(target.get() + text);
  return copy;
}

/** A valid JSON body, mutated: a poisoned string, truncated, replaced by random, deep or odd JSON. */
function jsonBody(valid: unknown): fc.Arbitrary<Buffer> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(text) },
    { weight: 4, arbitrary: fc.tuple(fc.nat(), poison).map(([n, p]) => JSON.stringify(poisoned(valid, n, p))) },
    { weight: 1, arbitrary: fc.nat().map((n) => text.slice(0, n % Math.max(1, text.length))) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: deepObject },
    { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"text"', '1e999', '{"a":1,"a":2}') },
  ).map((s) => Buffer.from(s, 'utf8'));
}

const rawBytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
const brokenGzip = fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from(b)]));
const gzipped = (body: fc.Arbitrary<Buffer>) => body.map((b) => gzipSync(b));
const method = fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') });
const hugeValue = fc.integer({ min: 1000, max: 8000 }).map((n) => 'x'.repeat(n));
const headerValue = fc.oneof(fc.string({ maxLength: 40 }), hugeValue, fc.constantFrom('', ' ', '-1', '99999999999999999999', 'x86_64', '%00', 'é'));
const headerName = fc.oneof(fc.constantFrom(...Object.keys(V4_HEADERS), 'content-type', 'content-encoding', 'cookie', 'x-forwarded-for'), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/));

/** Record headers with some dropped, some replaced, some added (non-Latin-1 values are dropped by HTTP). */
const clearlinuxHeaders = fc
  .tuple(
    fc.oneof({ weight: 2, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray(Object.keys(V4_HEADERS)) }),
    fc.oneof({ weight: 2, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }) }),
  )
  .map(([dropped, set]) => {
    const headers: Record<string, string> = { ...V4_HEADERS };
    for (const name of dropped.slice(0, 3)) delete headers[name];
    for (const [name, value] of set) headers[name] = value;
    return Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v)));
  });

const clearlinuxCase: fc.Arbitrary<Case> = fc
  .tuple(method, fc.constantFrom(...CLEARLINUX_PATHS), clearlinuxHeaders, fc.oneof({ weight: 4, arbitrary: jsonBody(V3_BODY) }, { weight: 1, arbitrary: rawBytes }, { weight: 1, arbitrary: brokenGzip }, { weight: 1, arbitrary: fc.constant(Buffer.from('payload\n')) }))
  .map(([m, url, headers, body]) => ({ method: m, url, headers, body, label: 'clearlinux' }));

const fuelCase: fc.Arbitrary<Case> = fc
  .tuple(method, fc.constantFrom(...FUEL_PATHS), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''), fc.boolean())
  .chain(([m, url, contentType, gzip]) => {
    const valid = VALID_JSON_BODIES[url.replace(/^\/|\/$/g, '')] ?? {};
    const body = fc.oneof({ weight: 6, arbitrary: gzip ? gzipped(jsonBody(valid)) : jsonBody(valid) }, { weight: 1, arbitrary: brokenGzip }, { weight: 1, arbitrary: rawBytes });
    return body.map((b) => ({
      method: m,
      url,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      body: b,
      label: 'fuel',
    }));
  });

const submitSegment = fc.oneof(fc.stringMatching(/^[a-z0-9._-]{1,12}$/), fc.constantFrom('..', '%2e%2e', '%2F', '.', '', '%00', 'a'.repeat(300)));
/** A placeholder the test replaces with a fresh UUID per request (so documents are new, not duplicates). */
const randomUUIDFrom = () => 'DOCID';
const submitCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constantFrom('POST', 'POST', 'PUT', 'GET', 'DELETE'),
    fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('test', 'telemetry', 'eng-workflow'), fc.constantFrom('test', 'main', 'build'), fc.constantFrom('1', '4', '99')).map((s) => [...s, randomUUIDFrom()]) },
      { weight: 2, arbitrary: fc.array(submitSegment, { minLength: 1, maxLength: 6 }) },
    ),
    fc.oneof(jsonBody({ id: 'x', payload: { a: [1, 2] } }), gzipped(jsonBody({ v: 1 })), brokenGzip, rawBytes),
  )
  .map(([m, segments, body]) => ({ method: m, url: `/submit/${segments.join('/')}`, headers: {}, body, label: 'submit' }));

/** Latin-1 text as HTTP carries it, with what cookie and credential parsers trip over. */
const credentialText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', '=', ';', ',', ' ', '"', '%', '%E0', '%A4', '%00', '%ZZ', '\\', 'tp_session', 'Bearer ', '\t', 'é'), maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  hugeValue,
);
/** Guarded reads and changes with hostile Cookie / Authorization / Origin headers: 3xx or 4xx, never 5xx. */
const GUARDED = ['/api/admin/status', '/console', '/console/clearlinux/records', '/api/alerts/channels', '/api/support/failure-reports', '/logout', '/login'];
const credentialCase: fc.Arbitrary<Case> = fc
  .tuple(fc.constantFrom('GET', 'POST'), fc.constantFrom(...GUARDED), fc.option(credentialText), fc.option(credentialText), fc.option(credentialText), fc.boolean())
  .map(([m, url, cookie, authorization, origin, wantsPage]) => {
    const headers: Record<string, string> = {};
    if (cookie !== null) headers.cookie = cookie;
    if (authorization !== null) headers.authorization = authorization;
    if (origin !== null) headers.origin = origin;
    if (wantsPage) headers.accept = 'text/html';
    return { method: m, url, headers, body: Buffer.from('name=x'), label: 'credentials' };
  });

describe('ingest endpoints under hostile input', () => {
  let t: TestApp;
  const statuses = new Map<string, number>();
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it(`answers ${RUNS} hostile requests with 2xx or 4xx, never 5xx (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(clearlinuxCase, fuelCase, submitCase, credentialCase), async (c) => {
        // A unique document id / record each time, so the log sees new events rather than only duplicates.
        const url = c.url.replace('DOCID', randomUUID());
        const res = await t.app.inject({ method: c.method as 'POST', url, headers: c.headers, payload: c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body });
        const key = `${c.label} ${res.statusCode}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${c.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    process.stdout.write(`fuzz answers by source and status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    // Some of each source got through, so the property is not only exercising rejections.
    for (const source of ['clearlinux', 'fuel', 'submit']) {
      const accepted = [...statuses].filter(([k]) => k.startsWith(source) && /\s2\d\d$/.test(k)).reduce((n, [, v]) => n + v, 0);
      expect({ source, accepted: accepted > 0 }).toEqual({ source, accepted: true });
    }
  });

  it('stays up and every projector applies everything that was acknowledged', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await t.runtime.catchUp(t.runtime.names(), 120_000);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const failedBatches = metrics.split('\n').filter((l) => l.startsWith('telemetry_projector_failed_batches_total{') && !l.endsWith(' 0'));
    expect(failedBatches).toEqual([]);
  });
});
