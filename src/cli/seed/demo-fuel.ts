import { createHash } from 'node:crypto';
import { createdOrDuplicate, DemoRequest, Outcome } from './demo-send';
import { rng } from './demo-random';

/**
 * Pure generator of the Fuel part of the demo (spec fuelstats.md §3, §7.3): installations built from the
 * real sender-shaped fixture bodies (test/fixtures/fuelstats), each with the fixture's deployment history
 * as action logs and its OpenStack workload stats, plus one failure report. Every key the collector
 * dedupes on is derived from the seed — master_node_uid (installations: upsert, 200 on resend),
 * (master_node_uid, external_id) (action logs: `existed`), (master_node_uid, id, resource_type) (OSWL:
 * `updated`), report_uuid (failure report: 200) — so a re-run adds nothing. The fixtures' June 2016 dates
 * are moved to recent days before `anchor`.
 */
export type FuelFixtures = Readonly<{
  installationFull: { installation_structure: Record<string, unknown> };
  installationTwoClusters: { installation_structure: Record<string, unknown> };
  actionLogs: { body: { action_logs: Record<string, unknown>[] } };
  oswl: { body: { oswl_stats: Record<string, unknown>[] } };
}>;

export type FuelDemoOptions = Readonly<{ installations: number; seed: number; anchor: Date }>;

const RELEASES = ['7.0', '8.0', '9.0', '9.0', '9.1'];
const FIXTURE_DAY_1 = '2016-06-01';
const FIXTURE_DAY_2 = '2016-06-02';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** A stable UUID-shaped id from a name (so the same seed gives the same master_node_uid every run). */
export function demoUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `value` as JSON with the fixture's master_node_uid and June 2016 days replaced. */
function rekey<T>(value: T, uid: string, day1: string, day2: string): T {
  const text = JSON.stringify(value)
    .replace(/"master_node_uid":"[^"]*"/g, `"master_node_uid":${JSON.stringify(uid)}`)
    .replaceAll(FIXTURE_DAY_1, day1)
    .replaceAll(FIXTURE_DAY_2, day2);
  return JSON.parse(text) as T;
}

const request = (label: string, path: string, body: unknown, classify: DemoRequest['classify']): DemoRequest => ({
  label,
  path,
  body: JSON.stringify(body),
  headers: JSON_HEADERS,
  classify,
});

/** Bulk answers: `created` if any record was added, `duplicate` if all were known (or skipped by rule). */
function bulk(key: 'action_logs' | 'oswl_stats', known: readonly string[]) {
  return (status: number, body: string): Outcome => {
    if (status !== 200) return 'failed';
    let results: { status?: string }[] | undefined;
    try {
      results = (JSON.parse(body) as Record<string, { status?: string }[] | undefined>)[key];
    } catch {
      return 'failed';
    }
    if (!Array.isArray(results) || results.some((r) => r.status !== 'added' && !known.includes(r.status ?? ''))) return 'failed';
    return results.some((r) => r.status === 'added') ? 'created' : 'duplicate';
  };
}

export function fuelDemoRequests(fx: FuelFixtures, o: FuelDemoOptions): DemoRequest[] {
  const random = rng(o.seed ^ 0x5eed_f0e1);
  const dayMs = 86_400_000;
  const today = Date.UTC(o.anchor.getUTCFullYear(), o.anchor.getUTCMonth(), o.anchor.getUTCDate());
  const installs: DemoRequest[] = [];
  const logs: DemoRequest[] = [];
  const oswl: DemoRequest[] = [];
  let firstFailure: { uid: string; day1: string; day2: string; release: Record<string, unknown>; cluster: unknown } | undefined;
  for (let i = 0; i < o.installations; i++) {
    const uid = demoUuid(`fuel-demo:${o.seed}:${i}`);
    // the fixture history spans two days; both end before today (its times of day may still be ahead)
    const daysAgo = 2 + ((i * 3) % 26);
    const day1 = isoDay(today - daysAgo * dayMs);
    const day2 = isoDay(today - (daysAgo - 1) * dayMs);
    const base = i % 3 === 2 ? fx.installationTwoClusters : fx.installationFull;
    const structure = rekey(base, uid, day1, day2).installation_structure;
    const release = { ...(structure.fuel_release as Record<string, unknown>), release: RELEASES[Math.floor(random() * RELEASES.length)] };
    const allocated = Number(structure.allocated_nodes_num ?? 0);
    const body = {
      installation_structure: { ...structure, fuel_release: release, unallocated_nodes_num: Math.floor(random() * 6), allocated_nodes_num: allocated },
    };
    installs.push(request(`fuel installation ${uid}`, '/api/v1/installation_structure/', body, createdOrDuplicate));
    logs.push(request(`fuel action logs ${uid}`, '/api/v1/action_logs/', rekey(fx.actionLogs.body, uid, day1, day2), bulk('action_logs', ['existed', 'skipped'])));
    oswl.push(request(`fuel oswl stats ${uid}`, '/api/v1/oswl_stats/', rekey(fx.oswl.body, uid, day1, day2), bulk('oswl_stats', ['updated'])));
    if (!firstFailure) firstFailure = { uid, day1, day2, release, cluster: (structure.clusters as unknown[])[0] };
  }
  const out = [...installs, ...logs, ...oswl];
  if (firstFailure) out.push(failureReport(fx, o.seed, firstFailure));
  return out;
}

/** The fixture history's failed `deploy` (and its failed `deployment` sub-task) as an immediate report. */
function failureReport(fx: FuelFixtures, seed: number, f: { uid: string; day1: string; day2: string; release: Record<string, unknown>; cluster: unknown }): DemoRequest {
  const history = rekey(fx.actionLogs.body.action_logs, f.uid, f.day1, f.day2) as { external_id: number; body: { additional_info?: { ended_with_status?: string; parent_task_id?: number | null } } }[];
  const failed = history.find((a) => a.body.additional_info?.ended_with_status === 'error' && a.body.additional_info.parent_task_id === null);
  if (!failed) throw new Error('the action-log fixture has no failed top-level task');
  const subtasks = history.filter((a) => a.body.additional_info?.parent_task_id === failed.external_id);
  const reason = subtasks.map((s) => (s.body.additional_info as { message?: string }).message).find((m) => m) ?? 'Deployment has failed.';
  const body = {
    failure_report: {
      report_uuid: demoUuid(`fuel-demo-failure:${seed}`),
      master_node_uid: f.uid,
      created_at: `${f.day1}T09:42:00.000000`,
      action_log: failed,
      subtask_logs: subtasks,
      fuel_release: f.release,
      cluster: f.cluster,
      error: { task_name: 'deploy', message: reason, failed_nodes: [{ id: 1, roles: ['controller'], status: 'error', error_type: 'deploy', error_msg: 'netconfig failed' }] },
      // a contact keeps the report's context (release, cluster, error) and queues its notification (fuelstats.md §7.3)
      contact: { first_name: 'Demo', last_name: 'Operator', email: 'demo.operator@example.org', company: 'Example Cloud (demo data)', country: 'Nowhere' },
    },
  };
  return request(`fuel failure report ${body.failure_report.report_uuid}`, '/api/v1/failure_reports/', body, createdOrDuplicate);
}
