import { randomUUID } from 'node:crypto';
import { KAFKA_BROKERS } from '../../support/database';
import { startTestApp, TestApp } from '../../support/app';
import { V4_HEADERS } from '../../support/clearlinux-headers';
import { aFailureReport } from '../../support/failure-reports';
import { readFixture } from '../../support/fixtures';

/**
 * The requests that once stalled a projector for good (each was acknowledged, made durable, then failed its
 * projector's batch on every retry) and their deep-nesting relatives: every one is answered by the source's
 * own 400 naming the field, before anything is written to the event log.
 */
const fuel = <T>(file: string): T => readFixture<T>(`fuelstats/${file}`);
const LONE_SURROGATE = '\\ud800';
const NUL = '\\u0000';
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/**
 * The JSON text of `value` with the string at `path` replaced by the raw JSON text `raw(old)` (text JSON.stringify
 * would never write: lone escapes, thousands of levels of nesting).
 */
function withRawJsonAt(value: unknown, path: (string | number)[], raw: (old: string) => string): string {
  const marker = 'RAW_JSON_MARKER_7f3a';
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const old = String(node[path[path.length - 1]]);
  node[path[path.length - 1]] = marker;
  return JSON.stringify(copy).replace(`"${marker}"`, raw(old));
}

/** `escape` (JSON escape text) appended to the string at `path`. */
const poisoned = (value: unknown, path: (string | number)[], escape: string) =>
  withRawJsonAt(value, path, (old) => `${JSON.stringify(old).slice(0, -1)}${escape}"`);

/** The string at `path` replaced by raw JSON `json`. */
const nested = (value: unknown, path: (string | number)[], json: string) => withRawJsonAt(value, path, () => json);

type Case = Readonly<{ name: string; url: string; headers?: Record<string, string>; body: string; field: RegExp }>;

const v3 = { ...Object.fromEntries(Object.entries(V4_HEADERS).filter(([k]) => k !== 'X-Telemetry-TID')), classification: 'org.clearlinux/crash/clr', payload: 'backtrace\n' };
const installation = fuel<Record<string, unknown>>('installation-structure-full-9.0.json');
const actionLogs = fuel<Record<string, unknown>>('action-logs-http-requests-minimal.json');
const oswl = fuel<{ body: Record<string, unknown> }>('oswl-stats-minimal.json').body;
const report = aFailureReport();

const CASES: Case[] = [
  { name: 'Clear Linux v3 crash record, lone surrogate', url: '/v3/collector', headers: { 'x-telemetry-tid': V4_HEADERS['X-Telemetry-TID'] }, body: poisoned(v3, ['payload'], LONE_SURROGATE), field: /payload/ },
  { name: 'Fuel failure report, lone surrogate', url: '/api/v1/failure_reports/', body: poisoned(report, firstString(report), LONE_SURROGATE), field: new RegExp(firstString(report).join('.')) },
  { name: 'Fuel failure report, \\u0000', url: '/api/v1/failure_reports/', body: poisoned(report, firstString(report), NUL), field: new RegExp(firstString(report).join('.')) },
  { name: 'Fuel action log, lone surrogate', url: '/api/v1/action_logs/', body: poisoned(actionLogs, firstString(actionLogs), LONE_SURROGATE), field: /action_logs/ },
  { name: 'Fuel action log, \\u0000', url: '/api/v1/action_logs/', body: poisoned(actionLogs, firstString(actionLogs), NUL), field: /action_logs/ },
  { name: 'Fuel installation structure, lone surrogate', url: '/api/v1/installation_structure/', body: poisoned(installation, firstString(installation), LONE_SURROGATE), field: /installation_structure/ },
  { name: 'Fuel OSWL stats, lone surrogate', url: '/api/v1/oswl_stats/', body: poisoned(oswl, firstString(oswl), LONE_SURROGATE), field: /oswl_stats/ },
  { name: 'Fuel installation structure nested 5,000 levels deep', url: '/api/v1/installation_structure/', body: nested(installation, firstString(installation), deepArray(5000)), field: /installation_structure/ },
  { name: 'Fuel action log nested 5,000 levels deep', url: '/api/v1/action_logs/', body: nested(actionLogs, firstString(actionLogs), deepArray(5000)), field: /action_logs/ },
];

/** The path of the first string value in `value` (depth first), so each case poisons a real field. */
function firstString(value: unknown, path: (string | number)[] = []): (string | number)[] {
  if (typeof value === 'string') return path;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = firstString(v, [...path, i]);
      if (found.length > 0 || typeof v === 'string') return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = firstString(v, [...path, k]);
      if (found.length > 0 || typeof v === 'string') return found;
    }
  }
  return [];
}

describe('input storage cannot hold, refused at the door', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());
  /** Source events in the log (the platform's own admin events may be appended at any time after start). */
  const logged = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_log WHERE stream <> 'platform.admin'`))[0].n;

  it.each(CASES.map((c) => [c.name, c]))('%s: 400 naming the field, nothing logged', async (_name, c) => {
    const before = KAFKA_BROKERS.length > 0 ? 0 : await logged();
    const res = await t.app.inject({ method: 'POST', url: c.url, headers: { 'content-type': 'application/json', ...c.headers }, payload: c.body });
    expect({ status: res.statusCode, body: res.body.slice(0, 300) }).toMatchObject({ status: 400, body: expect.stringMatching(c.field) });
    if (KAFKA_BROKERS.length === 0) expect(await logged()).toBe(before);
  });

  it('/submit document nested 20,000 levels deep: answered 200 as the edge answers every document, kept as an error naming the depth', async () => {
    const id = randomUUID();
    const res = await t.app.inject({ method: 'POST', url: `/submit/telemetry/${id}/main/Firefox/61.0a1/nightly/20180328030202`, payload: deepArray(20_000) });
    expect(res.statusCode).toBe(200);
    await t.runtime.catchUp(['submission-documents', 'submission-errors']);
    const errors = await t.db.query<{ error_type: string; error_message: string }>('SELECT error_type, error_message FROM submission_errors WHERE document_id = $1', [id]);
    expect(errors).toEqual([{ error_type: expect.any(String), error_message: expect.stringMatching(/depth|nest/i) }]);
    expect(await t.db.query('SELECT 1 FROM submission_documents WHERE document_id = $1', [id])).toEqual([]);
    expect((await t.runtime.quarantined()).length).toBe(0);
  });
});
