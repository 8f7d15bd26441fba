import { readFixture } from '../../support/fixtures';
import { startTestApp, TestApp } from '../../support/app';

type ActionLog = { master_node_uid: string; external_id: number; body: Record<string, unknown> & { id: number; additional_info?: unknown } };
type Fixture = { body: { action_logs: ActionLog[] }; expect_statuses: Record<string, string> };

/**
 * Ordinary ingest batches of every size: on the embedded database a batch whose statement put a protocol
 * message boundary on a 16 KiB multiple lost its answer and wedged the instance for good (the Fuel
 * fixture below, 9.9 KB, did it every time). Runs in every mode; the sizes matter most for embedded.
 */
describe('ingest batches of every size', () => {
  let t: TestApp;
  const fixture = readFixture<Fixture>('fuelstats/action-logs-failed-deployments.json');
  const post = (body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/action_logs/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const healthz = async () => (await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('stores the shipped failed-deployments batch in one request', async () => {
    const res = await post(fixture.body);
    expect(res.statusCode).toBe(200);
    const statuses = Object.fromEntries((res.json().action_logs as { external_id: number; status: string }[]).map((r) => [String(r.external_id), r.status]));
    expect(statuses).toEqual(fixture.expect_statuses);
    expect(await healthz()).toBe(200);
  });

  it('answers 2xx for every body length from 8 KB to 70 KB and stays healthy', async () => {
    // Each request: the fixture's records under a fresh master node, one of them padded so that body
    // lengths walk 8 KB → 70 KB in 317-byte steps (odd, so the statement sizes cross every 16 KiB boundary
    // at a different offset). Records are unique per request: every one must come back 'added'.
    const template = fixture.body.action_logs.filter((r) => fixture.expect_statuses[String(r.external_id)] === 'added');
    const base = JSON.stringify({ action_logs: template }).length;
    const failures: string[] = [];
    let requests = 0;
    for (let length = 8_000; length <= 70_000; length += 317, requests++) {
      const uid = `0f4a6c5e-4a5d-4a6e-9f3a-${String(requests).padStart(12, '0')}`;
      const logs = template.map((r, i) => ({ ...r, master_node_uid: uid, body: { ...r.body, ...(i === 0 ? { padding: 'p'.repeat(Math.max(0, length - base - 16)) } : {}) } }));
      const res = await post({ action_logs: logs });
      const added = res.statusCode === 200 ? (res.json().action_logs as { status: string }[]).filter((r) => r.status === 'added').length : 0;
      if (res.statusCode !== 200 || added !== template.length) failures.push(`${length} B: ${res.statusCode} ${added}/${template.length} added`);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(190);
    expect(await healthz()).toBe(200);
  });
});
